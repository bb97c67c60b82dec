/* assessment.ini: read with inih into entries first (so every later check
 * can name the line), then interpreted section by section. */
#include "csa/assess.h"

#include "kind.h"

#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char csa_config_help[] =
    "Usage: csa run CONFIG.ini [--out DIR] [--allow-invalid INPUT]... [--quiet]\n"
    "\n"
    "Runs the whole strategic assessment that CONFIG declares: validates every\n"
    "input, reads them, computes every indicator (rate with 95% interval,\n"
    "comparison with the comparator, monthly trend with SPC limits, breakdown\n"
    "by deprivation decile, survey figures), scores the priorities, and writes\n"
    "assessment.xlsx, assessment-pack.pdf, charts (PNG and SVG), CSV tables and\n"
    "manifest.json to the output folder: all of them or, when anything fails,\n"
    "none (earlier outputs stay as they were).\n"
    "\n"
    "Options:\n"
    "  --out DIR              output folder, instead of the config's `output`\n"
    "  --allow-invalid INPUT  leave out an input whose validation finds errors,\n"
    "                         instead of stopping; every output it affects says so\n"
    "                         (repeat for several inputs)\n"
    "  --quiet                no progress on stderr (errors are still printed)\n"
    "\n"
    "Exit status: 0 done; 1 a data problem stopped the run (an input with\n"
    "errors, which are listed; an input with no rows in the period; an area\n"
    "with no residents); 2 bad usage, a bad config, or a file that cannot be\n"
    "read or written.\n"
    "\n"
    "The config (INI; `csa init` writes a commented starter). Paths are relative\n"
    "to the config's folder; `files` takes globs and lists (spaces or commas;\n"
    "a path with a space goes in double quotes).\n"
    "Lists go on one line or on indented continuation lines. Lines are at most\n"
    "199 characters. An unknown section or key is an error.\n"
    "\n"
    "[assessment]\n"
    "  title        the assessment's title (cover of the pack)\n"
    "  area         the area's name, such as Milton Keynes\n"
    "  la_code      the local authority code (E06000042): the area is the LSOAs\n"
    "               the deprivation input gives to it\n"
    "  lsoas        or: the area as a list of LSOA codes\n"
    "  period       2018/19 (a financial year, April to March);\n"
    "               4 quarters to 2018-12 (a rolling year to that month);\n"
    "               2018-10 to 2018-12 (any run of months)\n"
    "  baseline     months whose SPC mean and limits every month is judged\n"
    "               against (default: the whole period), such as 2018-04 to 2019-03\n"
    "  comparator   England (default), a region, or any named comparator\n"
    "  comparator_code  its area code in Fingertips files (default E92000001\n"
    "               for England)\n"
    "  comparator_areas  or: the comparator as a set of LAs (codes), whose crime\n"
    "               rate the run computes from the same inputs, for crime\n"
    "               indicators without a comparator_value\n"
    "  output       output folder (default csa-out)\n"
    "  deprivation  the input (spec imd) giving LSOAs their LA and decile\n"
    "  population   the input (spec population) giving LSOA residents\n"
    "\n"
    "[input.NAME]   one per partner submission\n"
    "  spec         the dataset spec (`csa specs` lists them)\n"
    "  files        files or globs\n"
    "  lookup       survey: an input (spec area-lookup) giving its ward codes'\n"
    "               LA: respondents in wards of other LAs are left out (without\n"
    "               it every respondent counts as the area's)\n"
    "\n"
    "[indicator.NAME]\n"
    "  title, theme the indicator's name and the workbook sheet it goes on\n"
    "  unit         the unit shown (default: per 1,000 residents; % for surveys;\n"
    "               say what a Fingertips value is, such as per 100,000)\n"
    "  input        the input it is computed from:\n"
    "               police-street: count of crimes in the area and period\n"
    "               per `multiplier` residents (the population input);\n"
    "               fingertips: the area's published values for `indicator_id`;\n"
    "               survey: weighted share of respondents answering one of\n"
    "               `answers` to `question`\n"
    "  crime_types  police-street: crime types counted (default all)\n"
    "  indicator_id fingertips: the Indicator ID\n"
    "  question, answers, by   survey: the answer column, the answers counted\n"
    "               (default Yes), breakdown columns (such as sex, age band)\n"
    "  multiplier   police-street: 1000 (default) per 1,000 residents\n"
    "  polarity     low-is-good (default), high-is-good or no-judgement\n"
    "  comparator_value  the comparator's value of this indicator over the same\n"
    "               period (fingertips: read from the file instead)\n"
    "  harm         harm weight per unit of the indicator's value, such as its ONS\n"
    "               Crime Severity Score; harm scores compare weight x value across\n"
    "               candidates, so give weights for values over the same period\n"
    "  concern      the survey indicator that measures public concern about it\n"
    "  priority     yes/no: whether it is a candidate priority (default: yes,\n"
    "               except survey indicators)\n"
    "\n"
    "[priorities]\n"
    "  criteria     the criteria scored (default volume, trend), from: volume (value against the\n"
    "               comparator), trend (SPC signals or Fingertips' recent trend),\n"
    "               harm (harm weight x rate), deprivation (relative index of\n"
    "               inequality by IMD decile), concern (the linked survey share)\n"
    "  weight.NAME  each criterion's weight (default 1)\n"
    "Each criterion scores 1 (least concern) to 5; a candidate's total is the\n"
    "sum of score x weight, and candidates rank by total. A criterion with no\n"
    "value scores 3 and says why. The priority matrix sheet and page show every\n"
    "value, score and weight.\n"
    "\n"
    "Example: csa run data-samples/assessment.ini --out csa-out\n";

