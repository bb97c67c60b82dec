/* csa specs: the datasets csa reads, as a partner needs to know them. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char help[] =
    "Usage: csa specs [NAME]\n"
    "\n"
    "Without NAME, lists the datasets csa reads. With NAME, shows what a file of\n"
    "that dataset needs: each column, its type, whether it is required, its role\n"
    "(what csa uses it as: LSOA code, period, count, ...), the values allowed,\n"
    "the other header names accepted, the rules 'csa validate' checks, and a\n"
    "short example file.\n";

static const char *type_text(csa_type t)
{
    switch (t) {
    case CSA_INT64: return "whole number";
    case CSA_DOUBLE: return "number";
    case CSA_DATE: return "date or month";
    case CSA_STRING: return "text";
    case CSA_BOOL: return "0 or 1";
    }
    return "?";
}

static void print_spec(const csa_spec *s)
{
    printf("%s: %s\n\nColumns (header names are matched ignoring case and surrounding "
           "spaces):\n", s->name, s->title);
    for (size_t i = 0; i < s->ncolumns; i++) {
        const csa_spec_column *c = &s->columns[i];
        printf("\n  %s  (%s, %s%s)\n      %s\n", c->name, type_text(c->type),
               c->flags & CSA_COL_REQUIRED ? "required" : "optional",
               c->flags & CSA_COL_NOT_NULL ? ", never blank" : "", c->about);
        if (c->role != CSA_ROLE_NONE)
            printf("      role: %s\n", csa_role_name(c->role));
        if (c->aliases) {
            printf("      also named: ");
            for (const char *a = c->aliases; *a; a++)
                fputs(*a == '|' ? ", " : (char[]){*a, 0}, stdout);
            putchar('\n');
        }
        if (c->flags & CSA_COL_RANGE)
            printf("      from %.10g to %.10g\n", c->min, c->max);
        if (c->flags & CSA_COL_LSOA)
            printf("      an LSOA code: E01 or W01 and six digits\n");
        else if (c->flags & CSA_COL_AREA)
            printf("      an ONS area code: a letter and eight digits\n");
        if (c->flags & CSA_COL_UNIQUE)
            printf("      each value once\n");
        if ((c->flags & CSA_COL_ID) && (c->flags & CSA_COL_ID_REPEATS))
            printf("      the publisher repeats some identifiers within a month (a warning);\n"
                   "      in two files, an identifier is an error\n");
        else if (c->flags & CSA_COL_ID)
            printf("      identifiers must not repeat within a month\n");
        if (c->flags & CSA_COL_SOURCE)
            printf("      the same month of the same value in two files is an error\n");
        if (c->flags & CSA_COL_COUNT)
            printf("      counts below the disclosure threshold are flagged\n");
        if (c->type == CSA_INT64 || c->type == CSA_DOUBLE)
            printf("      *, .. or c mark a suppressed value\n");
        if (c->codes) {
            printf("      one of%s:\n", c->flags & CSA_COL_CODES_WARN ? " (others are warned of)" : "");
            for (const char *const *v = c->codes; *v; v++)
                printf("        %s\n", *v);
        }
    }
    if (s->open)
        printf("\nOther columns (such as survey answers) are read as they are.\n");
    else
        printf("\nOther columns are reported as unknown and ignored.\n");
    printf("\nExample:\n");
    for (const char *l = s->example; *l;) {
        const char *nl = strchr(l, '\n');
        size_t n = nl ? (size_t)(nl - l) : strlen(l);
        printf("  %.*s\n", (int)n, l);
        l += n + (nl != NULL);
    }
}

static int run(int argc, char **argv)
{
    if (argc > 2)
        return cli_usage("specs", "specs takes at most one NAME");
    size_t n;
    const csa_spec *specs = csa_specs(&n);
    if (argc == 2) {
        const csa_spec *s = csa_spec_find(argv[1]);
        if (!s)
            return cli_usage("specs", "specs: no spec '%s'; 'csa specs' lists them", argv[1]);
        print_spec(s);
        return EXIT_OK;
    }
    int width = 0; /* the names in a column as wide as the longest */
    for (size_t i = 0; i < n; i++)
        width = (int)strlen(specs[i].name) > width ? (int)strlen(specs[i].name) : width;
    for (size_t i = 0; i < n; i++)
        printf("%-*s  %s\n", width, specs[i].name, specs[i].title);
    return EXIT_OK;
}

const cli_command cli_specs = {
    .name = "specs",
    .summary = "list the datasets csa reads, or show what one needs",
    .help = help,
    .run = run,
};
