/* csa calc's registry: every row names options that exist, and options
 * are read, refused and defaulted as `csa help calc` says. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "csa/calc.h"

static size_t option(const char *name, size_t len)
{
    for (size_t i = 0; i < csa_calc_noptions; i++)
        if (strlen(csa_calc_options[i].name) == len && !strncmp(csa_calc_options[i].name, name, len))
            return i;
    fail_msg("no option --%.*s", (int)len, name);
    return 0;
}

/* Every word of list is an option the method takes. */
static void check_list(const csa_calc_method *m, const char *list)
{
    for (const char *s = list; s && *s;) {
        size_t len = strcspn(s, " ");
        assert_true(len > 0);
        assert_true(csa_calc_takes(m, option(s, len)));
        s += len + (s[len] == ' ');
    }
}

static void rows_name_real_options(void **state)
{
    (void)state;
    assert_true(csa_calc_nmethods >= 13);
    for (size_t k = 0; k < csa_calc_nmethods; k++) {
        const csa_calc_method *m = &csa_calc_methods[k];
        assert_non_null(m->summary);
        assert_non_null(m->reference);
        assert_non_null(m->run);
        assert_non_null(m->inputs[0]);
        assert_ptr_equal(csa_calc_find(m->name), m);
        check_list(m, m->inputs[0]);
        check_list(m, m->inputs[1]);
        check_list(m, m->options);
        check_list(m, m->numeric);
    }
    assert_null(csa_calc_find("frobnicate"));
}

static size_t index_of(const char *name)
{
    return option(name, strlen(name));
}

static void options_are_read_and_refused(void **state)
{
    (void)state;
    const csa_calc_method *rate = csa_calc_find("rate");
    csa_calc_args a;
    csa_error err;
    csa_calc_start(rate, &a);
    assert_true(a.per == 1000 && a.levels.n == 2 && a.decimals == 6);
    assert_int_equal(csa_calc_ready(rate, &a, &err), CSA_ERR_USAGE);
    assert_string_equal(err.message, "calc rate needs --count COL and --denominator COL");
    assert_int_equal(csa_calc_set(rate, &a, index_of("count"), "Crimes", &err), CSA_OK);
    assert_int_equal(csa_calc_set(rate, &a, index_of("denominator"), "Residents", &err), CSA_OK);
    assert_int_equal(csa_calc_set(rate, &a, index_of("level"), "90,99", &err), CSA_OK);
    assert_int_equal(csa_calc_set(rate, &a, index_of("by"), "Ward,Month", &err), CSA_OK);
    assert_int_equal(csa_calc_ready(rate, &a, &err), CSA_OK);
    assert_string_equal(a.count, "Crimes");
    assert_true(a.levels.n == 2 && a.levels.level[0] == 90 && a.levels.level[1] == 99);
    assert_int_equal(a.nby, 2);
    assert_string_equal(a.by[1], "Month");
    /* bad values and options the method does not take */
    assert_int_equal(csa_calc_set(rate, &a, index_of("per"), "0", &err), CSA_ERR_USAGE);
    assert_string_equal(err.message, "--per '0' is not a number above 0");
    assert_int_equal(csa_calc_set(rate, &a, index_of("level"), "95,x", &err), CSA_ERR_USAGE);
    assert_int_equal(csa_calc_set(rate, &a, index_of("by"), "a,b,c,d,e", &err), CSA_ERR_USAGE);
    assert_int_equal(csa_calc_set(rate, &a, index_of("window"), "3", &err), CSA_ERR_USAGE);
    assert_string_equal(err.message, "rate takes no --window");
    assert_int_equal(csa_calc_set(rate, &a, index_of("decimals"), "16", &err), CSA_ERR_USAGE);

    /* a funnel of proportions is per 100 unless --per says otherwise */
    const csa_calc_method *funnel = csa_calc_find("funnel");
    csa_calc_start(funnel, &a);
    assert_int_equal(csa_calc_set(funnel, &a, index_of("kind"), "proportion", &err), CSA_OK);
    csa_calc_set(funnel, &a, index_of("count"), "Yes", &err);
    csa_calc_set(funnel, &a, index_of("denominator"), "Asked", &err);
    assert_int_equal(csa_calc_ready(funnel, &a, &err), CSA_OK);
    assert_true(a.per == 100);
    csa_calc_start(funnel, &a);
    csa_calc_set(funnel, &a, index_of("per"), "1", &err);
    csa_calc_set(funnel, &a, index_of("kind"), "proportion", &err);
    csa_calc_set(funnel, &a, index_of("count"), "Yes", &err);
    csa_calc_set(funnel, &a, index_of("denominator"), "Asked", &err);
    assert_int_equal(csa_calc_ready(funnel, &a, &err), CSA_OK);
    assert_true(a.per == 1);

    /* isr: either set of inputs; the numbers read are those given */
    const csa_calc_method *isr = csa_calc_find("isr");
    csa_calc_start(isr, &a);
    csa_calc_set(isr, &a, index_of("count"), "Deaths", &err);
    csa_calc_set(isr, &a, index_of("expected"), "Expected", &err);
    assert_int_equal(csa_calc_ready(isr, &a, &err), CSA_OK);
    const char *cols[CSA_CALC_MAX_NUMERIC];
    bool nonnegative;
    assert_int_equal(csa_calc_numeric(isr, &a, cols, &nonnegative), 2);
    assert_string_equal(cols[0], "Deaths");
    assert_string_equal(cols[1], "Expected");
    assert_true(nonnegative);

    /* an XmR chart's values may be negative, a c-chart's may not */
    const csa_calc_method *spc = csa_calc_find("spc");
    csa_calc_start(spc, &a);
    csa_calc_set(spc, &a, index_of("value"), "Change", &err);
    assert_int_equal(csa_calc_numeric(spc, &a, cols, &nonnegative), 1);
    assert_false(nonnegative);
    csa_calc_set(spc, &a, index_of("chart"), "c", &err);
    csa_calc_numeric(spc, &a, cols, &nonnegative);
    assert_true(nonnegative);

    /* --yes: the answers counted */
    const csa_calc_method *survey = csa_calc_find("survey");
    csa_calc_start(survey, &a);
    assert_int_equal(csa_calc_set(survey, &a, index_of("yes"), "Very safe,Fairly safe", &err),
                     CSA_OK);
    assert_int_equal(a.nyes, 2);
    assert_string_equal(a.yes[0], "Very safe");
    assert_string_equal(a.yes[1], "Fairly safe");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_name_real_options),
        cmocka_unit_test(options_are_read_and_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