const char csa_config_starter[] =
    "; A strategic assessment for csa run (csa help run explains every key).\n"
    "; Paths are relative to this file's folder.\n"
    "\n"
    "[assessment]\n"
    "title = Milton Keynes Community Safety Partnership\n"
    "area = Milton Keynes\n"
    "la_code = E06000042\n"
    "; a financial year (2018/19), a rolling year (4 quarters to 2018-12),\n"
    "; or any run of months (2018-10 to 2018-12)\n"
    "period = 2018/19\n"
    "comparator = England\n"
    "output = csa-out\n"
    "deprivation = imd\n"
    "population = population\n"
    "\n"
    "[input.police]\n"
    "spec = police-street\n"
    "files = police/*.csv\n"
    "\n"
    "[input.imd]\n"
    "spec = imd\n"
    "files = imd2019-lsoa.csv\n"
    "\n"
    "[input.population]\n"
    "spec = population\n"
    "files = population-lsoa.csv\n"
    "\n"
    "[indicator.violence]\n"
    "title = Violence and sexual offences\n"
    "theme = Crime\n"
    "input = police\n"
    "crime_types = Violence and sexual offences\n"
    "multiplier = 1000\n"
    "polarity = low-is-good\n"
    "; England's rate over the same period, per 1,000 residents\n"
    "; comparator_value = 30.5\n"
    "; harm weight per offence (ONS Crime Severity Score)\n"
    "; harm = 150\n"
    "\n"
    "[priorities]\n"
    "criteria = volume, trend, harm, deprivation\n"
    "weight.volume = 1\n"
    "weight.trend = 1\n"
    "weight.harm = 1\n"
    "weight.deprivation = 1\n";


/* ---- phase 1: entries ---- */

typedef struct entry {
    char *section, *key, *value;
    int line;
    bool used;
} entry;

typedef struct parse_state {
    const char *path;
    const char *text, *pos, *end;
    int line;
    bool too_long;
    int long_line;
    bool indented;    /* the line being read starts with a space or tab */
    int bad_line;     /* the first line a handler refused, with why */
    char bad[160];
    entry *e;
    size_t n, cap;
    bool nomem;
} parse_state;

/* Keys whose value is a list, which may go on indented continuation lines. */
static bool list_key(const char *key)
{
    static const char *const lists[] = {"files", "lsoas", "crime_types", "answers", "by",
                                        "comparator_areas", "criteria"};
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        if (!strcmp(key, lists[i]))
            return true;
    return false;
}

static int refuse(parse_state *p, const char *fmt, const char *key)
{
    if (!p->bad_line) {
        p->bad_line = p->line;
        snprintf(p->bad, sizeof p->bad, fmt, key);
    }
    return 0;
}

/* inih's reader: one line per call, so the handler knows its line. */
static char *read_line(char *str, int num, void *stream)
{
    parse_state *p = stream;
    if (p->pos >= p->end)
        return NULL;
    const char *nl = memchr(p->pos, '\n', (size_t)(p->end - p->pos));
    const char *next = nl ? nl + 1 : p->end;
    size_t len = (size_t)(next - p->pos);
    p->line++;
    if (len > (size_t)num - 1)
        len = (size_t)num - 1; /* the line ending left out: too long is checked below */
    size_t text = len;
    while (text && (p->pos[text - 1] == '\n' || p->pos[text - 1] == '\r'))
        text--;
    if (text > (size_t)num - 1) {
        if (!p->too_long)
            p->long_line = p->line;
        p->too_long = true;
    }
    p->indented = len && (p->pos[0] == ' ' || p->pos[0] == '\t');
    memcpy(str, p->pos, len);
    str[len] = '\0';
    p->pos = next;
    return str;
}

static int on_entry(void *user, const char *section, const char *key, const char *value)
{
    parse_state *p = user;
    /* a continuation line of a list adds to the entry before it; inih also
     * passes an indented key = value line, or the same key on the next
     * line, as a continuation */
    if (p->n && strcmp(p->e[p->n - 1].section, section) == 0 &&
        strcmp(p->e[p->n - 1].key, key) == 0) {
        entry *last = &p->e[p->n - 1];
        if (!p->indented)
            return refuse(p, "'%s' is given twice", key);
        if (!list_key(key))
            return refuse(p, "this indented line continues '%s' above, which is not a list: "
                             "unindent it", key);
        size_t a = strlen(last->value), b = strlen(value);
        char *v = realloc(last->value, a + b + 2);
        if (!v) {
            p->nomem = true;
            return 0;
        }
        v[a] = ' ';
        memcpy(v + a + 1, value, b + 1);
        last->value = v;
        return 1;
    }
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 32;
        entry *e = realloc(p->e, cap * sizeof *e);
        if (!e) {
            p->nomem = true;
            return 0;
        }
        p->e = e;
        p->cap = cap;
    }
    entry *e = &p->e[p->n];
    *e = (entry){strdup(section), strdup(key), strdup(value), p->line, false};
    if (!e->section || !e->key || !e->value) {
        free(e->section), free(e->key), free(e->value);
        p->nomem = true;
        return 0;
    }
    p->n++;
    return 1;
}

