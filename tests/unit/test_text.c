/* Text made safe for terminals, spreadsheets and XML (csa/text.h), and
 * where csa applies it: error messages and CSV cells (issue 20 cases 4
 * and 5). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "csa/error.h"
#include "csa/report.h"
#include "csa/table.h"
#include "csa/text.h"

static void escape_shows_what_a_terminal_acts_on(void **state)
{
    (void)state;
    char buf[128];
    assert_string_equal(csa_text_escape("\x1b[2Jcleared", buf, sizeof buf), "\\x1b[2Jcleared");
    assert_string_equal(csa_text_escape("a\x01" "b\tc\nd\re\x7f", buf, sizeof buf),
                        "a\\x01b\\x09c\\x0ad\\x0de\\x7f");
    /* C1 controls as their code (U+009B is CSI), bytes that are not UTF-8 as bytes */
    assert_string_equal(csa_text_escape("x\xc2\x9b" "2J", buf, sizeof buf), "x\\x9b2J");
    assert_string_equal(csa_text_escape("\xff\xfe", buf, sizeof buf), "\\xff\\xfe");
    assert_string_equal(csa_text_escape("\xe2\x82", buf, sizeof buf), "\\xe2\\x82");
    assert_string_equal(csa_text_escape("\xc0\xaf", buf, sizeof buf), "\\xc0\\xaf");
    /* text, backslashes and UTF-8 as they are; escaping twice changes nothing */
    const char *text = "Caf\xc3\xa9 \xc2\xa3" "5 \\x1b \xe2\x80\x94 \xf0\x9f\x98\x80";
    assert_string_equal(csa_text_escape(text, buf, sizeof buf), text);
    char twice[128];
    csa_text_escape("\x1b]0;title\x07", buf, sizeof buf);
    assert_string_equal(buf, "\\x1b]0;title\\x07");
    assert_string_equal(csa_text_escape(buf, twice, sizeof twice), buf);
    assert_string_equal(csa_text_escape(NULL, buf, sizeof buf), "");
    /* cut at a whole escape or character, never inside one */
    assert_string_equal(csa_text_escape("ab\x1b", buf, 6), "ab");
    assert_string_equal(csa_text_escape("ab\x1b", buf, 7), "ab\\x1b");
    assert_string_equal(csa_text_escape("a\xc3\xa9", buf, 3), "a");
}

static void errors_are_escaped_as_they_are_made_and_shown(void **state)
{
    (void)state;
    csa_error e = {0};
    char buf[CSA_ERROR_FILE_MAX + CSA_ERROR_MESSAGE_MAX + 64];
    csa_error_set(&e, CSA_ERR_VALUE, "in\x1b[2J.csv", 5, 11, "Last outcome category",
                  "\x1b[2Jcleared", "Last outcome category \"%s\" is not one of the values",
                  "\x1b[2Jcleared");
    /* the value stays as it was read (CSV and workbook writers make it safe) */
    assert_string_equal(e.value, "\x1b[2Jcleared");
    assert_string_equal(e.message,
                        "Last outcome category \"\\x1b[2Jcleared\" is not one of the values");
    assert_string_equal(csa_error_format(&e, buf, sizeof buf),
                        "in\\x1b[2J.csv:5:11: Last outcome category \"\\x1b[2Jcleared\" is not "
                        "one of the values");
    assert_null(strchr(buf, '\x1b'));
    /* a message set by hand is escaped when shown */
    e = (csa_error){.status = CSA_ERR_IO};
    snprintf(e.message, sizeof e.message, "bell\a");
    assert_string_equal(csa_error_format(&e, buf, sizeof buf), "bell\\x07");
}

static void formula_like_is_owasps_list(void **state)
{
    (void)state;
    const char *yes[] = {"=1+1", "+1+1", "-0.5", "-", "@SUM(1)", "\tx", "\rx",
                         "=HYPERLINK(\"http://x.example\",\"click\")"};
    const char *no[] = {"", "1+1", "a=1", "'=1+1", " =1", "0.5", "\xef\xbc\x9d" "1"};
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
        assert_true(csa_text_formula_like(yes[i]));
    for (size_t i = 0; i < sizeof no / sizeof *no; i++)
        assert_false(csa_text_formula_like(no[i]));
    assert_false(csa_text_formula_like(NULL));
}

