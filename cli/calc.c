/* csa calc: a method applied to any CSV table, so that an analyst can put
 * intervals on a table they already have. The methods and their options
 * are rows of tables in assess/calc.c; this file reads the arguments and
 * the table, runs the method and writes its result. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csa/calc.h"

enum { WIDTH = 79, INDENT = 14 };

/* Said once for every method, so that a reader matching another tool's
 * figures knows which z it was */
static const char Z_NOTE[] =
    "Normal quantiles are exact (1.959964 at 95%, 3.090232 at 99.8%, as R's qnorm and "
    "PHEindicatormethods), not rounded to 1.96 or 3.09.";

/* Writes item (not broken) from column *col, first starting a new line
 * at indent if it would reach WIDTH. */
static void put(FILE *fp, const char *item, int len, int indent, int *col)
{
    if (*col > indent && *col + 1 + len > WIDTH) {
        *col = fprintf(fp, "\n%*s", indent, "") - 1;
    } else if (*col > indent) {
        fputc(' ', fp);
        (*col)++;
    }
    *col += fprintf(fp, "%.*s", len, item);
}

/* Writes text word by word, as put. */
static void wrap(FILE *fp, const char *text, int indent, int *col)
{
    for (const char *s = text; *s; s += strspn(s, " ")) {
        int len = (int)strcspn(s, " ");
        put(fp, s, len, indent, col);
        s += len;
    }
}

/* A line from indent starting with label. */
static void start_line(FILE *fp, const char *label, int *col)
{
    *col = fprintf(fp, "\n%*s%s", INDENT, "", label) - 1;
}

/* One method's entry: what it computes, its inputs, options and source. */
static void write_method(FILE *fp, const csa_calc_method *m)
{
    int col = fprintf(fp, "  %-*s", INDENT - 2, m->name);
    if (col > INDENT)
        col = fprintf(fp, "\n%*s", INDENT, "") - 1;
    wrap(fp, m->summary, INDENT, &col);
    char item[96];
    for (size_t k = 0; k < 2 && m->inputs[k]; k++) {
        start_line(fp, k ? "or needs" : "needs", &col);
        for (size_t i = 0; i < csa_calc_noptions; i++)
            if (csa_calc_needs(m, k, i))
                put(fp, item, snprintf(item, sizeof item, "--%s %s", csa_calc_options[i].name,
                                       csa_calc_options[i].arg), INDENT + 2, &col);
    }
    bool first = true;
    for (size_t i = 0; i < csa_calc_noptions; i++) {
        const char *name = csa_calc_options[i].name;
        if (!csa_calc_takes(m, i) || csa_calc_needs(m, 0, i) || csa_calc_needs(m, 1, i) ||
            !strcmp(name, "decimals"))
            continue;
        if (first)
            start_line(fp, "takes", &col);
        first = false;
        char per[32];
        csa_format_number(m->per, 0, per, sizeof per);
        put(fp, item, !strcmp(name, "per")
                          ? snprintf(item, sizeof item, "--per N (default %s%s)", per,
                                     m->per_proportion ? "; proportion 100" : "")
                          : snprintf(item, sizeof item, "--%s", name), INDENT + 2, &col);
    }
    start_line(fp, "method:", &col);
    wrap(fp, m->reference, INDENT + 2, &col);
    fputc('\n', fp);
}

static void write_help(FILE *fp)
{
    fputs("Usage: csa calc METHOD [OPTIONS] [FILE]\n"
          "\n"
          "Applies a method to a CSV table (FILE, or standard input) and writes the\n"
          "result to standard output: the table with the method's columns added, or one\n"
          "row per --by group. A method needs the columns named after it, and takes the\n"
          "options listed with it.\n"
          "\n"
          "Methods:\n", fp);
    for (size_t i = 0; i < csa_calc_nmethods; i++)
        write_method(fp, &csa_calc_methods[i]);
    fputs("\nOptions:\n", fp);
    for (size_t i = 0; i < csa_calc_noptions; i++) {
        const csa_calc_option *o = &csa_calc_options[i];
        char head[64];
        snprintf(head, sizeof head, "  --%s %s", o->name, o->arg);
        int col = fprintf(fp, "%-*s", 24, head);
        if (col > 24) {
            fprintf(fp, "\n%24s", "");
            col = 24;
        }
        wrap(fp, o->help, 24, &col);
        fputc('\n', fp);
    }
    fputs("\n", fp);
    int col = 0;
    wrap(fp, Z_NOTE, 0, &col);
    fputs("\n\n"
          "`csa help calc METHOD` says what a method does with missing, suppressed and\n"
          "zero inputs.\n"
          "\n"
          "Numbers may have thousands separators; *, .. and c mark suppressed values,\n"
          "which give no result unless a method's help says otherwise. Exit status: 0\n"
          "done; 1 a problem in the data (a bad or negative number, a missing column, an\n"
          "answer or age band that cannot be read), named by file, line and column; 2\n"
          "bad usage, or a file that cannot be read.\n"
          "\n"
          "Examples:\n"
          "  csa calc rate --count Count --denominator Population --per 1000 \\\n"
          "      --level 95,99.8 --by Area < in.csv > out.csv\n"
          "  csa calc isr --count Deaths --denominator Population --ref-count EngDeaths \\\n"
          "      --ref-population EngPopulation --by Area --per 100 bands.csv\n", fp);
}

static const char *method_names(void);