/* ---- phase 2: interpretation ---- */

typedef struct interp {
    csa_config *c;
    parse_state *p;
    char *dir; /* the config's folder, with a trailing '/', or "" */
    csa_error *err;
} interp;

static csa_status bad(interp *in, const entry *e, const char *fmt, const char *value)
{
    csa_error_set(in->err, CSA_ERR_USAGE, in->c->path, (uint64_t)e->line, 0, e->key, value,
                  fmt, value);
    return CSA_ERR_USAGE;
}

static csa_status nomem(interp *in)
{
    return csa_error_set(in->err, CSA_ERR_NOMEM, in->c->path, 0, 0, NULL, NULL,
                         "out of memory");
}

static csa_status list_add(csa_config_list *l, const char *s, size_t len)
{
    char **v = realloc(l->v, (l->n + 1) * sizeof *v);
    if (!v)
        return CSA_ERR_NOMEM;
    l->v = v;
    if (!(v[l->n] = strndup(s, len)))
        return CSA_ERR_NOMEM;
    l->n++;
    return CSA_OK;
}

static void list_free(csa_config_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    *l = (csa_config_list){0};
}

/* Splits at commas (and, when spaces is true, at spaces too); "a b" in
 * double quotes is one item, for a path with a space or a comma. */
static csa_status split(const char *s, bool spaces, csa_config_list *out)
{
    while (*s) {
        while (*s == ',' || isspace((unsigned char)*s))
            s++;
        const char *close = *s == '"' ? strchr(s + 1, '"') : NULL;
        if (close) {
            if (list_add(out, s + 1, (size_t)(close - s - 1)))
                return CSA_ERR_NOMEM;
            s = close + 1;
            continue;
        }
        const char *start = s;
        while (*s && *s != ',' && !(spaces && isspace((unsigned char)*s)))
            s++;
        const char *end = s;
        while (end > start && isspace((unsigned char)end[-1]))
            end--;
        if (end > start && list_add(out, start, (size_t)(end - start)))
            return CSA_ERR_NOMEM;
    }
    return CSA_OK;
}

static bool parse_number(const char *s, double *out)
{
    char *end;
    *out = strtod(s, &end);
    return end != s && *end == '\0' && isfinite(*out);
}

static bool parse_bool(const char *s, bool *out)
{
    if (!strcasecmp(s, "yes") || !strcasecmp(s, "true") || !strcmp(s, "1"))
        return *out = true, true;
    if (!strcasecmp(s, "no") || !strcasecmp(s, "false") || !strcmp(s, "0"))
        return *out = false, true;
    return false;
}

static int32_t month_days(int year, int month)
{
    char buf[16];
    int32_t d = 0;
    while (month < 1)
        month += 12, year--;
    while (month > 12)
        month -= 12, year++;
    snprintf(buf, sizeof buf, "%04d-%02d", year, month);
    csa_parse_date(buf, strlen(buf), &d);
    return d;
}

static bool parse_month(const char *s, size_t len, int *year, int *month)
{
    char buf[16];
    int32_t d;
    if (len != 7 || !csa_parse_date(s, len, &d))
        return false;
    memcpy(buf, s, 7);
    buf[7] = '\0';
    return sscanf(buf, "%4d-%2d", year, month) == 2;
}