static void xml_replaces_what_xml_forbids(void **state)
{
    (void)state;
    char *owned = (char *)1;
    const char *plain = "Caf\xc3\xa9 \t\r\n \xef\xbf\xbd \xf4\x8f\xbf\xbf \xc2\x85";
    assert_ptr_equal(csa_text_xml(plain, &owned), plain);
    assert_null(owned);
    assert_null(csa_text_xml(NULL, &owned));
    assert_null(owned);
    static const struct { const char *in, *out; } cases[] = {
        {"+1+1\x01", "+1+1\xef\xbf\xbd"},
        {"\x1b[2J", "\xef\xbf\xbd[2J"},
        {"a\x00", "a"},
        {"\x1f\x7f", "\xef\xbf\xbd\x7f"},
        {"x\xef\xbf\xbe\xef\xbf\xbfy", "x\xef\xbf\xbd\xef\xbf\xbdy"},   /* U+FFFE, U+FFFF */
        {"\xff" "a", "\xef\xbf\xbd" "a"},                                /* not UTF-8 */
        {"\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd"},                        /* overlong */
        {"\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},        /* a surrogate */
        {"\xf4\x90\x80\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"}, /* > U+10FFFF */
        {"end\xe2\x82", "end\xef\xbf\xbd\xef\xbf\xbd"},                  /* cut off */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *got = csa_text_xml(cases[i].in, &owned);
        assert_non_null(got);
        assert_string_equal(got, cases[i].out);
        /* a copy exactly when something was replaced */
        assert_true((owned == NULL) == (strcmp(cases[i].in, cases[i].out) == 0));
        free(owned);
    }
}

/* A string and a number column as CSV: text that a spreadsheet would read
 * as a formula gets a leading quote (inside the quotes, when quoted), the
 * numbers never. */
static void csv_neutralises_text_cells_only(void **state)
{
    (void)state;
    csa_table *t = csa_table_create();
    assert_non_null(t);
    assert_int_equal(csa_table_add_column(t, "=Name", CSA_STRING), CSA_OK);
    assert_int_equal(csa_table_add_column(t, "Value", CSA_DOUBLE), CSA_OK);
    assert_int_equal(csa_table_add_column(t, "Count", CSA_INT64), CSA_OK);
    const char *texts[] = {"=1+1", "=HYPERLINK(\"http://x.example\",\"click\")", "+1+1",
                           "-0.5", "@SUM(1)", "\tx", "\rx", "plain", "a=1", ""};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        csa_value v[3] = {{.v.str = {texts[i], strlen(texts[i])}}, {.v.d = -0.5},
                          {.v.i = -3}};
        assert_int_equal(csa_table_append_row(t, v, NULL), CSA_OK);
    }
    csa_table_freeze(t);
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);
    assert_non_null(fp);
    csa_error err = {0};
    assert_int_equal(csa_write_csv_stream(t, 1, fp, "test", &err), CSA_OK);
    fclose(fp);
    assert_string_equal(out, "'=Name,Value,Count\n"
                             "'=1+1,-0.5,-3\n"
                             "\"'=HYPERLINK(\"\"http://x.example\"\",\"\"click\"\")\",-0.5,-3\n"
                             "'+1+1,-0.5,-3\n"
                             "'-0.5,-0.5,-3\n"
                             "'@SUM(1),-0.5,-3\n"
                             "'\tx,-0.5,-3\n"
                             "\"'\rx\",-0.5,-3\n"
                             "plain,-0.5,-3\n"
                             "a=1,-0.5,-3\n"
                             ",-0.5,-3\n");
    free(out);
    csa_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escape_shows_what_a_terminal_acts_on),
        cmocka_unit_test(errors_are_escaped_as_they_are_made_and_shown),
        cmocka_unit_test(formula_like_is_owasps_list),
        cmocka_unit_test(xml_replaces_what_xml_forbids),
        cmocka_unit_test(csv_neutralises_text_cells_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