/* A paragraph: label, then text wrapped under it. */
static void paragraph(FILE *fp, const char *label, const char *text)
{
    int col = fprintf(fp, "\n%s\n  ", label) - (int)strlen(label) - 2;
    wrap(fp, text, 2, &col);
    fputc('\n', fp);
}

/* `csa help calc METHOD`: what it computes, its inputs and options with
 * their defaults, its reference, and what it does with missing,
 * suppressed and zero inputs. */
static int write_method_help(FILE *fp, const char *name)
{
    const csa_calc_method *m = csa_calc_find(name);
    if (!m)
        return cli_usage("calc", "calc: no method '%s'; the methods are %s", name,
                         method_names());
    fprintf(fp, "Usage: csa calc %s [OPTIONS] [FILE]\n", m->name);
    paragraph(fp, "What it computes:", m->summary);
    fprintf(fp, "\nOptions (defaults in brackets):\n");
    for (size_t i = 0; i < csa_calc_noptions; i++) {
        const csa_calc_option *o = &csa_calc_options[i];
        if (!csa_calc_takes(m, i))
            continue;
        char head[64], text[512];
        snprintf(head, sizeof head, "  --%s %s", o->name, o->arg);
        bool needed = csa_calc_needs(m, 0, i) || csa_calc_needs(m, 1, i);
        if (!strcmp(o->name, "per")) {
            char per[32], alt[32];
            csa_format_number(m->per, 0, per, sizeof per);
            csa_format_number(m->per_proportion, 0, alt, sizeof alt);
            snprintf(text, sizeof text, "%s (default %s%s%s)", o->help, per,
                     m->per_proportion ? "; with --kind proportion " : "",
                     m->per_proportion ? alt : "");
        } else {
            snprintf(text, sizeof text, "%s%s", o->help,
                     !needed ? "" : m->inputs[1] ? " (needed in one of the two sets)" : " (needed)");
        }
        int col = fprintf(fp, "%-*s", 24, head);
        if (col > 24) {
            fprintf(fp, "\n%24s", "");
            col = 24;
        }
        wrap(fp, text, 24, &col);
        fputc('\n', fp);
    }
    paragraph(fp, "Reference:", m->reference);
    paragraph(fp, "Missing, suppressed (*, .., c) and zero inputs:", m->inputs_note);
    paragraph(fp, "Confidence levels:", Z_NOTE);
    return EXIT_OK;
}

/* "rate, proportion, ... and survey-change" */
static const char *method_names(void)
{
    static char names[512];
    size_t used = 0;
    for (size_t i = 0; i < csa_calc_nmethods && used < sizeof names; i++)
        used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
                                 !i ? "" : i + 1 == csa_calc_nmethods ? " and " : ", ",
                                 csa_calc_methods[i].name);
    return names;
}

/* The options of the command line into *a. Returns an exit status, or -1
 * when they are all good. */
static int read_options(const csa_calc_method *m, int argc, char **argv, csa_calc_args *a)
{
    struct option options[64 + 1] = {{0}};
    for (size_t i = 0; i < csa_calc_noptions; i++)
        options[i] = (struct option){csa_calc_options[i].name, required_argument, NULL,
                                     256 + (int)i};
    csa_error err = {0};
    csa_calc_start(m, a);
    int opt;
    optind = 2;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (opt < 256)
            return cli_usage("calc", "calc: unknown option or missing value: %s",
                             argv[optind - 1]);
        if (csa_calc_set(m, a, (size_t)(opt - 256), optarg, &err))
            return cli_usage("calc", "calc: %s", err.message);
    }
    if (csa_calc_ready(m, a, &err))
        return cli_usage("calc", "%s", err.message);
    if (optind + 1 < argc)
        return cli_usage("calc", "calc reads one FILE (or standard input)");
    return -1;
}

static int run(int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("calc", "calc needs a METHOD: %s", method_names());
    const csa_calc_method *m = csa_calc_find(argv[1]);
    if (!m)
        return cli_usage("calc", "calc: no method '%s'; the methods are %s", argv[1],
                         method_names());
    csa_calc_args a;
    int status = read_options(m, argc, argv, &a);
    if (status >= 0)
        return status;

    const char *name = optind < argc ? argv[optind] : "<stdin>", *numeric[CSA_CALC_MAX_NUMERIC];
    bool nonnegative;
    size_t nnumeric = csa_calc_numeric(m, &a, numeric, &nonnegative);
    csa_source src;
    csa_table *in = NULL, *out = NULL;
    uint64_t *lines = NULL;
    csa_error err = {0};
    csa_status st = optind < argc ? csa_source_open_file(&src, name, &err) : CSA_OK;
    if (st)
        goto done;
    if (optind == argc)
        csa_source_from_stream(&src, name, stdin);
    st = csa_ingest_any(&src, numeric, nnumeric, nonnegative, &in, &lines, &err);
    csa_source_close(&src);
    if (!st) {
        csa_calc_input input = {in, lines, name};
        st = csa_calc_run(m, &a, &input, &out, &err);
    }
    if (!st) {
        csa_table_freeze(out);
        st = csa_write_csv_stream(out, a.decimals, stdout, "standard output", &err);
    }
done:
    if (st)
        cli_print_error(&err);
    csa_table_free(in);
    csa_table_free(out);
    free(lines);
    return cli_exit_status(st);
}

const cli_command cli_calc = {
    .name = "calc",
    .summary = "put confidence intervals, trends and SPC on any table",
    .write_help = write_help,
    .write_topic = write_method_help,
    .run = run,
};