static const char *const MONTH_NAMES[12] = {
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"};

/* "2018/19", "4 quarters to 2018-12", "12 months to 2018-12",
 * "2018-10 to 2018-12" or "2018-10:2018-12". */
static bool parse_period(const char *s, int32_t *first, int32_t *last, char **label_out)
{
    int y1, m1, y2, m2, fy, fy2;
    char tail[3];
    const char *to = strstr(s, " to ");
    if (sscanf(s, "%4d/%2d%2s", &fy, &fy2, tail) == 2 && fy2 == (fy + 1) % 100 &&
        strlen(s) == 7) {
        y1 = fy, m1 = 4, y2 = fy + 1, m2 = 3;
    } else if (to && (!strncmp(s, "4 quarters to ", 14) || !strncmp(s, "four quarters to ", 17) ||
                      !strncmp(s, "12 months to ", 13))) {
        if (!parse_month(to + 4, strlen(to + 4), &y2, &m2))
            return false;
        y1 = y2, m1 = m2 - 11;
        if (m1 < 1)
            m1 += 12, y1--;
    } else {
        const char *sep = to ? to : strchr(s, ':');
        if (!sep)
            return false;
        const char *second = sep + (to ? 4 : 1);
        if (!parse_month(s, (size_t)(sep - s), &y1, &m1) ||
            !parse_month(second, strlen(second), &y2, &m2))
            return false;
    }
    *first = month_days(y1, m1);
    *last = month_days(y2, m2);
    if (*last < *first)
        return false;
    char label[96];
    if (y1 == y2 && m1 == m2)
        snprintf(label, sizeof label, "%s %d", MONTH_NAMES[m1 - 1], y1);
    else
        snprintf(label, sizeof label, "%s %d to %s %d", MONTH_NAMES[m1 - 1], y1,
                 MONTH_NAMES[m2 - 1], y2);
    free(*label_out);
    *label_out = strdup(label);
    return *label_out != NULL;
}

static size_t find_input(const csa_config *c, const char *name)
{
    for (size_t i = 0; i < c->ninputs; i++)
        if (!strcmp(c->inputs[i].name, name))
            return i;
    return SIZE_MAX;
}

/* Expands `files` relative to the config's folder. */
static csa_status expand_files(interp *in, const entry *e, csa_config_input *inp)
{
    csa_config_list pats = {0};
    csa_status st = split(e->value, true, &pats);
    for (size_t i = 0; i < pats.n && !st; i++) {
        /* the folder's own name is not a pattern: its *?[\ are escaped */
        char *full = NULL, dir[PATH_MAX * 2];
        size_t n = 0;
        for (const char *d = pats.v[i][0] == '/' ? "" : in->dir; *d && n < sizeof dir - 2; d++) {
            if (strchr("*?[\\", *d))
                dir[n++] = '\\';
            dir[n++] = *d;
        }
        dir[n] = '\0';
        if (asprintf(&full, "%s%s", dir, pats.v[i]) < 0) {
            st = CSA_ERR_NOMEM;
            break;
        }
        glob_t g;
        int r = glob(full, 0, NULL, &g); /* sorted: the same order every run */
        if (r == GLOB_NOMATCH) {
            struct stat sb;
            bool literal = strpbrk(pats.v[i], "*?[") == NULL;
            char plain[PATH_MAX * 2]; /* as written, without the escapes */
            snprintf(plain, sizeof plain, "%s%s", pats.v[i][0] == '/' ? "" : in->dir,
                     pats.v[i]);
            csa_error_set(in->err, CSA_ERR_USAGE, in->c->path, (uint64_t)e->line, 0, e->key,
                          plain, literal && stat(plain, &sb) != 0 ? "input file %s not found"
                                                                  : "no file matches %s",
                          plain);
            free(full);
            list_free(&pats);
            return CSA_ERR_USAGE;
        }
        free(full);
        if (r != 0) {
            st = CSA_ERR_NOMEM;
            break;
        }
        for (size_t k = 0; k < g.gl_pathc && !st; k++) {
            /* a file matched twice would be counted twice */
            char a[PATH_MAX], b[PATH_MAX];
            for (size_t j = 0; j < inp->files.n && realpath(g.gl_pathv[k], a); j++)
                if (realpath(inp->files.v[j], b) && !strcmp(a, b)) {
                    csa_error_set(in->err, CSA_ERR_USAGE, in->c->path, (uint64_t)e->line, 0,
                                  e->key, g.gl_pathv[k], "[input.%s] names %s twice",
                                  inp->name, g.gl_pathv[k]);
                    globfree(&g);
                    list_free(&pats);
                    return CSA_ERR_USAGE;
                }
            st = list_add(&inp->files, g.gl_pathv[k], strlen(g.gl_pathv[k]));
        }
        globfree(&g);
    }
    list_free(&pats);
    return st ? nomem(in) : CSA_OK;
}

static csa_status input_key(interp *in, csa_config_input *inp, entry *e)
{
    if (!strcmp(e->key, "spec")) {
        if (!(inp->spec = csa_spec_find(e->value)))
            return bad(in, e, "no spec '%s' ('csa specs' lists them)", e->value);
    } else if (!strcmp(e->key, "files")) {
        return expand_files(in, e, inp);
    } else if (!strcmp(e->key, "lookup")) {
        free(inp->lookup);
        if (!(inp->lookup = strdup(e->value)))
            return nomem(in);
    } else {
        return bad(in, e, "unknown key '%s' in an [input.NAME] section ('csa help run')",
                   e->key);
    }
    return CSA_OK;
}

static csa_status set_string(interp *in, char **dst, const char *value)
{
    free(*dst);
    return (*dst = strdup(value)) ? CSA_OK : nomem(in);
}

static csa_status indicator_key(interp *in, csa_config_indicator *ind, entry *e)
{
    const char *k = e->key, *v = e->value;
    if (!strcmp(k, "title"))
        return set_string(in, &ind->title, v);
    if (!strcmp(k, "theme"))
        return set_string(in, &ind->theme, v);
    if (!strcmp(k, "unit"))
        return set_string(in, &ind->unit, v);
    if (!strcmp(k, "input")) {
        if ((ind->input = find_input(in->c, v)) == SIZE_MAX)
            return bad(in, e, "no input '%s': declare it as [input.%s]", v);
        return CSA_OK;
    }
    if (!strcmp(k, "crime_types"))
        return split(v, false, &ind->crime_types) ? nomem(in) : CSA_OK;
    if (!strcmp(k, "indicator_id"))
        return set_string(in, &ind->indicator_id, v);
    if (!strcmp(k, "question"))
        return set_string(in, &ind->question, v);
    if (!strcmp(k, "answers"))
        return split(v, false, &ind->answers) ? nomem(in) : CSA_OK;
    if (!strcmp(k, "by"))
        return split(v, false, &ind->by) ? nomem(in) : CSA_OK;
    if (!strcmp(k, "multiplier")) {
        if (!parse_number(v, &ind->multiplier) || ind->multiplier <= 0)
            return bad(in, e, "multiplier must be a positive number, not '%s'", v);
        return CSA_OK;
    }
    if (!strcmp(k, "polarity")) {
        static const char *const names[] = {"low-is-good", "high-is-good", "no-judgement"};
        for (int p = 0; p < 3; p++)
            if (!strcmp(v, names[p]))
                return ind->polarity = (csa_polarity)p, CSA_OK;
        return bad(in, e, "polarity is low-is-good, high-is-good or no-judgement, not '%s'", v);
    }
    if (!strcmp(k, "comparator_value")) {
        if (!parse_number(v, &ind->comparator_value))
            return bad(in, e, "comparator_value must be a number, not '%s'", v);
        return CSA_OK;
    }
    if (!strcmp(k, "harm")) {
        if (!parse_number(v, &ind->harm) || ind->harm < 0)
            return bad(in, e, "harm must be a number of 0 or more, not '%s'", v);
        return CSA_OK;
    }
    if (!strcmp(k, "concern"))
        return set_string(in, &ind->concern, v);
    if (!strcmp(k, "priority")) {
        bool yes;
        if (!parse_bool(v, &yes))
            return bad(in, e, "priority is yes or no, not '%s'", v);
        ind->priority = yes;
        return CSA_OK;
    }
    return bad(in, e, "unknown key '%s' in an [indicator.NAME] section ('csa help run')", k);
}

static csa_status assessment_key(interp *in, entry *e)
{
    csa_config *c = in->c;
    const char *k = e->key, *v = e->value;
    if (!strcmp(k, "title"))
        return set_string(in, &c->title, v);
    if (!strcmp(k, "area"))
        return set_string(in, &c->area_name, v);
    if (!strcmp(k, "la_code"))
        return set_string(in, &c->la_code, v);
    if (!strcmp(k, "lsoas"))
        return split(v, true, &c->lsoas) ? nomem(in) : CSA_OK;
    if (!strcmp(k, "baseline")) {
        char *label = NULL;
        bool ok = parse_period(v, &c->baseline_first, &c->baseline_last, &label);
        free(label);
        return ok ? CSA_OK : bad(in, e, "baseline must be a run of months such as '2018-10 to "
                                        "2018-12', not '%s'", v);
    }
    if (!strcmp(k, "period"))
        return parse_period(v, &c->period_first, &c->period_last, &c->period_label) ? CSA_OK
                                  : bad(in, e, "period must be a financial year (2018/19), "
                                               "'4 quarters to 2018-12' or '2018-10 to "
                                               "2018-12', not '%s'", v);
    if (!strcmp(k, "comparator"))
        return set_string(in, &c->comparator, v);
    if (!strcmp(k, "comparator_areas"))
        return split(v, true, &c->comparator_areas) ? nomem(in) : CSA_OK;
    if (!strcmp(k, "comparator_code"))
        return set_string(in, &c->comparator_code, v);
    if (!strcmp(k, "output")) {
        free(c->output);
        return asprintf(&c->output, "%s%s", v[0] == '/' ? "" : in->dir, v) < 0
                   ? (c->output = NULL, nomem(in)) : CSA_OK;
    }
    if (!strcmp(k, "deprivation") || !strcmp(k, "population")) {
        size_t i = find_input(c, v);
        if (i == SIZE_MAX)
            return bad(in, e, "no input '%s': declare it as [input.%s]", v);
        *(k[0] == 'd' ? &c->deprivation : &c->population) = i;
        return CSA_OK;
    }
    return bad(in, e, "unknown key '%s' in [assessment] ('csa help run')", k);
}

static csa_status priorities_key(interp *in, entry *e)
{
    csa_config *c = in->c;
    if (!strcmp(e->key, "criteria")) {
        csa_config_list names = {0};
        if (split(e->value, false, &names))
            return nomem(in);
        c->ncriteria = 0;
        csa_status st = CSA_OK;
        for (size_t i = 0; i < names.n && !st; i++) {
            size_t k = 0;
            while (k < CSA_NCRITERIA && strcmp(csa_criterion_name((csa_criterion)k), names.v[i]))
                k++;
            bool dup = false;
            for (size_t j = 0; j < c->ncriteria; j++)
                dup |= c->criteria[j] == (csa_criterion)k;
            if (k == CSA_NCRITERIA || dup)
                st = bad(in, e, dup ? "criterion '%s' named twice"
                                    : "no criterion '%s': volume, trend, harm, deprivation "
                                      "or concern", names.v[i]);
            else
                c->criteria[c->ncriteria++] = (csa_criterion)k;
        }
        list_free(&names);
        return st;
    }
    if (!strncmp(e->key, "weight.", 7)) {
        for (size_t k = 0; k < CSA_NCRITERIA; k++)
            if (!strcmp(csa_criterion_name((csa_criterion)k), e->key + 7)) {
                if (!parse_number(e->value, &c->weights[k]) || c->weights[k] < 0)
                    return bad(in, e, "a weight must be a number of 0 or more, not '%s'",
                               e->value);
                return CSA_OK;
            }
    }
    return bad(in, e, "unknown key '%s' in [priorities] ('csa help run')", e->key);
}

static bool valid_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
            return false;
    return true;
}

/* Sections [input.*] first (indicators refer to them), then the rest. */
static csa_status interpret(interp *in)
{
    parse_state *p = in->p;
    csa_config *c = in->c;
    csa_status st = CSA_OK;
    for (int pass = 0; pass < 2 && !st; pass++) {
        for (size_t i = 0; i < p->n && !st; i++) {
            entry *e = &p->e[i];
            bool is_input = !strncmp(e->section, "input.", 6);
            if (is_input != (pass == 0))
                continue;
            const char *dot = strchr(e->section, '.');
            if (is_input || !strncmp(e->section, "indicator.", 10)) {
                const char *name = dot + 1;
                if (!valid_name(name)) {
                    csa_error_set(in->err, CSA_ERR_USAGE, c->path, (uint64_t)e->line, 0,
                                  NULL, e->section, "section [%s]: a name is letters, digits, "
                                  "'-' and '_'", e->section);
                    return CSA_ERR_USAGE;
                }
                if (is_input) {
                    size_t k = find_input(c, name);
                    if (k == SIZE_MAX) {
                        csa_config_input *v = realloc(c->inputs, (c->ninputs + 1) * sizeof *v);
                        if (!v)
                            return nomem(in);
                        c->inputs = v;
                        k = c->ninputs++;
                        v[k] = (csa_config_input){.name = strdup(name), .line = e->line};
                        if (!v[k].name)
                            return nomem(in);
                    }
                    st = input_key(in, &c->inputs[k], e);
                } else {
                    size_t k = 0;
                    while (k < c->nindicators && strcmp(c->indicators[k].name, name))
                        k++;
                    if (k == c->nindicators) {
                        csa_config_indicator *v = realloc(c->indicators, (k + 1) * sizeof *v);
                        if (!v)
                            return nomem(in);
                        c->indicators = v;
                        c->nindicators++;
                        v[k] = (csa_config_indicator){.name = strdup(name), .input = SIZE_MAX,
                                               .multiplier = NAN, .comparator_value = NAN,
                                               .harm = NAN, .priority = -1, .line = e->line};
                        if (!v[k].name)
                            return nomem(in);
                    }
                    st = indicator_key(in, &c->indicators[k], e);
                }
            } else if (!strcmp(e->section, "assessment")) {
                st = assessment_key(in, e);
            } else if (!strcmp(e->section, "priorities")) {
                st = priorities_key(in, e);
            } else {
                csa_error_set(in->err, CSA_ERR_USAGE, c->path, (uint64_t)e->line, 0, NULL,
                              e->section, "unknown section [%s]: [assessment], [input.NAME], "
                              "[indicator.NAME] or [priorities]", e->section);
                return CSA_ERR_USAGE;
            }
        }
    }
    return st;
}

/* What must be there once every key is read. */
static csa_status check(interp *in)
{
    csa_config *c = in->c;
    const char *missing = !c->period_label                    ? "period"
                          : !c->la_code && !c->lsoas.n         ? "la_code (or lsoas)"
                          : c->deprivation == SIZE_MAX         ? "deprivation"
                          : c->population == SIZE_MAX          ? "population"
                                                               : NULL;
    if (missing)
        return csa_error_set(in->err, CSA_ERR_USAGE, c->path, 0, 0, missing, NULL,
                             "[assessment] needs %s ('csa help run')", missing);
    if (c->la_code && c->lsoas.n)
        return csa_error_set(in->err, CSA_ERR_USAGE, c->path, 0, 0, "lsoas", NULL,
                             "[assessment] takes la_code or lsoas, not both");
    if (!c->ncriteria) { /* no [priorities]: rank on the figures alone */
        c->criteria[0] = CSA_CRITERION_VOLUME, c->criteria[1] = CSA_CRITERION_TREND;
        c->ncriteria = 2;
    }
    if (c->baseline_last && (c->baseline_first < c->period_first ||
                             c->baseline_last > c->period_last))
        return csa_error_set(in->err, CSA_ERR_USAGE, c->path, 0, 0, "baseline", NULL,
                             "[assessment] baseline must lie within the period");
    static const char *const need_spec[2] = {"imd", "population"};
    size_t need_input[2] = {c->deprivation, c->population};
    for (int i = 0; i < 2; i++)
        if (strcmp(c->inputs[need_input[i]].spec ? c->inputs[need_input[i]].spec->name : "",
                   need_spec[i]))
            return csa_error_set(in->err, CSA_ERR_USAGE, c->path, 0, 0,
                                 i ? "population" : "deprivation", NULL,
                                 "[assessment] %s must name an input with spec %s",
                                 i ? "population" : "deprivation", need_spec[i]);
    for (size_t i = 0; i < c->ninputs; i++) {
        csa_config_input *inp = &c->inputs[i];
        const char *what = !inp->spec ? "spec" : !inp->files.n ? "files" : NULL;
        if (what)
            return csa_error_set(in->err, CSA_ERR_USAGE, c->path, (uint64_t)inp->line, 0, what,
                                 NULL, "[input.%s] needs %s", inp->name, what);
    }
    for (size_t i = 0; i < c->ninputs; i++) {
        csa_config_input *inp = &c->inputs[i];
        if (inp->lookup) {
            size_t k = find_input(c, inp->lookup);
            const char *why = k == SIZE_MAX ? "no input '%s'"
                              : strcmp(c->inputs[k].spec->name, "area-lookup")
                                  ? "lookup '%s' must be an input with spec area-lookup"
                              : strcmp(inp->spec->name, "survey")
                                  ? "only a survey takes a lookup (of its ward codes); '%s' "
                                    "is not needed here"
                                  : NULL;
            if (why)
                return csa_error_set(in->err, CSA_ERR_USAGE, c->path, (uint64_t)inp->line, 0,
                                     "lookup", inp->lookup, why, inp->lookup);
        }
    }
    for (size_t i = 0; i < c->nindicators; i++) {
        csa_config_indicator *ind = &c->indicators[i];
        uint64_t line = (uint64_t)ind->line;
        if (ind->input == SIZE_MAX)
            return csa_error_set(in->err, CSA_ERR_USAGE, c->path, line, 0, "input", NULL,
                                 "[indicator.%s] needs input", ind->name);
        const char *spec = c->inputs[ind->input].spec->name;
        const char *need = !strcmp(spec, "fingertips") && !ind->indicator_id ? "indicator_id"
                           : !strcmp(spec, "survey") && !ind->question       ? "question"
                                                                             : NULL;
        if (need)
            return csa_error_set(in->err, CSA_ERR_USAGE, c->path, line, 0, need, NULL,
                                 "[indicator.%s] needs %s for a %s input", ind->name, need,
                                 spec);
        bool police = !strcmp(spec, "police-street"), survey = !strcmp(spec, "survey");
        const char *stray = !police && ind->crime_types.n                      ? "crime_types"
                            : !police && !isnan(ind->multiplier)                ? "multiplier"
                            : strcmp(spec, "fingertips") && ind->indicator_id ? "indicator_id"
                            : !survey && ind->question                          ? "question"
                            : !survey && ind->answers.n                         ? "answers"
                            : !survey && ind->by.n                              ? "by"
                                                                                : NULL;
        if (stray)
            return csa_error_set(in->err, CSA_ERR_USAGE, c->path, line, 0, stray, NULL,
                                 "[indicator.%s]: %s does not apply to a %s input",
                                 ind->name, stray, spec);
        if (!(ind->kind = csa_kind_for_spec(spec)))
            return csa_error_set(in->err, CSA_ERR_USAGE, c->path, line, 0, "input", spec,
                                 "[indicator.%s]: indicators are computed from police-street, "
                                 "fingertips or survey inputs, not %s", ind->name, spec);
        if (!strcmp(spec, "survey")) {
            if (!ind->answers.n && list_add(&ind->answers, "Yes", 3))
                return nomem(in);
        }
        /* survey indicators measure concern; they are candidates only when
         * the config says so */
        if (ind->priority < 0)
            ind->priority = strcmp(spec, "survey") != 0;
        if (!strcmp(spec, "police-street")) {
            const csa_spec_column *col = &c->inputs[ind->input].spec->columns[
                csa_spec_column_index(c->inputs[ind->input].spec, "Crime type")];
            for (size_t k = 0; k < ind->crime_types.n; k++) {
                size_t j = 0;
                while (col->codes[j] && strcmp(col->codes[j], ind->crime_types.v[k]))
                    j++;
                if (!col->codes[j])
                    return csa_error_set(in->err, CSA_ERR_USAGE, c->path, line, 0,
                                         "crime_types", ind->crime_types.v[k],
                                         "[indicator.%s]: '%s' is not a police.uk crime type "
                                         "('csa specs police-street' lists them)", ind->name,
                                         ind->crime_types.v[k]);
            }
        }
        if (isnan(ind->multiplier))
            ind->multiplier = !strcmp(spec, "survey") ? 100 : 1000;
        if (!ind->title && !(ind->title = strdup(ind->name)))
            return nomem(in);
        if (!ind->theme && !(ind->theme = strdup(!strcmp(spec, "police-street") ? "Crime"
                                                 : !strcmp(spec, "survey")      ? "Survey"
                                                                                : "Health")))
            return nomem(in);
    }
    for (size_t i = 0; i < c->nindicators; i++) {
        csa_config_indicator *ind = &c->indicators[i];
        if (!ind->concern)
            continue;
        size_t k = 0;
        while (k < c->nindicators && strcmp(c->indicators[k].name, ind->concern))
            k++;
        if (k == c->nindicators || strcmp(c->inputs[c->indicators[k].input].spec->name, "survey"))
            return csa_error_set(in->err, CSA_ERR_USAGE, c->path, (uint64_t)ind->line, 0,
                                 "concern", ind->concern, "[indicator.%s]: concern must name a "
                                 "survey indicator, not '%s'", ind->name, ind->concern);
    }
    if (!c->nindicators)
        return csa_error_set(in->err, CSA_ERR_USAGE, c->path, 0, 0, NULL, NULL,
                             "the config declares no [indicator.NAME]");
    if (!c->title && !(c->title = strdup("Community Safety Partnership")))
        return nomem(in);
    if (!c->area_name && !(c->area_name = strdup(c->la_code ? c->la_code : "the area")))
        return nomem(in);
    if (!c->comparator && !(c->comparator = strdup("England")))
        return nomem(in);
    if (!c->comparator_code &&
        !(c->comparator_code = strdup(!strcmp(c->comparator, "England") ? "E92000001" : "")))
        return nomem(in);
    if (!c->output && asprintf(&c->output, "%scsa-out", in->dir) < 0)
        return c->output = NULL, nomem(in);
    return CSA_OK;
}

csa_status csa_config_read(const char *path, csa_config **out, csa_error *err)
{
    *out = NULL;
    csa_config *c = calloc(1, sizeof *c);
    parse_state p = {.path = path};
    interp in = {.c = c, .p = &p, .err = err};
    char *text = NULL;
    csa_status st = CSA_OK;
    if (!c || !(c->path = strdup(path))) {
        st = csa_error_set(err, CSA_ERR_NOMEM, path, 0, 0, NULL, NULL, "out of memory");
        goto fail;
    }
    c->deprivation = c->population = SIZE_MAX;
    for (size_t k = 0; k < CSA_NCRITERIA; k++)
        c->weights[k] = 1;
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        st = csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL,
                           "is not a file: give the config file (assessment.ini)");
        goto fail;
    }
    FILE *fp = fopen(path, "rb");
    size_t len = 0;
    if (fp) {
        fseek(fp, 0, SEEK_END);
        long size = ftell(fp);
        rewind(fp);
        text = size >= 0 ? malloc((size_t)size + 1) : NULL;
        len = text ? fread(text, 1, (size_t)size, fp) : 0;
        fclose(fp);
    }
    if (!text) {
        st = csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot read the config: %s",
                           fp ? "out of memory" : strerror(errno));
        goto fail;
    }
    p.text = p.pos = text;
    p.end = text + len;
    int bad_line = ini_parse_stream(read_line, &p, on_entry, &p);
    if (p.nomem) {
        st = csa_error_set(err, CSA_ERR_NOMEM, path, 0, 0, NULL, NULL, "out of memory");
        goto fail;
    }
    if (p.too_long) {
        st = csa_error_set(err, CSA_ERR_USAGE, path, (uint64_t)p.long_line, 0, NULL, NULL,
                           "line longer than %d characters: put a long list on indented "
                           "continuation lines", INI_MAX_LINE - 1);
        goto fail;
    }
    if (p.bad_line) {
        st = csa_error_set(err, CSA_ERR_USAGE, path, (uint64_t)p.bad_line, 0, NULL, NULL, "%s",
                           p.bad);
        goto fail;
    }
    for (size_t i = 0; i < p.n; i++)
        for (size_t j = i + 1; j < p.n; j++)
            if (!strcmp(p.e[i].section, p.e[j].section) && !strcmp(p.e[i].key, p.e[j].key)) {
                st = csa_error_set(err, CSA_ERR_USAGE, path, (uint64_t)p.e[j].line, 0,
                                   p.e[j].key, NULL, "'%s' is given twice in [%s] (first on "
                                   "line %d)", p.e[j].key, p.e[j].section, p.e[i].line);
                goto fail;
            }
    if (bad_line) {
        st = csa_error_set(err, CSA_ERR_USAGE, path, (uint64_t)bad_line, 0, NULL, NULL,
                           "not a [section] or a key = value line");
        goto fail;
    }
    const char *slash = strrchr(path, '/');
    if (!(in.dir = strndup(path, slash ? (size_t)(slash - path) + 1 : 0))) {
        st = csa_error_set(err, CSA_ERR_NOMEM, path, 0, 0, NULL, NULL, "out of memory");
        goto fail;
    }
    if ((st = interpret(&in)) || (st = check(&in)))
        goto fail;
    *out = c;
    c = NULL;
fail:
    for (size_t i = 0; i < p.n; i++)
        free(p.e[i].section), free(p.e[i].key), free(p.e[i].value);
    free(p.e);
    free(text);
    free(in.dir);
    csa_config_free(c);
    return st;
}

void csa_config_free(csa_config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->ninputs; i++) {
        free(c->inputs[i].name);
        free(c->inputs[i].lookup);
        list_free(&c->inputs[i].files);
    }
    free(c->inputs);
    for (size_t i = 0; i < c->nindicators; i++) {
        csa_config_indicator *ind = &c->indicators[i];
        free(ind->name), free(ind->title), free(ind->theme), free(ind->unit);
        free(ind->indicator_id);
        free(ind->question), free(ind->concern);
        list_free(&ind->crime_types), list_free(&ind->answers), list_free(&ind->by);
    }
    free(c->indicators);
    list_free(&c->lsoas);
    list_free(&c->comparator_areas);
    free(c->path), free(c->title), free(c->area_name), free(c->la_code), free(c->period_label);
    free(c->comparator), free(c->comparator_code), free(c->output);
    free(c);
}
