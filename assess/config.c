/* assessment.ini. Every key is one row of KEYS below: the row drives the
 * reading, the checks, the defaults, `csa help run` and `csa init`'s
 * starter, so a key is described once. A config is read in four passes,
 * each reporting every problem it finds (sorted into line order at the
 * end): lines into entries, values into the config, checks that need other
 * keys (references, kinds, required keys), then defaults. */
#include "csa/assess.h"
#include "csa/month.h"

#include "kind.h"

#include <ctype.h>
#include <glob.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>

/* ---- sections and keys ---- */

typedef enum section_id { SEC_NONE, SEC_ASSESSMENT, SEC_INPUT, SEC_PARTNER, SEC_INDICATOR,
                          SEC_PRIORITIES, NSECTIONS } section_id;

static const struct section_def {
    const char *name;  /* "input": [input.NAME] when named */
    bool named;
    const char *in;    /* for messages */
    const char *help;  /* beside its header in `csa help run` */
    const char *after; /* after its keys in `csa help run` */
} SECTIONS[NSECTIONS] = {
    [SEC_ASSESSMENT] = {"assessment", false, "in [assessment]", NULL, NULL},
    [SEC_INPUT] = {"input", true, "in an [input.NAME] section", "one per partner submission",
                   NULL},
    [SEC_PARTNER] = {"partner", true, "in a [partner.NAME] section",
                     "one per partner: the inputs they send, and by when",
                     "csa request writes each partner what to send; csa submit records what "
                     "they send in the register, and csa status shows who is late."},
    [SEC_INDICATOR] = {"indicator", true, "in an [indicator.NAME] section", NULL, NULL},
    [SEC_PRIORITIES] = {"priorities", false, "in [priorities]", NULL,
                        "Each criterion scores 1 (least concern) to 5; a candidate's total is the "
                        "sum of score x weight, and candidates rank by total. A criterion with no "
                        "value scores 3 and says why. The priority matrix sheet and page show "
                        "every value, score and weight."},
};

typedef enum key_type {
    KEY_TEXT,     /* char * */
    KEY_PATH,     /* char *: relative to the config's folder */
    KEY_LIST,     /* csa_config_list: items between commas */
    KEY_CODES,    /* csa_config_list: items between commas or spaces */
    KEY_FILES,    /* csa_config_list: files or globs between commas or spaces, matched */
    KEY_NUMBER,   /* double, within .range */
    KEY_YESNO,    /* int: 1 yes, 0 no */
    KEY_POLARITY, /* csa_polarity */
    KEY_SPEC,     /* const csa_spec * */
    KEY_INPUT,    /* size_t: the index of the input named */
    KEY_PERIOD,   /* a run of months, stored by .set */
    KEY_CRITERIA, /* the criteria scored, stored by .set */
} key_type;

typedef enum range { ANY_NUMBER, NOT_NEGATIVE, POSITIVE } range;

/* Bounds on what a config may say: a number beyond them is a slip (1e308
 * weights make every total infinite), a text beyond them would not fit
 * the outputs (a workbook cell holds 32,767 characters; a title is shown
 * whole on the pack's cover). Lines themselves may be of any length. */
#define MAX_NUMBER 1e9
enum { MAX_TEXT = 1000 }; /* characters of a text value */

/* How the starter shows a key: not at all, `key = example`, that with the
 * key's help as a comment above it, or all of it commented out. */
typedef enum starter_use { NOT_SHOWN, SHOWN, EXPLAINED, COMMENTED } starter_use;

typedef struct entry {
    int line;
    section_id sec;
    size_t obj;                    /* [input.NAME], [indicator.NAME]: its index */
    char *key, *value;
    size_t len, cap;               /* of value, which continuation lines add to */
    const struct config_key *row;  /* NULL: not a key (already reported) */
    size_t crit;                   /* weight.NAME: the criterion */
    bool ok;                       /* its value was read */
    bool bad;                      /* not text (reported): given, but not read */
} entry;

typedef struct interp interp;

typedef struct config_key {
    section_id section;
    const char *name;              /* "weight.NAME": NAME is a criterion's name */
    key_type type;
    size_t at;                     /* offsetof the value in its section's struct */
    bool (*set)(interp *in, const entry *e, void *obj); /* or this reads it */
    range range;                   /* KEY_NUMBER */
    double max;                    /* KEY_NUMBER: at most this (0: MAX_NUMBER), and no less
                                    * than -max */
    bool per_criterion;            /* weight.NAME: one double per criterion from `at` */
    const char *def;               /* the default, read as if given; NULL: none */
    const char *(*def_of)(const csa_config *c, const void *obj); /* or made from others */
    bool from_kind;                /* or the default is the kind's field at kind_at */
    size_t kind_at;
    bool required;
    const char *or_key;            /* the key that may stand in for it; never both */
    const csa_kind *const *kinds;  /* the kinds that take it (NULL-ended); NULL: all */
    const csa_kind *const *needs;  /* the kinds that need it */
    bool list_kinds;               /* help lists every kind and what it computes */
    section_id refers;             /* names an input or an indicator */
    const char *ref_spec;          /* ... an input of this spec */
    const csa_kind *const *ref_kinds; /* ... an indicator of one of these kinds */
    const char *codes;             /* each item a code of this column of the input's spec */
    const char *codes_are;         /* what those codes are, for messages */
    void (*check)(interp *in, const entry *e); /* a rule across keys */
    const char *help;              /* '\n' breaks the line */
    starter_use starter;
    const char *example;
} config_key;

#define KINDS(...) ((const csa_kind *const[]){__VA_ARGS__, NULL})
#define KIND_DEFAULT(field) .from_kind = true, .kind_at = offsetof(csa_kind, field)
#define A(field) .section = SEC_ASSESSMENT, .at = offsetof(csa_config, field)
#define IN(field) .section = SEC_INPUT, .at = offsetof(csa_config_input, field)
#define IND(field) .section = SEC_INDICATOR, .at = offsetof(csa_config_indicator, field)
#define PAR(field) .section = SEC_PARTNER, .at = offsetof(csa_config_partner, field)
#define PRI(field) .section = SEC_PRIORITIES, .at = offsetof(csa_config, field)

static bool set_period(interp *in, const entry *e, void *obj);
static bool set_baseline(interp *in, const entry *e, void *obj);
static void baseline_within(interp *in, const entry *e);
static bool set_compare(interp *in, const entry *e, void *obj);
static void compare_before(interp *in, const entry *e);
static void output_safe(interp *in, const entry *e);
static bool set_criteria(interp *in, const entry *e, void *obj);
static const char *area_default(const csa_config *c, const void *obj);
static const char *comparator_code_default(const csa_config *c, const void *obj);
static const char *name_default(const csa_config *c, const void *obj);
static bool set_partner_inputs(interp *in, const entry *e, void *obj);
static bool set_due(interp *in, const entry *e, void *obj);
static bool set_from(interp *in, const entry *e, void *obj);
static bool set_denominator(interp *in, const entry *e, void *obj);
static void denominator_spec(interp *in, const entry *e);
static void from_register(interp *in, const entry *e);
static void boundaries_only(interp *in, const entry *e);

static const config_key KEYS[] = {
    {A(title), .name = "title", .type = KEY_TEXT, .def = "Community Safety Partnership",
     .help = "the assessment's title (cover of the pack)",
     .starter = SHOWN, .example = "Milton Keynes Community Safety Partnership"},
    {A(area_name), .name = "area", .type = KEY_TEXT, .def_of = area_default,
     .help = "the area's name, such as Milton Keynes (default: la_code)",
     .starter = SHOWN, .example = "Milton Keynes"},
    {A(la_code), .name = "la_code", .type = KEY_TEXT, .required = true, .or_key = "lsoas",
     .help = "the local authority code (E06000042): the area is the LSOAs the deprivation "
             "input gives to it",
     .starter = SHOWN, .example = "E06000042"},
    {A(lsoas), .name = "lsoas", .type = KEY_CODES, .or_key = "la_code",
     .help = "or: the area as a list of LSOA codes"},
    {.section = SEC_ASSESSMENT, .name = "period", .type = KEY_PERIOD, .set = set_period,
     .required = true,
     .help = "2018/19 (a financial year, April to March);\n4 quarters to 2018-12 (a rolling "
             "year to that month);\n2018-10 to 2018-12 (any run of months)",
     .starter = EXPLAINED, .example = "2018/19"},
    {.section = SEC_ASSESSMENT, .name = "baseline", .type = KEY_PERIOD, .set = set_baseline,
     .check = baseline_within,
     .help = "months whose SPC mean and limits every month is judged against, such as "
             "2017-04 to 2018-03: months the police files hold, ending by the period's last "
             "(default: the 12 months before the period, one of them missing at the most; "
             "with more missing, every month of the history)"},
    {.section = SEC_ASSESSMENT, .name = "compare_with", .type = KEY_PERIOD, .set = set_compare,
     .check = compare_before, .def = "previous year",
     .help = "what the period's change is measured against: previous year (the same months a "
             "year earlier), none, or a run of months of the period's length before it, such "
             "as 2016-10 to 2016-12. The police files must hold those months too (one file a "
             "month, as police.uk publishes them); when they hold none of them the run says "
             "so and gives no change figures"},
    {A(comparator), .name = "comparator", .type = KEY_TEXT, .def = "England",
     .help = "England, a region, or any named comparator", .starter = SHOWN,
     .example = "England"},
    {A(comparator_code), .name = "comparator_code", .type = KEY_TEXT,
     .def_of = comparator_code_default,
     .help = "its area code in Fingertips files (default E92000001 for England)"},
    {A(comparator_areas), .name = "comparator_areas", .type = KEY_CODES,
     .help = "or: the comparator as a set of LAs (codes), whose crime rate the run computes "
             "from the same inputs, for crime indicators without a comparator_value"},
    {A(output), .name = "output", .type = KEY_PATH, .def = "csa-out", .check = output_safe,
     .help = "output folder, replaced whole by each run: a folder of its own, not the "
             "config's or an input's (nor one holding them)",
     .starter = SHOWN, .example = "csa-out"},
    {A(deprivation), .name = "deprivation", .type = KEY_INPUT, .required = true,
     .refers = SEC_INPUT, .ref_spec = "imd",
     .help = "the input (spec imd) giving LSOAs their LA and decile", .starter = SHOWN,
     .example = "imd"},
    {A(population), .name = "population", .type = KEY_INPUT, .required = true,
     .refers = SEC_INPUT, .ref_spec = "population",
     .help = "the input (spec population) giving LSOA residents: one year, or several "
             "mid-year estimates (a year column, such as year or Mid-year, in one file or in "
             "one file a year). A period's rates are per the residents of the mid-year "
             "estimate of the year its middle month falls in (June for a calendar year, "
             "September for April to March), the comparison period's per its own year's; the "
             "nearest year the input has when it lacks that one, said in the note. With one "
             "year, both periods' rates are per the same residents", .starter = SHOWN,
     .example = "population"},
    {A(lsoa_lookup), .name = "lsoa_lookup", .type = KEY_INPUT, .refers = SEC_INPUT,
     .ref_spec = "lsoa-lookup",
     .help = "the input (spec lsoa-lookup: ONS's LSOA 2011 to 2021 lookup) that puts the "
             "population's 2021 LSOAs, and crimes in them, in the deprivation input's 2011 "
             "LSOAs (without it, crimes in LSOAs with no population row are left out, and "
             "every output says how many)",
     .starter = COMMENTED, .example = "lookup"},
    {A(register_path), .name = "register", .type = KEY_PATH, .def = "submissions.sqlite",
     .help = "the submissions register (a SQLite file csa submit writes; its store folder of "
             "every version sent sits beside it)"},
    {A(suppress_below), .name = "suppress_below", .type = KEY_NUMBER, .range = POSITIVE,
     .max = 100, .def = "5",
     .help = "counts from 1 to this less 1 are suppressed (shown as *) in every output of an "
             "input with personal = yes, and other cells of the same table with them "
             "(secondary suppression) so that no total gives them away"},
    {A(higher_area), .name = "higher_area", .type = KEY_INPUT, .refers = SEC_INPUT,
     .ref_spec = "area-lookup",
     .help = "the input (spec area-lookup) that places the area's LSOAs in higher areas: "
             "its wards, or, when it gives none, its higher area columns (such as MSOA11CD, "
             "MSOA11NM); a higher area with no code is known by its name. Crime indicators "
             "then give rates per higher area with 95% intervals, a table and a chart"},
    {A(higher_area_label), .name = "higher_area_label", .type = KEY_TEXT,
     .help = "what the higher areas are called in the outputs, such as MSOA (default: Ward "
             "when the lookup gives wards, else Higher area)"},
    {A(boundaries), .name = "boundaries", .type = KEY_INPUT, .refers = SEC_INPUT,
     .ref_spec = "boundaries",
     .help = "the input (spec boundaries: a GeoJSON, GeoPackage or Shapefile of the area's "
             "LSOAs, of the deprivation input's vintage, such as the ONS Open Geography "
             "Portal's) that the maps are drawn from: each crime indicator's rates by LSOA "
             "and its hotspots, and the area's IMD deciles. A shape missing, of another "
             "vintage or broken stops the run as any input's errors do (without it, no maps)",
     .starter = COMMENTED, .example = "lsoa_shapes"},

    {IN(spec), .name = "spec", .type = KEY_SPEC, .required = true,
     .help = "the dataset spec (`csa specs` lists them)"},
    {IN(files), .name = "files", .type = KEY_FILES, .required = true, .or_key = "from",
     .help = "files or globs"},
    {.section = SEC_INPUT, .name = "from", .type = KEY_TEXT, .or_key = "files",
     .set = set_from, .check = from_register,
     .help = "or: register, the latest valid submission of it in the register (csa submit), "
             "from a partner whose inputs name it"},
    {IN(lookup), .name = "lookup", .type = KEY_TEXT, .kinds = KINDS(&csa_kind_survey),
     .refers = SEC_INPUT, .ref_spec = "area-lookup",
     .help = "an input (spec area-lookup) giving its ward codes' LA: respondents in wards of "
             "other LAs are left out (without it every respondent counts as the area's)"},

    {IN(source), .name = "source", .type = KEY_TEXT, .check = boundaries_only,
     .help = "spec boundaries: where the shapes come from, on every map's source line "
             "(default: the file's name)", .starter = COMMENTED,
     .example = "ONS Open Geography Portal"},
    {IN(attribution), .name = "attribution", .type = KEY_TEXT, .check = boundaries_only,
     .help = "spec boundaries: the attribution their licence asks for, on every map (default: "
             "Contains OS data \u00a9 Crown copyright and database right; ONS data, Open "
             "Government Licence, as the ONS's boundaries ask)"},
    {IN(personal), .name = "personal", .type = KEY_YESNO, .def = "no",
     .kinds = KINDS(&csa_kind_partner_counts, &csa_kind_partner_incidents),
     .help = "yes for personal data shared under an agreement (hospital, ambulance): "
             "counts below suppress_below are suppressed in every output"},

    {IND(title), .name = "title", .type = KEY_TEXT, .def_of = name_default,
     .help = "the indicator's name (default: the NAME of [indicator.NAME])", .starter = SHOWN,
     .example = "Violence and sexual offences"},
    {IND(theme), .name = "theme", .type = KEY_TEXT, KIND_DEFAULT(theme),
     .help = "the workbook sheet it goes on", .starter = SHOWN, .example = "Crime"},
    {IND(unit), .name = "unit", .type = KEY_TEXT,
     .help = "the unit shown (default: per 1,000 residents; % for surveys; say what a "
             "Fingertips value is, such as per 100,000)"},
    {IND(input), .name = "input", .type = KEY_INPUT, .required = true, .refers = SEC_INPUT,
     .list_kinds = true, .help = "the input it is computed from", .starter = SHOWN,
     .example = "police"},
    {IND(crime_types), .name = "crime_types", .type = KEY_LIST,
     .kinds = KINDS(&csa_kind_police), .codes = "Crime type",
     .codes_are = "police.uk crime type", .help = "crime types counted (default all)",
     .starter = SHOWN, .example = "Violence and sexual offences"},
    {IND(categories), .name = "categories", .type = KEY_LIST,
     .kinds = KINDS(&csa_kind_partner_counts, &csa_kind_partner_incidents),
     .help = "the measures (partner counts) or categories (partner incidents) counted, in any "
             "case (default all)", .example = "deliberate fires"},
    {IND(denominator), .name = "denominator", .type = KEY_TEXT, .def = "residents",
     .set = set_denominator, .check = denominator_spec,
     .kinds = KINDS(&csa_kind_partner_counts, &csa_kind_partner_incidents),
     .help = "what a partner rate is per: residents (the population input's Total); input "
             "NAME (an input of spec population whose Total is another count by LSOA, such "
             "as households); or bands of the population input summed, such as 0 to 15 (F0 "
             "to 15 and M0 to 15) or F16 to 29, M16 to 29",
     .example = "0 to 15"},
    {IND(denominator_label), .name = "denominator_label", .type = KEY_TEXT,
     .kinds = KINDS(&csa_kind_partner_counts, &csa_kind_partner_incidents),
     .help = "who the denominator counts, in every heading, axis and sentence of the "
             "indicator (\"per 1,000 LABEL\"; default: residents, residents aged BANDS, or "
             "the input's NAME)", .example = "young people aged 0 to 15"},
    {IND(indicator_id), .name = "indicator_id", .type = KEY_TEXT,
     .kinds = KINDS(&csa_kind_fingertips), .needs = KINDS(&csa_kind_fingertips),
     .help = "the Indicator ID"},
    {IND(question), .name = "question", .type = KEY_TEXT, .kinds = KINDS(&csa_kind_survey),
     .needs = KINDS(&csa_kind_survey), .help = "the answer column"},
    {IND(answers), .name = "answers", .type = KEY_LIST, .kinds = KINDS(&csa_kind_survey),
     .def = "Yes", .help = "the answers counted"},
    {IND(by), .name = "by", .type = KEY_LIST, .kinds = KINDS(&csa_kind_survey),
     .help = "breakdown columns (such as sex, age band)"},
    {IND(multiplier), .name = "multiplier", .type = KEY_NUMBER, .range = POSITIVE, .max = 1e6,
     .kinds = KINDS(&csa_kind_police, &csa_kind_partner_counts, &csa_kind_partner_incidents), KIND_DEFAULT(multiplier),
     .help = "per how many residents", .starter = SHOWN, .example = "1000"},
    {IND(polarity), .name = "polarity", .type = KEY_POLARITY, .def = "low-is-good",
     .help = "which way is good:", .starter = SHOWN, .example = "low-is-good"},
    {IND(comparator_value), .name = "comparator_value", .type = KEY_NUMBER,
     .help = "the comparator's value of this indicator over the same period (fingertips: "
             "read from the file instead)",
     .starter = COMMENTED, .example = "30.5"},
    {IND(annualise), .name = "annualise", .type = KEY_YESNO, .def = "no",
     .kinds = KINDS(&csa_kind_police),
     .help = "for a period the police files cover only in part: yes scales the rate over the "
             "months present to the whole period (x months / months present), labelled so, "
             "and compares it with comparator_value; with no, the rate is over the months "
             "present and is not compared with comparator_value:"},
    {IND(harm), .name = "harm", .type = KEY_NUMBER, .range = NOT_NEGATIVE, .max = 1e6,
     .help = "harm weight per unit of the indicator's value, such as its ONS Crime Severity "
             "Score; harm scores compare weight x value across candidates, so give weights "
             "for values over the same period",
     .starter = COMMENTED, .example = "150"},
    {IND(concern), .name = "concern", .type = KEY_TEXT, .refers = SEC_INDICATOR,
     .ref_kinds = KINDS(&csa_kind_survey),
     .help = "the survey indicator that measures public concern about it"},
    {IND(priority), .name = "priority", .type = KEY_YESNO, KIND_DEFAULT(candidate),
     .help = "whether it is a candidate priority:"},

    {PAR(organisation), .name = "organisation", .type = KEY_TEXT, .required = true,
     .help = "who they are, as the request letter addresses them", .starter = SHOWN,
     .example = "Thames Valley Police"},
    {PAR(contact), .name = "contact", .type = KEY_TEXT, .required = true,
     .help = "their data contact (a name, an email address)", .starter = SHOWN,
     .example = "Data Officer, data@example.org"},
    {PAR(inputs), .name = "inputs", .type = KEY_LIST, .set = set_partner_inputs,
     .required = true, .help = "the inputs they supply, by name ([input.NAME])",
     .starter = SHOWN, .example = "police"},
    {PAR(due), .name = "due", .type = KEY_TEXT, .set = set_due, .required = true,
     .help = "the date their data is due, YYYY-MM-DD", .starter = SHOWN,
     .example = "2019-01-31"},

    {.section = SEC_PRIORITIES, .name = "criteria", .type = KEY_CRITERIA, .set = set_criteria,
     .def = "volume, trend",
     .help = "the criteria scored, from: volume (value against the comparator), trend "
             "(crime: the rate ratio against compare_with's period, 5 a significant rise of "
             "20% or more, 4 a smaller significant rise, 3 no significant change or no "
             "comparison, 2 a significant fall of less than 20%, 1 a significant fall of 20% "
             "or more, rise and fall swapped where high is good; Fingertips: the recent "
             "trend), harm (harm weight x rate), deprivation "
             "(relative index of inequality by IMD decile), concern (the linked survey share)",
     .starter = SHOWN, .example = "volume, trend, harm, deprivation"},
    {PRI(weights), .name = "weight.NAME", .type = KEY_NUMBER, .range = NOT_NEGATIVE, .max = 100,
     .per_criterion = true, .def = "1", .help = "each criterion's weight", .starter = SHOWN,
     .example = "1"},
};
enum { NKEYS = sizeof KEYS / sizeof KEYS[0] };

static const char *const POLARITIES[] = {"low-is-good", "high-is-good", "no-judgement", NULL};

static const char HELP_HEAD[] =
    "Usage: csa run CONFIG.ini [--out DIR] [--format html|pdf|all]\n"
    "               [--allow-invalid INPUT]... [--quiet]\n"
    "\n"
    "Runs the whole strategic assessment that CONFIG declares: validates every\n"
    "input, reads them, computes every indicator (rate with 95% interval,\n"
    "comparison with the comparator, change on last year, monthly trend with SPC\n"
    "limits, breakdown by deprivation decile, survey figures), scores the\n"
    "priorities, and writes assessment.xlsx, the meeting pack assessment-pack.pdf,\n"
    "the same content as one accessible web page assessment.html (WCAG 2.1 AA:\n"
    "self-contained, no script, charts as SVG with their data as tables), charts\n"
    "(PNG and SVG), CSV tables and manifest.json to the output folder: all of\n"
    "them or, when anything fails, none (earlier outputs stay as they were).\n"
    "\n"
    "Options:\n"
    "  --out DIR              output folder, instead of the config's `output`\n"    "  --format html|pdf|all  the pack as a web page (assessment.html), a PDF\n"
    "                         (assessment-pack.pdf) or both (all, the default); the\n"
    "                         workbook, charts and tables are always written\n"
    "  --allow-invalid INPUT  leave out an input whose validation finds errors,\n"
    "                         instead of stopping; every output it affects says so\n"
    "                         (repeat for several inputs)\n"
    "  --quiet                no progress on stderr (warnings and errors are still\n"
    "                         printed)\n"
    "\n"
    "Exit status: 0 done; 1 a data problem stopped the run (an input with\n"
    "errors, which are listed; an input with no rows in the period; an area\n"
    "with no residents; files that do not cover the area; a file or a month\n"
    "given twice); 2 bad usage, a bad config, or a file that cannot be read or\n"
    "written.\n"
    "\n"
    "Before any figure, the inputs that place rows in LSOAs are checked against\n"
    "the area and every comparator area: more than 50% of an area's LSOAs with\n"
    "no row in the period stops the run (files of another force), naming what\n"
    "the files do cover; more than 10%, or an area with no row in a month the\n"
    "files have for others, is a warning on every indicator of the input. The\n"
    "files of an input are checked as a set: the same file twice, a month of a\n"
    "force in two files and Crime IDs shared between files are errors. An input\n"
    "that no indicator, lookup or [assessment] key names is a warning: it is read\n"
    "and checked all the same, but no indicator comes from it.\n"
    "\n"
    "The config (INI; `csa init` writes a commented starter). Paths are relative\n"
    "to the config's folder; `files` takes globs and lists (spaces or commas;\n"
    "a path with a space goes in double quotes).\n"
    "Lists go on one line or on indented continuation lines. An unknown section\n"
    "or key is an error; every error in the config is reported, by line.\n"
    "The config is UTF-8 text (LF, CRLF or CR line ends). A number is written\n"
    "in decimal, within plus or minus 1000000000 unless its key says less; a\n"
    "text value is at most 1000 characters; a key given is never empty.\n";

static const char HELP_TAIL[] = "\nExample: csa run data-samples/assessment.ini --out csa-out\n";

static const char STARTER_HEAD[] =
    "; A strategic assessment for csa run (csa help run explains every key).\n"
    "; Paths are relative to this file's folder.\n";

/* The starter's inputs: the police files its indicator reads and the two
 * references [assessment] needs. */
static const struct { const char *name, *spec, *files; } STARTER_INPUTS[] = {
    {"police", "police-street", "police/*.csv"},
    {"imd", "imd", "imd2019-lsoa.csv"},
    {"population", "population", "population-lsoa.csv"},
};
static const char STARTER_INDICATOR[] = "violence";

/* ---- reading state and problems ---- */

enum { MAX_ERRORS = 100 };

struct interp {
    csa_config *c;
    char *dir;              /* the config's folder with a trailing '/', or "" */
    entry *e;
    size_t n, cap;
    int line[NSECTIONS];    /* [assessment], [priorities]: the line of the header */
    csa_config_errors errs; /* in line order; 0 (no line) last */
    size_t dropped;         /* past MAX_ERRORS */
    bool nomem;
    /* indexes, so that a config of 800,000 lines is checked in linear time */
    struct index_map {
        size_t *v;          /* an item + 1, or 0: a free slot */
        size_t cap, n;      /* cap: 0 or a power of two */
    } keys, names;          /* entries by section, object, key and criterion; sections
                             * by kind and name (item: obj * NSECTIONS + sec) */
};

static void problem(interp *in, int line, const char *key, const char *value, const char *fmt,
                    ...) __attribute__((format(printf, 5, 6)));

/* Adds one problem where its line puts it: after every problem of the
 * same line or an earlier one, and before those of the whole file (0). */
static void add_problem(interp *in, int line, const char *key, const char *value,
                        const char *msg)
{
    csa_error *v = realloc(in->errs.v, (in->errs.n + 1) * sizeof *v);
    if (!v) {
        in->nomem = true;
        return;
    }
    in->errs.v = v;
    size_t at = in->errs.n;
    while (at && line && (!v[at - 1].line || v[at - 1].line > (uint64_t)line))
        at--;
    memmove(&v[at + 1], &v[at], (in->errs.n - at) * sizeof *v);
    csa_error_set(&v[at], CSA_ERR_USAGE, in->c->path, (uint64_t)line, 0, key, value, "%s", msg);
    in->errs.n++;
}

static void problem(interp *in, int line, const char *key, const char *value, const char *fmt,
                    ...)
{
    if (in->errs.n == MAX_ERRORS) {
        in->dropped++;
        return;
    }
    char msg[CSA_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    add_problem(in, line, key, value, msg);
}

static bool nomem(interp *in)
{
    in->nomem = true;
    return false;
}

void csa_config_errors_free(csa_config_errors *all)
{
    if (!all)
        return;
    free(all->v);
    *all = (csa_config_errors){0};
}

/* ---- values ---- */

static bool list_add(csa_config_list *l, const char *s, size_t len)
{
    char **v = realloc(l->v, (l->n + 1) * sizeof *v);
    if (!v)
        return false;
    l->v = v;
    if (!(v[l->n] = strndup(s, len)))
        return false;
    l->n++;
    return true;
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
static bool split(const char *s, bool spaces, csa_config_list *out)
{
    while (*s) {
        while (*s == ',' || isspace((unsigned char)*s))
            s++;
        const char *close = *s == '"' ? strchr(s + 1, '"') : NULL;
        if (close) {
            if (!list_add(out, s + 1, (size_t)(close - s - 1)))
                return false;
            s = close + 1;
            continue;
        }
        const char *start = s;
        while (*s && *s != ',' && !(spaces && isspace((unsigned char)*s)))
            s++;
        const char *end = s;
        while (end > start && isspace((unsigned char)end[-1]))
            end--;
        if (end > start && !list_add(out, start, (size_t)(end - start)))
            return false;
    }
    return true;
}

/* A list with nothing in it (`crime_types = ,`) or an empty item ("") is
 * not a default: it is refused like an empty value. */
static bool listed(interp *in, const entry *e, const csa_config_list *l)
{
    bool empty = l->n == 0;
    for (size_t i = 0; i < l->n; i++)
        empty |= !l->v[i][0];
    if (empty)
        problem(in, e->line, e->key, e->value, "%s lists %s: give %s, or leave the key out",
                e->key, l->n ? "an empty item" : "nothing", l->n ? "every item" : "a value");
    return !empty;
}

/* e's value split into *l (split) and every item given (listed); false,
 * with *l freed and the problem said, when not. */
static bool split_listed(interp *in, const entry *e, bool paths, csa_config_list *l)
{
    if (!split(e->value, paths, l)) {
        list_free(l);
        return nomem(in);
    }
    if (!listed(in, e, l)) {
        list_free(l);
        return false;
    }
    return true;
}

/* Decimal only: strtod would also take 0x10, inf and nan. */
static bool parse_number(const char *s, double *out)
{
    char *end;
    if (s[strspn(s, "0123456789.eE+-")] != '\0')
        return false;
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

/* A period in the one grammar every command reads (csa_period_parse),
 * with its label ("October 2018 to December 2018"). */
static bool parse_period(const char *s, int32_t *first, int32_t *last, char **label_out)
{
    char label[CSA_PERIOD_TEXT_MAX];
    if (csa_period_parse(s, first, last, NULL))
        return false;
    free(*label_out);
    *label_out = strdup(csa_month_range_label(*first, *last, CSA_MONTH_LONG, label));
    return *label_out != NULL;
}

static bool set_period(interp *in, const entry *e, void *obj)
{
    csa_config *c = obj;
    errno = 0;
    if (parse_period(e->value, &c->period_first, &c->period_last, &c->period_label))
        return true;
    if (errno == ENOMEM)
        return nomem(in);
    problem(in, e->line, e->key, e->value, "period must be a financial year (2018/19), "
            "'4 quarters to 2018-12' or '2018-10 to 2018-12', not '%s'", e->value);
    return false;
}

static bool set_baseline(interp *in, const entry *e, void *obj)
{
    csa_config *c = obj;
    char *label = NULL;
    bool ok = parse_period(e->value, &c->baseline_first, &c->baseline_last, &label);
    free(label);
    if (!ok)
        problem(in, e->line, e->key, e->value, "baseline must be a run of months such as "
                "'2018-10 to 2018-12', not '%s'", e->value);
    return ok;
}

/* Whether s is words, in any case and with any run of spaces between
 * them ("previous  year" is "previous year"). */
static bool same_words(const char *s, const char *words)
{
    while (*s && *words) {
        if (isspace((unsigned char)*s) && *words == ' ') {
            while (isspace((unsigned char)*s))
                s++;
            words++;
        } else if (tolower((unsigned char)*s++) != *words++) {
            return false;
        }
    }
    return !*s && !*words;
}

static bool set_compare(interp *in, const entry *e, void *obj)
{
    csa_config *c = obj;
    char *label = NULL;
    c->compare_first = c->compare_last = 0;
    if (same_words(e->value, "previous year"))
        return c->compare_with = CSA_COMPARE_PREVIOUS_YEAR, true;
    if (!strcasecmp(e->value, "none"))
        return c->compare_with = CSA_COMPARE_NONE, true;
    errno = 0;
    bool ok = parse_period(e->value, &c->compare_first, &c->compare_last, &label);
    free(label);
    if (!ok && errno == ENOMEM)
        return nomem(in);
    if (!ok)
        problem(in, e->line, e->key, e->value, "compare_with is 'previous year', 'none' or a "
                "run of months such as '2017-10 to 2017-12', not '%s'", e->value);
    c->compare_with = CSA_COMPARE_PERIOD;
    return ok;
}

/* A comparison period of another length would compare counts over unequal
 * times; one that overlaps the period would compare months with
 * themselves. */
static void compare_before(interp *in, const entry *e)
{
    const csa_config *c = in->c;
    if (c->compare_with != CSA_COMPARE_PERIOD || !c->period_label)
        return;
    int n = csa_month_diff(c->period_last, c->period_first) + 1;
    if (csa_month_diff(c->compare_last, c->compare_first) + 1 != n)
        problem(in, e->line, e->key, e->value, "[assessment] compare_with must be %d month%s "
                "long, as the period (%s) is", n, n == 1 ? "" : "s", c->period_label);
    else if (c->compare_last >= c->period_first)
        problem(in, e->line, e->key, e->value, "[assessment] compare_with must end before the "
                "period (%s) starts", c->period_label);
}

static void baseline_within(interp *in, const entry *e)
{
    const csa_config *c = in->c;
    if (c->period_label && c->baseline_last > c->period_last)
        problem(in, e->line, e->key, e->value,
                "[assessment] baseline must end by the period's last month (%s)",
                c->period_label);
}

/* path made absolute and clean: realpath for the part that exists, the
 * rest (a folder a run will make) joined to it by name. Caller frees. */
static char *resolve(const char *path)
{
    char *real = realpath(*path ? path : ".", NULL);
    if (real || errno != ENOENT)
        return real;
    const char *slash = strrchr(path, '/');
    char *parent = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    char *up = parent ? resolve(parent) : NULL, *out = NULL;
    const char *last = slash ? slash + 1 : path;
    free(parent);
    if (!up)
        return NULL;
    if (!strcmp(last, "..")) {
        char *cut = strrchr(up, '/');
        cut[cut == up] = '\0';
        return up;
    }
    if (!*last || !strcmp(last, ".") || asprintf(&out, "%s%s%s", up, strcmp(up, "/") ? "/" : "",
                                                 last) < 0)
        out = *last && strcmp(last, ".") ? NULL : up;
    if (out != up)
        free(up);
    return out;
}

/* Whether folder `in` is folder `out` or inside it. */
static bool within(const char *in, const char *out)
{
    size_t n = strlen(out);
    return !strncmp(in, out, n) && (!in[n] || in[n] == '/' || !strcmp(out, "/"));
}

/* A run replaces its output folder whole (report/outdir.c): it cannot be
 * the config's folder or an input's, nor hold one. (An empty value is
 * refused with every other.) */
static void output_safe(interp *in, const entry *e)
{
    const csa_config *c = in->c;
    char *out = resolve(c->output);
    const char *whose = NULL;
    /* the config's folder, then each input file's */
    for (size_t i = 0; out && !whose && i <= c->ninputs; i++) {
        size_t n = i ? c->inputs[i - 1].files.n : 1;
        for (size_t f = 0; f < n && !whose; f++) {
            char *p = resolve(i ? c->inputs[i - 1].files.v[f] : in->dir), *slash;
            if (p && i && (slash = strrchr(p, '/')))
                slash[slash == p] = '\0';
            if (p && within(p, out))
                whose = i ? "an input's" : "the config's";
            free(p);
        }
    }
    if (whose)
        problem(in, e->line, e->key, e->value,
                "output %s is %s folder or holds it, and a run replaces the whole output "
                "folder: give a folder of its own, such as csa-out", e->value, whose);
    free(out);
}

static bool set_criteria(interp *in, const entry *e, void *obj)
{
    csa_config *c = obj;
    csa_config_list names = {0};
    if (!split_listed(in, e, false, &names))
        return false;
    bool ok = true;
    c->ncriteria = 0;
    for (size_t i = 0; i < names.n; i++) {
        csa_criterion k = csa_criterion_find(names.v[i]);
        bool dup = false;
        for (size_t j = 0; j < c->ncriteria; j++)
            dup |= c->criteria[j] == k;
        if (k == CSA_NCRITERIA) {
            char all[128] = "";
            for (size_t j = 0; j < CSA_NCRITERIA; j++)
                snprintf(all + strlen(all), sizeof all - strlen(all), "%s%s",
                         j ? j + 1 < CSA_NCRITERIA ? ", " : " or " : "",
                         csa_criterion_name((csa_criterion)j));
            problem(in, e->line, e->key, names.v[i], "no criterion '%s': %s", names.v[i], all);
            ok = false;
        } else if (dup) {
            problem(in, e->line, e->key, names.v[i], "criterion '%s' named twice", names.v[i]);
            ok = false;
        } else {
            c->criteria[c->ncriteria++] = k;
        }
    }
    list_free(&names);
    return ok;
}

static const char *area_default(const csa_config *c, const void *obj)
{
    (void)obj;
    return c->la_code ? c->la_code : "the area";
}

static const char *comparator_code_default(const csa_config *c, const void *obj)
{
    (void)obj;
    return strcmp(c->comparator, "England") ? "" : "E92000001";
}

static const char *name_default(const csa_config *c, const void *obj)
{
    (void)c;
    return ((const csa_config_indicator *)obj)->name;
}

/* ---- partners ---- */

static size_t find_input(const interp *in, const char *name);

/* Each input named once, by one partner: its due date is that partner's. */
static bool set_partner_inputs(interp *in, const entry *e, void *obj)
{
    csa_config_partner *p = obj;
    csa_config_list names = {0};
    if (!split_listed(in, e, false, &names))
        return false;
    bool ok = true;
    for (size_t i = 0; i < names.n; i++) {
        const char *name = names.v[i];
        bool twice = false;
        for (size_t j = 0; j < i; j++)
            twice |= !strcmp(names.v[j], name);
        const csa_config_partner *other = NULL;
        for (size_t q = 0; q < in->c->npartners && !other; q++)
            for (size_t j = 0; &in->c->partners[q] != p && j < in->c->partners[q].inputs.n; j++)
                if (!strcmp(in->c->partners[q].inputs.v[j], name))
                    other = &in->c->partners[q];
        if (find_input(in, name) == SIZE_MAX)
            problem(in, e->line, e->key, name, "no input '%s': declare it as [input.%s]", name,
                    name);
        else if (twice)
            problem(in, e->line, e->key, name, "[partner.%s] names input '%s' twice", p->name,
                    name);
        else if (other)
            problem(in, e->line, e->key, name, "input '%s' is already supplied by "
                    "[partner.%s]: one partner sends each input", name, other->name);
        else
            continue;
        ok = false;
    }
    list_free(&p->inputs);
    p->inputs = names;
    return ok;
}

/* YYYY-MM-DD, a real date. */
static bool set_due(interp *in, const entry *e, void *obj)
{
    csa_config_partner *p = obj;
    const char *v = e->value;
    bool shape = strlen(v) == 10 && v[4] == '-' && v[7] == '-';
    for (int i = 0; shape && i < 10; i++)
        shape = i == 4 || i == 7 || isdigit((unsigned char)v[i]);
    if (shape && csa_parse_date(v, 10, &p->due))
        return true;
    problem(in, e->line, e->key, v, "due must be a date written YYYY-MM-DD, such as 2019-01-31, "
            "not '%s'", v);
    return false;
}

static bool set_from(interp *in, const entry *e, void *obj)
{
    csa_config_input *inp = obj;
    if (!strcmp(e->value, "register"))
        return inp->from_register = 1, true;
    problem(in, e->line, e->key, e->value, "from is register (or give files instead), not '%s'",
            e->value);
    return false;
}

/* from = register: the input's files are its partner's latest valid
 * submission, so a partner must send it. */
static void from_register(interp *in, const entry *e)
{
    const csa_config_input *inp = &in->c->inputs[e->obj];
    for (size_t q = 0; q < in->c->npartners; q++)
        for (size_t j = 0; j < in->c->partners[q].inputs.n; j++)
            if (!strcmp(in->c->partners[q].inputs.v[j], inp->name))
                return;
    problem(in, e->line, e->key, e->value, "[input.%s] is from the register, but no "
            "[partner.NAME] has it in its inputs: say who sends it", inp->name);
}

/* source and attribution are the maps': of a boundaries input only. */
static void boundaries_only(interp *in, const entry *e)
{
    const csa_config_input *inp = &in->c->inputs[e->obj];
    /* on two lines at a map's foot, in its smallest form (the SVG) */
    size_t most = strcmp(e->key, "source") ? 160 : 100, chars = 0;
    bool text = false;
    for (const char *p = e->value; *p; p++) {
        chars += ((unsigned char)*p & 0xC0) != 0x80;
        text |= !strchr(" \t\"'", *p);
    }
    if (inp->spec && strcmp(inp->spec->name, "boundaries"))
        problem(in, e->line, e->key, NULL, "[input.%s]: %s is for a boundaries input (the "
                "maps' source line), not an input of spec %s", inp->name, e->key,
                inp->spec->name);
    else if (!text)
        problem(in, e->line, e->key, e->value, "%s has no words: give them, or leave the key "
                "out", e->key);
    else if (chars > most)
        problem(in, e->line, e->key, NULL, "%s is %zu characters long: at most %zu, which fit "
                "on two lines at the foot of a map", e->key, chars, most);
}

/* ---- indexes ---- */

/* The NAME of [input.NAME], [partner.NAME] or [indicator.NAME]; NULL for
 * a section without one. */
static const char *section_name(const csa_config *c, section_id sec, size_t obj)
{
    return sec == SEC_INPUT       ? c->inputs[obj].name
           : sec == SEC_PARTNER   ? c->partners[obj].name
           : sec == SEC_INDICATOR ? c->indicators[obj].name
                                  : NULL;
}

static size_t hash_text(const char *s)
{
    size_t h = 14695981039346656037u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}


typedef struct entry_key {
    section_id sec;
    size_t obj, crit;
    const config_key *row;
} entry_key;

typedef struct name_key {
    section_id sec;
    const char *name;
} name_key;

static size_t mix(size_t h, size_t v)
{
    return (h ^ v) * 1099511628211u;
}

static size_t hash_entry(const entry_key *k)
{
    return mix(mix(mix(mix(14695981039346656037u, k->sec), k->obj), k->crit),
               (size_t)(k->row - KEYS));
}

static size_t hash_name(const name_key *k)
{
    return mix(hash_text(k->name), k->sec);
}

static entry_key key_of_entry(const interp *in, size_t item)
{
    const entry *e = &in->e[item];
    return (entry_key){e->sec, e->obj, e->crit, e->row};
}

static name_key key_of_name(const interp *in, size_t item)
{
    section_id sec = (section_id)(item % NSECTIONS);
    size_t obj = item / NSECTIONS;
    return (name_key){sec, section_name(in->c, sec, obj)};
}

static size_t hash_item(const interp *in, const struct index_map *m, size_t item)
{
    if (m == &in->keys) {
        entry_key k = key_of_entry(in, item);
        return hash_entry(&k);
    }
    name_key k = key_of_name(in, item);
    return hash_name(&k);
}

static bool same_item(const interp *in, const struct index_map *m, size_t item, const void *key)
{
    if (m == &in->keys) {
        const entry_key *k = key;
        entry_key e = key_of_entry(in, item);
        return e.sec == k->sec && e.obj == k->obj && e.crit == k->crit && e.row == k->row;
    }
    const name_key *k = key;
    name_key n = key_of_name(in, item);
    return n.sec == k->sec && !strcmp(n.name, k->name);
}

/* The item equal to key, or SIZE_MAX. */
static size_t index_find(const interp *in, const struct index_map *m, size_t h, const void *key)
{
    if (!m->cap)
        return SIZE_MAX;
    for (size_t i = h & (m->cap - 1); m->v[i]; i = (i + 1) & (m->cap - 1))
        if (same_item(in, m, m->v[i] - 1, key))
            return m->v[i] - 1;
    return SIZE_MAX;
}

/* Adds item, not in m yet. */
static bool index_add(interp *in, struct index_map *m, size_t item)
{
    if ((m->n + 1) * 2 > m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 64, *v = calloc(cap, sizeof *v);
        if (!v)
            return nomem(in);
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->v[i])
                continue;
            size_t j = hash_item(in, m, m->v[i] - 1) & (cap - 1);
            while (v[j])
                j = (j + 1) & (cap - 1);
            v[j] = m->v[i];
        }
        free(m->v);
        m->v = v;
        m->cap = cap;
    }
    size_t j = hash_item(in, m, item) & (m->cap - 1);
    while (m->v[j])
        j = (j + 1) & (m->cap - 1);
    m->v[j] = item + 1;
    m->n++;
    return true;
}

static size_t find_named(const interp *in, section_id sec, const char *name)
{
    name_key k = {sec, name};
    size_t item = index_find(in, &in->names, hash_name(&k), &k);
    return item == SIZE_MAX ? SIZE_MAX : item / NSECTIONS;
}

static size_t find_input(const interp *in, const char *name)
{
    return find_named(in, SEC_INPUT, name);
}

static size_t find_indicator(const interp *in, const char *name)
{
    return find_named(in, SEC_INDICATOR, name);
}

/* The real paths of an input's files, hashed: a file matched twice would
 * be counted twice, and comparing every pair (a glob of thousands of
 * files) took a minute of realpath calls. */
typedef struct path_set {
    char **v; /* NULL: a free slot */
    size_t n, cap;
} path_set;

static char **path_slot(char **v, size_t cap, const char *path)
{
    size_t i = hash_text(path) & (cap - 1);
    while (v[i] && strcmp(v[i], path))
        i = (i + 1) & (cap - 1);
    return &v[i];
}

/* Adds file's real path (or the path itself when it has none); *twice
 * says it was there already. False: out of memory. */
static bool path_add(path_set *set, const char *file, bool *twice)
{
    char *real = realpath(file, NULL);
    if (!real && !(real = strdup(file)))
        return false;
    if ((set->n + 1) * 2 > set->cap) {
        size_t cap = set->cap ? 2 * set->cap : 64;
        char **v = calloc(cap, sizeof *v);
        if (!v) {
            free(real);
            return false;
        }
        for (size_t i = 0; i < set->cap; i++)
            if (set->v[i])
                *path_slot(v, cap, set->v[i]) = set->v[i];
        free(set->v);
        set->v = v;
        set->cap = cap;
    }
    char **at = path_slot(set->v, set->cap, real);
    if ((*twice = *at != NULL))
        free(real);
    else
        *at = real, set->n++;
    return true;
}

static void path_set_free(path_set *set)
{
    for (size_t i = 0; i < set->cap; i++)
        free(set->v[i]);
    free(set->v);
}

/* Matches `files` relative to the config's folder; every pattern that
 * matches nothing is a problem of its own. */
static bool expand_files(interp *in, const entry *e, csa_config_input *inp)
{
    csa_config_list pats = {0};
    path_set seen = {0};
    bool ok = split_listed(in, e, true, &pats);
    for (size_t i = 0; i < pats.n && !in->nomem; i++) {
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
            ok = nomem(in);
            break;
        }
        glob_t g;
        int r = glob(full, 0, NULL, &g); /* sorted: the same order every run */
        free(full);
        if (r == GLOB_NOMATCH) {
            struct stat sb;
            bool literal = strpbrk(pats.v[i], "*?[") == NULL;
            char plain[PATH_MAX * 2]; /* as written, without the escapes */
            snprintf(plain, sizeof plain, "%s%s", pats.v[i][0] == '/' ? "" : in->dir,
                     pats.v[i]);
            problem(in, e->line, e->key, plain, literal && stat(plain, &sb) != 0
                                                      ? "input file %s not found"
                                                      : "no file matches %s", plain);
            ok = false;
            continue;
        }
        if (r != 0) {
            ok = nomem(in);
            break;
        }
        for (size_t k = 0; k < g.gl_pathc && !in->nomem; k++) {
            bool twice;
            if (!path_add(&seen, g.gl_pathv[k], &twice) ||
                (!twice && !list_add(&inp->files, g.gl_pathv[k], strlen(g.gl_pathv[k])))) {
                ok = nomem(in);
            } else if (twice) {
                problem(in, e->line, e->key, g.gl_pathv[k], "[input.%s] names %s twice",
                        inp->name, g.gl_pathv[k]);
                ok = false;
            }
        }
        globfree(&g);
    }
    path_set_free(&seen);
    list_free(&pats);
    return ok;
}

/* Reads e's value (or a default given as text) into obj, as its row says. */
static bool read_value(interp *in, const config_key *k, const entry *e, void *obj)
{
    void *at = (char *)obj + k->at + (k->per_criterion ? e->crit * sizeof(double) : 0);
    const char *v = e->value;
    if (k->set)
        return k->set(in, e, obj);
    switch (k->type) {
    case KEY_TEXT: {
        size_t chars = 0;
        for (const char *p = v; *p; p++)
            chars += ((unsigned char)*p & 0xC0) != 0x80;
        if (chars > MAX_TEXT) {
            problem(in, e->line, e->key, NULL, "%s is %zu characters long: at most %d", e->key,
                    chars, MAX_TEXT);
            return false;
        }
        free(*(char **)at);
        if (!(*(char **)at = strdup(v)))
            return nomem(in);
        break;
    }
    case KEY_PATH:
        free(*(char **)at);
        if (asprintf((char **)at, "%s%s", v[0] == '/' ? "" : in->dir, v) < 0)
            return *(char **)at = NULL, nomem(in);
        break;
    case KEY_LIST:
    case KEY_CODES:
        list_free(at);
        if (!split(v, k->type == KEY_CODES, at))
            return nomem(in);
        if (!listed(in, e, at))
            return false;
        break;
    case KEY_FILES:
        return expand_files(in, e, obj);
    case KEY_NUMBER: {
        double x;
        static const char *const what[] = {"a number", "a number of 0 or more",
                                           "a positive number"};
        double max = k->max ? k->max : MAX_NUMBER;
        if (!parse_number(v, &x) || (k->range == NOT_NEGATIVE && x < 0) ||
            (k->range == POSITIVE && x <= 0)) {
            problem(in, e->line, e->key, v, "%s must be %s, not '%s'", e->key, what[k->range], v);
            return false;
        }
        if (x > max || x < -max) {
            problem(in, e->line, e->key, v, "%s must be at most %s%.0f, not '%s'", e->key,
                    k->range == ANY_NUMBER ? "plus or minus " : "", max, v);
            return false;
        }
        *(double *)at = x;
        break;
    }
    case KEY_YESNO: {
        bool yes;
        if (!parse_bool(v, &yes)) {
            problem(in, e->line, e->key, v, "%s is yes or no, not '%s'", e->key, v);
            return false;
        }
        *(int *)at = yes;
        break;
    }
    case KEY_POLARITY: {
        size_t p = 0;
        while (POLARITIES[p] && strcmp(POLARITIES[p], v))
            p++;
        if (!POLARITIES[p]) {
            problem(in, e->line, e->key, v, "%s is %s, %s or %s, not '%s'", e->key,
                    POLARITIES[0], POLARITIES[1], POLARITIES[2], v);
            return false;
        }
        *(csa_polarity *)at = (csa_polarity)p;
        break;
    }
    case KEY_SPEC:
        if (!(*(const csa_spec **)at = csa_spec_find(v))) {
            problem(in, e->line, e->key, v, "no spec '%s' ('csa specs' lists them)", v);
            return false;
        }
        break;
    case KEY_INPUT:
        *(size_t *)at = find_input(in, v);
        break;
    case KEY_PERIOD:
    case KEY_CRITERIA:
        break; /* by .set */
    }
    if (k->refers && find_named(in, k->refers, v) == SIZE_MAX) {
        const char *s = SECTIONS[k->refers].name;
        problem(in, e->line, e->key, v, "no %s '%s': declare it as [%s.%s]", s, v, s, v);
        return false;
    }
    return true;
}

/* ---- pass 1: lines into entries ---- */

static const config_key *find_key(section_id sec, const char *name, size_t *crit)
{
    for (size_t i = 0; i < NKEYS; i++) {
        const config_key *k = &KEYS[i];
        if (k->section != sec)
            continue;
        if (k->per_criterion) {
            size_t n = (size_t)(strchr(k->name, '.') - k->name) + 1;
            if (!strncmp(name, k->name, n) &&
                (*crit = csa_criterion_find(name + n)) != CSA_NCRITERIA)
                return k;
        } else if (!strcmp(k->name, name)) {
            return k;
        }
    }
    return NULL;
}

static bool is_list(const config_key *k)
{
    return k->type == KEY_LIST || k->type == KEY_CODES || k->type == KEY_FILES ||
           k->type == KEY_CRITERIA;
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

static char *skip_space(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return s;
}

static void trim_end(char *s)
{
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
}

/* The first of `chars` in s, or where an inline comment (';' after a
 * space) starts, or the end: inih's rule, which configs were written for. */
static char *find_sep(char *s, const char *chars)
{
    bool space = false;
    for (; *s && !strchr(chars, *s) && !(space && *s == ';'); s++)
        space = isspace((unsigned char)*s);
    return s;
}

/* Opens a [section]: its kind, and for [input.NAME] and [indicator.NAME]
 * its object, made when first seen (a section given twice continues). */
static section_id open_section(interp *in, char *name, int line, size_t *obj)
{
    csa_config *c = in->c;
    for (section_id s = SEC_ASSESSMENT; s < NSECTIONS; s++) {
        const struct section_def *d = &SECTIONS[s];
        size_t n = strlen(d->name);
        if (!d->named) {
            if (strcmp(name, d->name))
                continue;
            if (!in->line[s])
                in->line[s] = line;
            *obj = 0;
            return s;
        }
        if (strncmp(name, d->name, n) || name[n] != '.')
            continue;
        if (!valid_name(name + n + 1)) {
            problem(in, line, NULL, name, "section [%s]: a name is letters, digits, '-' and '_'",
                    name);
            return SEC_NONE;
        }
        if ((*obj = find_named(in, s, name + n + 1)) != SIZE_MAX)
            return s;
        char *copy = strdup(name + n + 1);
        void *v = s == SEC_INPUT     ? realloc(c->inputs, (c->ninputs + 1) * sizeof *c->inputs)
                  : s == SEC_PARTNER ? realloc(c->partners,
                                               (c->npartners + 1) * sizeof *c->partners)
                                     : realloc(c->indicators,
                                               (c->nindicators + 1) * sizeof *c->indicators);
        if (!copy || !v) {
            free(copy);
            nomem(in);
            return SEC_NONE;
        }
        if (s == SEC_INPUT) {
            c->inputs = v;
            *obj = c->ninputs++;
            c->inputs[*obj] = (csa_config_input){.name = copy, .line = line};
        } else if (s == SEC_PARTNER) {
            c->partners = v;
            *obj = c->npartners++;
            c->partners[*obj] = (csa_config_partner){.name = copy, .line = line};
        } else {
            c->indicators = v;
            *obj = c->nindicators++;
            c->indicators[*obj] = (csa_config_indicator){
                .name = copy, .input = SIZE_MAX, .comparator_value = NAN, .harm = NAN,
                .line = line};
        }
        if (!index_add(in, &in->names, *obj * NSECTIONS + s))
            return SEC_NONE;
        return s;
    }
    problem(in, line, NULL, name, "unknown section [%s]: [assessment], [input.NAME], "
            "[partner.NAME], [indicator.NAME] or [priorities]", name);
    return SEC_NONE;
}

static void add_entry(interp *in, int line, section_id sec, size_t obj, const char *key,
                      const char *value)
{
    if (in->n == in->cap) {
        size_t cap = in->cap ? 2 * in->cap : 64;
        entry *e = realloc(in->e, cap * sizeof *e);
        if (!e) {
            nomem(in);
            return;
        }
        in->e = e;
        in->cap = cap;
    }
    entry *e = &in->e[in->n];
    *e = (entry){.line = line, .sec = sec, .obj = obj, .key = strdup(key), .value = strdup(value),
                 .len = strlen(value)};
    e->cap = e->len + 1;
    if (!e->key || !e->value) {
        free(e->key), free(e->value);
        nomem(in);
        return;
    }
    in->n++;
    e->row = find_key(sec, key, &e->crit);
    if (!e->row) {
        problem(in, line, key, NULL, "unknown key '%s' %s ('csa help run')", key,
                SECTIONS[sec].in);
        return;
    }
    entry_key k = {sec, obj, e->crit, e->row};
    size_t first = index_find(in, &in->keys, hash_entry(&k), &k);
    if (first == SIZE_MAX) {
        index_add(in, &in->keys, in->n - 1);
        return;
    }
    problem(in, line, key, NULL, "'%s' is given twice in [%s%s%s] (first on line %d)", key,
            SECTIONS[sec].name, SECTIONS[sec].named ? "." : "",
            SECTIONS[sec].named ? section_name(in->c, sec, obj) : "", in->e[first].line);
    e->row = NULL;
}

/* An indented line adds to the list above it: items on continuation lines
 * are separate items, as if a comma ended each line. */
static void continue_entry(interp *in, entry *e, int line, const char *more)
{
    if (!e->row)
        return; /* its key is already reported */
    if (!is_list(e->row)) {
        problem(in, line, e->key, NULL, "this indented line continues '%s' above, which is "
                "not a list: unindent it", e->key);
        return;
    }
    size_t a = e->len, b = strlen(more);
    if (a + b + 2 > e->cap) { /* doubling: a list of 800,000 lines is not copied each line */
        size_t cap = 2 * (a + b + 2);
        char *v = realloc(e->value, cap);
        if (!v) {
            nomem(in);
            return;
        }
        e->value = v;
        e->cap = cap;
    }
    e->value[a] = ',';
    memcpy(e->value + a + 1, more, b + 1);
    e->len = a + b + 1;
}

/* Why line (len bytes) is not UTF-8 text, into why; false when it is. */
static bool not_text(const char *line, size_t len, char *why, size_t size)
{
    const unsigned char *u = (const unsigned char *)line;
    for (size_t i = 0; i < len;) {
        size_t n = u[i] < 0x80 ? 1 : u[i] >= 0xC2 && u[i] <= 0xDF ? 2
                 : u[i] >= 0xE0 && u[i] <= 0xEF ? 3 : u[i] >= 0xF0 && u[i] <= 0xF4 ? 4 : 0;
        bool ok = n && i + n <= len && u[i];
        for (size_t k = 1; ok && k < n; k++)
            ok = (u[i + k] & 0xC0) == 0x80;
        /* no overlong forms, surrogates or code points past U+10FFFF */
        if (ok && n == 3)
            ok = !(u[i] == 0xE0 && u[i + 1] < 0xA0) && !(u[i] == 0xED && u[i + 1] >= 0xA0);
        if (ok && n == 4)
            ok = !(u[i] == 0xF0 && u[i + 1] < 0x90) && !(u[i] == 0xF4 && u[i + 1] >= 0x90);
        if (!ok) {
            snprintf(why, size, u[i] ? "invalid UTF-8 at byte %zu of the line: save the config "
                     "as UTF-8 text" : "a NUL byte at byte %zu of the line: the config must be "
                     "a text file", i + 1);
            return true;
        }
        i += n;
    }
    return false;
}

/* text is the config's copy (len bytes and a NUL), which this cuts into
 * lines: at LF, CRLF or a lone CR (old Mac files), so a CR-only config is
 * not read as one long comment. */
static void read_lines(interp *in, char *text, size_t len)
{
    char *p = text, *end = text + len;
    if (len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
        p += 3;
    section_id sec = SEC_NONE;
    bool seen = false;   /* a [section] header, known or not */
    size_t obj = 0, last = SIZE_MAX; /* the section's last entry */
    for (int line = 1; p < end && !in->nomem; line++) {
        char *s = p, *nl = p + strcspn(p, "\r\n");
        while (nl < end && !*nl) /* a NUL inside the line */
            nl += 1 + strcspn(nl + 1, "\r\n");
        char why[128];
        bool bad = not_text(s, (size_t)(nl - s), why, sizeof why);
        p = nl < end ? nl + 1 + (*nl == '\r' && nl + 1 < end && nl[1] == '\n') : end;
        *nl = '\0';
        trim_end(s);
        char *start = skip_space(s);
        if (!*start || *start == ';' || *start == '#' || *start == '[') {
            if (bad)
                problem(in, line, NULL, NULL, "%s", why);
            if (bad || *start != '[')
                continue;
        }
        if (*start == '[') {
            char *close = strchr(start, ']');
            last = SIZE_MAX;
            seen = true;
            sec = SEC_NONE;
            if (!close) {
                problem(in, line, NULL, NULL, "a [section] header lacks its ']'");
                continue;
            }
            *close = '\0';
            sec = open_section(in, start + 1, line, &obj);
            continue;
        }
        if (start > s && last != SIZE_MAX) {
            entry *e = &in->e[last];
            if (bad && e->row) {
                problem(in, line, e->key, NULL, "%s: %s", e->key, why);
                e->bad = true;
            }
            *find_sep(start, "") = '\0';
            trim_end(start);
            continue_entry(in, e, line, start);
            continue;
        }
        char *sep = find_sep(start, "=:");
        if (*sep != '=' && *sep != ':') {
            if (bad)
                problem(in, line, NULL, NULL, "%s", why);
            else if (sec || !seen)
                problem(in, line, NULL, NULL, "not a [section] or a key = value line");
            continue;
        }
        *sep = '\0';
        trim_end(start);
        char *value = skip_space(sep + 1);
        *find_sep(value, "") = '\0';
        trim_end(value);
        if (!seen)
            problem(in, line, start, NULL, "'%s' comes before any [section]", start);
        if (bad && (sec == SEC_NONE || !seen))
            problem(in, line, start, NULL, "%s: %s", start, why);
        if (sec == SEC_NONE)
            continue; /* an unknown section is reported once, at its header */
        size_t n = in->n;
        add_entry(in, line, sec, obj, start, value);
        last = in->n - 1;
        if (bad && in->n > n) {
            problem(in, line, start, NULL, "%s: %s", start, why);
            in->e[last].bad = true;
        }
    }
}

/* ---- pass 3: checks across keys ---- */

static void *object(interp *in, section_id sec, size_t obj)
{
    return sec == SEC_INPUT       ? (void *)&in->c->inputs[obj]
           : sec == SEC_PARTNER   ? (void *)&in->c->partners[obj]
           : sec == SEC_INDICATOR ? (void *)&in->c->indicators[obj]
                                  : (void *)in->c;
}

static bool has_kind(const csa_kind *const *kinds, const csa_kind *k)
{
    for (; *kinds; kinds++)
        if (*kinds == k)
            return true;
    return false;
}

/* The spec and kind of an input or indicator section; false when they are
 * not known (a missing or bad spec or input, already reported). */
static bool section_kind(interp *in, section_id sec, size_t obj, const csa_spec **spec,
                         const csa_kind **kind)
{
    const csa_config *c = in->c;
    *spec = NULL, *kind = NULL;
    if (sec == SEC_INPUT) {
        *spec = c->inputs[obj].spec;
        *kind = *spec ? csa_kind_for_spec((*spec)->name) : NULL;
        return *spec != NULL;
    }
    if (sec == SEC_INDICATOR) {
        *kind = c->indicators[obj].kind;
        *spec = *kind ? c->inputs[c->indicators[obj].input].spec : NULL;
        return *kind != NULL;
    }
    return false;
}

static const entry *given(const interp *in, section_id sec, size_t obj, const char *key,
                          size_t crit)
{
    for (size_t i = 0; i < NKEYS; i++) {
        if (KEYS[i].section != sec || strcmp(KEYS[i].name, key))
            continue;
        entry_key k = {sec, obj, crit, &KEYS[i]};
        size_t at = index_find(in, &in->keys, hash_entry(&k), &k);
        return at == SIZE_MAX ? NULL : &in->e[at];
    }
    return NULL;
}

/* "[indicator.violence]", "[assessment]" */
static const char *where(const interp *in, section_id sec, size_t obj, char *buf, size_t size)
{
    const char *name = section_name(in->c, sec, obj);
    snprintf(buf, size, name ? "[%s.%s]" : "[%s]", SECTIONS[sec].name, name);
    return buf;
}

/* ---- a partner rate's denominator ---- */

/* The band columns of the population spec: every column of no role whose
 * name starts F or M ("F0 to 15"), as "0 to 15, 16 to 29, ..." into buf. */
static const char *population_bands(char *buf, size_t size)
{
    const csa_spec *ps = csa_spec_find("population");
    size_t at = 0;
    buf[0] = 0;
    for (size_t i = 0; ps && i < ps->ncolumns; i++) {
        const char *name = ps->columns[i].name;
        if (ps->columns[i].role != CSA_ROLE_NONE || name[0] != 'F')
            continue;
        int n = snprintf(buf + at, size - at, "%s%s", at ? ", " : "", name + 1);
        at = n < 0 || (size_t)n >= size - at ? size - 1 : at + (size_t)n;
    }
    return buf;
}

/* The population spec's band column named (any case), or SIZE_MAX. */
static size_t band_column(const csa_spec *ps, const char *name)
{
    for (size_t i = 0; ps && i < ps->ncolumns; i++)
        if (ps->columns[i].role == CSA_ROLE_NONE &&
            (ps->columns[i].name[0] == 'F' || ps->columns[i].name[0] == 'M') &&
            !strcasecmp(ps->columns[i].name, name))
            return i;
    return SIZE_MAX;
}

/* denominator = residents | input NAME | BAND, BAND...: the input's index
 * or the band columns, and the default denominator_label. A band is a
 * column of the population spec (F0 to 15), or an age band of both sexes
 * (0 to 15: F0 to 15 and M0 to 15). */
static bool set_denominator(interp *in, const entry *e, void *obj)
{
    csa_config_indicator *ind = obj;
    const char *v = e->value;
    char label[MAX_TEXT + 64], bands[200];
    ind->denominator_input = SIZE_MAX;
    list_free(&ind->denominator_bands);
    free(ind->denominator);
    if (!(ind->denominator = strdup(v)))
        return nomem(in);
    if (!strcmp(v, "residents")) {
        snprintf(label, sizeof label, "residents");
    } else if (!strncmp(v, "input", 5) && isspace((unsigned char)v[5])) {
        const char *name = skip_space((char *)v + 5);
        if ((ind->denominator_input = find_input(in, name)) == SIZE_MAX) {
            problem(in, e->line, e->key, v, "[indicator.%s] denominator '%s': no input '%s': "
                    "declare it as [input.%s] with spec = population (its Total column the "
                    "count by LSOA, such as households)", ind->name, v, name, name);
            return false;
        }
        snprintf(label, sizeof label, "%s", name);
    } else {
        const csa_spec *ps = csa_spec_find("population");
        csa_config_list items = {0};
        if (!split_listed(in, e, false, &items))
            return false;
        bool ok = true, sexes = false;
        for (size_t i = 0; i < items.n && ok; i++) {
            const char *b = items.v[i];
            char f[300], m[300], spelt[64];
            /* 0-15 and 65+ as the spec spells them: 0 to 15, 65 and over */
            int lo, hi, used = 0;
            if (sscanf(b, "%d-%d%n", &lo, &hi, &used) == 2 && !b[used])
                snprintf(spelt, sizeof spelt, "%d to %d", lo, hi), b = spelt;
            else if (sscanf(b, "%d+%n", &lo, &used) == 1 && !b[used])
                snprintf(spelt, sizeof spelt, "%d and over", lo), b = spelt;
            snprintf(f, sizeof f, "F%s", b), snprintf(m, sizeof m, "M%s", b);
            size_t one = band_column(ps, b), fc = band_column(ps, f), mc = band_column(ps, m);
            size_t cols[2] = {one, SIZE_MAX};
            if (one == SIZE_MAX && fc != SIZE_MAX && mc != SIZE_MAX)
                cols[0] = fc, cols[1] = mc;
            else
                sexes = true;
            if (cols[0] == SIZE_MAX) {
                problem(in, e->line, e->key, b, "[indicator.%s] denominator: '%s' is neither "
                        "residents, input NAME nor a band of the population spec (its bands, "
                        "of both sexes: %s; or one sex's, such as F0 to 15 or M65 and over)",
                        ind->name, b, population_bands(bands, sizeof bands));
                ok = false;
                break;
            }
            for (int k = 0; k < 2 && cols[k] != SIZE_MAX; k++) {
                const char *col = ps->columns[cols[k]].name;
                for (size_t j = 0; j < ind->denominator_bands.n && ok; j++)
                    if (!strcmp(ind->denominator_bands.v[j], col)) {
                        problem(in, e->line, e->key, b, "[indicator.%s] denominator names "
                                "band %s twice", ind->name, col);
                        ok = false;
                    }
                if (ok && !list_add(&ind->denominator_bands, col, strlen(col))) {
                    list_free(&items);
                    return nomem(in);
                }
            }
        }
        if (!ok) {
            list_free(&items);
            list_free(&ind->denominator_bands);
            return false;
        }
        size_t at = (size_t)snprintf(label, sizeof label, "residents %s",
                                     sexes ? "in bands" : "aged");
        for (size_t i = 0; i < items.n && at < sizeof label; i++)
            at += (size_t)snprintf(label + at, sizeof label - at, "%s %s",
                                   i == 0 ? "" : i + 1 == items.n ? " and" : ",", items.v[i]);
        list_free(&items);
    }
    /* the default label, unless the section gives one (read before or after) */
    if (!given(in, SEC_INDICATOR, e->obj, "denominator_label", 0)) {
        free(ind->denominator_label);
        if (!(ind->denominator_label = strdup(label)))
            return nomem(in);
    }
    return true;
}

/* denominator = input NAME names a population-like input: spec population,
 * read as the population input is (an LSOA code and a Total). */
static void denominator_spec(interp *in, const entry *e)
{
    const csa_config_indicator *ind = &in->c->indicators[e->obj];
    if (ind->denominator_input == SIZE_MAX)
        return;
    const csa_config_input *inp = &in->c->inputs[ind->denominator_input];
    if (inp->spec && strcmp(inp->spec->name, "population"))
        problem(in, e->line, e->key, e->value, "[indicator.%s] denominator '%s': input %s has "
                "spec %s; a denominator is an input of spec population (an LSOA code and a "
                "Total column, such as households per LSOA)", ind->name, e->value, inp->name,
                inp->spec->name);
}

/* "police-street, fingertips or survey" */
static const char *kind_specs(const csa_kind *const *kinds, const char *last_sep, char *buf,
                              size_t size)
{
    size_t n = 0, len = 0;
    const csa_kind *k;
    while (kinds ? kinds[n] != NULL : csa_kind_at(n) != NULL)
        n++;
    buf[0] = '\0';
    for (size_t i = 0; i < n && len < size; i++) {
        k = kinds ? kinds[i] : csa_kind_at(i);
        len += (size_t)snprintf(buf + len, size - len, "%s%s",
                                !i ? "" : i + 1 < n ? ", " : last_sep, k->spec);
    }
    return buf;
}

/* Each indicator's kind, from its input's spec. */
static void find_kinds(interp *in)
{
    csa_config *c = in->c;
    for (size_t i = 0; i < c->nindicators; i++) {
        csa_config_indicator *ind = &c->indicators[i];
        if (ind->input == SIZE_MAX || !c->inputs[ind->input].spec)
            continue;
        const char *spec = c->inputs[ind->input].spec->name;
        if (!(ind->kind = csa_kind_for_spec(spec))) {
            const entry *e = given(in, SEC_INDICATOR, i, "input", 0);
            char kinds[160];
            problem(in, e->line, e->key, e->value, "[indicator.%s]: indicators are computed "
                    "from %s inputs, not %s", ind->name, kind_specs(NULL, " or ", kinds,
                                                                    sizeof kinds), spec);
        }
    }
}

static void check_entry(interp *in, const entry *e)
{
    const config_key *k = e->row;
    const csa_config *c = in->c;
    const csa_spec *spec;
    const csa_kind *kind;
    char here[160], kinds[160];
    bool known = section_kind(in, e->sec, e->obj, &spec, &kind);
    where(in, e->sec, e->obj, here, sizeof here);
    if (k->kinds && known && (!kind || !has_kind(k->kinds, kind))) {
        problem(in, e->line, e->key, NULL, "%s: %s does not apply to a %s input", here, e->key,
                spec->name);
        return;
    }
    if (k->ref_spec) {
        size_t i = find_input(in, e->value);
        const csa_spec *s = c->inputs[i].spec;
        if (s && strcmp(s->name, k->ref_spec))
            problem(in, e->line, e->key, e->value, "%s %s must name an input with spec %s; "
                    "'%s' has spec %s", here, e->key, k->ref_spec, e->value, s->name);
    }
    if (k->ref_kinds) {
        const csa_config_indicator *ind = &c->indicators[find_indicator(in, e->value)];
        if (ind->kind && !has_kind(k->ref_kinds, ind->kind))
            problem(in, e->line, e->key, e->value, "%s: %s must name a %s indicator, not '%s'",
                    here, e->key, kind_specs(k->ref_kinds, " or ", kinds, sizeof kinds),
                    e->value);
    }
    if (k->codes && known) {
        size_t col = csa_spec_column_index(spec, k->codes);
        const char *const *codes = col == CSA_NO_ROW ? NULL : spec->columns[col].codes;
        const csa_config_list *l = (const void *)((const char *)object(in, e->sec, e->obj) +
                                                  k->at);
        /* case does not matter (police.uk's own API spells them in lower
         * case); a near miss is named */
        for (size_t i = 0; codes && i < l->n; i++) {
            size_t j = 0, len = strlen(l->v[i]), best_d = len / 3 + 1 < 4 ? len / 3 + 1 : 4;
            const char *near = NULL;
            while (codes[j] && strcasecmp(codes[j], l->v[i]))
                j++;
            for (size_t m = 0; !codes[j] && codes[m]; m++) {
                size_t d = csa_edit_distance(l->v[i], len, codes[m], strlen(codes[m]));
                if (d < best_d)
                    best_d = d, near = codes[m];
            }
            if (!codes[j])
                problem(in, e->line, e->key, l->v[i], "%s: '%s' is not a %s%s%s%s ('csa specs "
                        "%s' lists them)", here, l->v[i], k->codes_are,
                        near ? ": did you mean " : "", near ? near : "", near ? "?" : "",
                        spec->name);
        }
    }
    if (k->or_key) {
        const entry *other = given(in, e->sec, e->obj, k->or_key, 0);
        if (other && other->line < e->line)
            problem(in, e->line, e->key, NULL, "%s takes %s or %s, not both", here,
                    other->key, e->key);
    }
    if (k->check)
        k->check(in, e);
}

/* Every required key of one section; line is its header's. */
static void check_required(interp *in, section_id sec, size_t obj, int line)
{
    const csa_spec *spec;
    const csa_kind *kind;
    char here[160];
    section_kind(in, sec, obj, &spec, &kind);
    where(in, sec, obj, here, sizeof here);
    for (size_t i = 0; i < NKEYS; i++) {
        const config_key *k = &KEYS[i];
        bool need = k->required || (k->needs && kind && has_kind(k->needs, kind));
        if (k->section != sec || !need || given(in, sec, obj, k->name, 0) ||
            (k->or_key && given(in, sec, obj, k->or_key, 0)))
            continue;
        if (k->required && sec == SEC_ASSESSMENT)
            problem(in, line, k->name, NULL, "%s needs %s%s%s%s ('csa help run')", here,
                    k->name, k->or_key ? " (or " : "", k->or_key ? k->or_key : "",
                    k->or_key ? ")" : "");
        else if (k->required)
            problem(in, line, k->name, NULL, "%s needs %s", here, k->name);
        else
            problem(in, line, k->name, NULL, "%s needs %s for a %s input", here, k->name,
                    spec->name);
    }
}

static void check(interp *in)
{
    csa_config *c = in->c;
    find_kinds(in);
    for (size_t i = 0; i < in->n; i++)
        if (in->e[i].ok)
            check_entry(in, &in->e[i]);
    check_required(in, SEC_ASSESSMENT, 0, in->line[SEC_ASSESSMENT]);
    for (size_t i = 0; i < c->ninputs; i++)
        check_required(in, SEC_INPUT, i, c->inputs[i].line);
    for (size_t i = 0; i < c->npartners; i++)
        check_required(in, SEC_PARTNER, i, c->partners[i].line);
    for (size_t i = 0; i < c->nindicators; i++)
        check_required(in, SEC_INDICATOR, i, c->indicators[i].line);
    if (!c->nindicators)
        problem(in, 0, NULL, NULL, "the config declares no [indicator.NAME]");
}

/* ---- pass 4: defaults ---- */

static void fill_defaults(interp *in, section_id sec, size_t obj)
{
    const csa_spec *spec;
    const csa_kind *kind;
    section_kind(in, sec, obj, &spec, &kind);
    void *o = object(in, sec, obj);
    for (size_t i = 0; i < NKEYS && !in->nomem; i++) {
        const config_key *k = &KEYS[i];
        if (k->section != sec)
            continue;
        for (size_t crit = 0; crit < (k->per_criterion ? CSA_NCRITERIA : 1); crit++) {
            if (given(in, sec, obj, k->name, crit))
                continue;
            entry e = {.key = (char *)k->name, .crit = crit, .sec = sec, .obj = obj,
                       .value = (char *)(k->def_of ? k->def_of(in->c, o) : k->def)};
            if (k->from_kind && kind) {
                void *at = (char *)o + k->at;
                const void *from = (const char *)kind + k->kind_at;
                if (k->type == KEY_TEXT && !(*(char **)at = strdup(*(char *const *)from)))
                    nomem(in);
                else if (k->type == KEY_NUMBER)
                    *(double *)at = *(const double *)from;
                else if (k->type == KEY_YESNO)
                    *(int *)at = *(const bool *)from;
            } else if (e.value && (!k->kinds || (kind && has_kind(k->kinds, kind)))) {
                read_value(in, k, &e, o);
            }
        }
    }
}

static void defaults(interp *in)
{
    fill_defaults(in, SEC_ASSESSMENT, 0);
    fill_defaults(in, SEC_PRIORITIES, 0);
    for (size_t i = 0; i < in->c->ninputs; i++)
        fill_defaults(in, SEC_INPUT, i);
    for (size_t i = 0; i < in->c->nindicators; i++)
        fill_defaults(in, SEC_INDICATOR, i);
}

/* ---- reading ---- */

csa_status csa_config_read_buffer(const char *text, size_t len, const char *path,
                                  csa_config **out, csa_error *err, csa_config_errors *all)
{
    *out = NULL;
    if (all)
        *all = (csa_config_errors){0};
    csa_config *c = calloc(1, sizeof *c);
    interp in = {.c = c};
    char *copy = NULL;
    csa_status st = CSA_ERR_NOMEM;
    const char *slash = strrchr(path, '/');
    if (!c || !(c->path = strdup(path)) ||
        !(in.dir = strndup(path, slash ? (size_t)(slash - path) + 1 : 0)) ||
        !(copy = malloc(len + 1)))
        goto fail;
    memcpy(copy, text, len);
    copy[len] = '\0';
    c->deprivation = c->population = c->lsoa_lookup = c->higher_area = c->boundaries = SIZE_MAX;
    read_lines(&in, copy, len);
    for (size_t i = 0; i < in.n && !in.nomem; i++) {
        entry *e = &in.e[i];
        if (!e->row || e->bad)
            continue;
        if (!e->value[0])
            problem(&in, e->line, e->key, NULL, "%s has no value: give one, or leave the key "
                    "out", e->key);
        else
            e->ok = read_value(&in, e->row, e, object(&in, e->sec, e->obj));
    }
    if (in.nomem)
        goto fail;
    check(&in);
    if (in.errs.n || in.nomem) {
        st = CSA_ERR_USAGE;
        goto fail;
    }
    defaults(&in);
    if (in.nomem)
        goto fail;
    *out = c;
    c = NULL;
    st = CSA_OK;
fail:
    if (in.dropped) {
        char more[64];
        snprintf(more, sizeof more, "and %zu more problems", in.dropped);
        add_problem(&in, 0, NULL, NULL, more);
    }
    if (in.nomem || (st == CSA_ERR_NOMEM && !in.errs.n)) {
        st = CSA_ERR_NOMEM;
        csa_error_set(err, st, path, 0, 0, NULL, NULL, "out of memory");
    } else if (in.errs.n) {
        if (err)
            *err = in.errs.v[0];
    }
    if (all && st == CSA_ERR_USAGE) {
        *all = in.errs;
        in.errs = (csa_config_errors){0};
    }
    csa_config_errors_free(&in.errs);
    for (size_t i = 0; i < in.n; i++)
        free(in.e[i].key), free(in.e[i].value);
    free(in.e);
    free(in.keys.v), free(in.names.v);
    free(copy);
    free(in.dir);
    csa_config_free(c);
    return st;
}

csa_status csa_config_read(const char *path, csa_config **out, csa_error *err,
                           csa_config_errors *all)
{
    *out = NULL;
    if (all)
        *all = (csa_config_errors){0};
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
        return csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL,
                             "is not a file: give the config file (assessment.ini)");
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL,
                             "cannot read the config: %s", strerror(errno));
    char *text = NULL;
    size_t len = 0, cap = 0, got;
    do {
        if (len == cap) {
            char *t = cap < SIZE_MAX / 2 ? realloc(text, cap = cap ? 2 * cap : 8192) : NULL;
            if (!t) {
                free(text);
                fclose(fp);
                return csa_error_set(err, CSA_ERR_NOMEM, path, 0, 0, NULL, NULL,
                                     "out of memory");
            }
            text = t;
        }
        got = fread(text + len, 1, cap - len, fp);
        len += got;
    } while (got);
    bool bad = ferror(fp);
    fclose(fp);
    csa_status st = bad ? csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL,
                                        "cannot read the config")
                        : csa_config_read_buffer(text, len, path, out, err, all);
    free(text);
    return st;
}

void csa_config_free(csa_config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->ninputs; i++) {
        free(c->inputs[i].name);
        free(c->inputs[i].lookup);
        free(c->inputs[i].source);
        free(c->inputs[i].attribution);
        list_free(&c->inputs[i].files);
    }
    free(c->inputs);
    for (size_t i = 0; i < c->npartners; i++) {
        csa_config_partner *p = &c->partners[i];
        free(p->name), free(p->organisation), free(p->contact);
        list_free(&p->inputs);
    }
    free(c->partners);
    for (size_t i = 0; i < c->nindicators; i++) {
        csa_config_indicator *ind = &c->indicators[i];
        free(ind->name), free(ind->title), free(ind->theme), free(ind->unit);
        free(ind->indicator_id), free(ind->denominator), free(ind->denominator_label);
        list_free(&ind->denominator_bands);
        free(ind->question), free(ind->concern);
        list_free(&ind->categories);
        list_free(&ind->crime_types), list_free(&ind->answers), list_free(&ind->by);
    }
    free(c->indicators);
    list_free(&c->lsoas);
    list_free(&c->comparator_areas);
    free(c->path), free(c->title), free(c->area_name), free(c->la_code), free(c->period_label);
    free(c->comparator), free(c->comparator_code), free(c->output), free(c->register_path);
    free(c->higher_area_label);
    free(c);
}

/* ---- csa help run and csa init ---- */

/* Writes text from column col, wrapping before column 80 onto lines that
 * start with lead; a '\n' in text breaks the line there. */
static void wrap(FILE *fp, const char *text, size_t col, const char *lead)
{
    bool first = true;
    for (const char *p = text; *p;) {
        if (*p == ' ' || *p == '\n') {
            if (*p++ == '\n')
                fprintf(fp, "\n%s", lead), col = strlen(lead), first = true;
            continue;
        }
        size_t n = strcspn(p, " \n");
        if (!first && col + 1 + n > 79)
            fprintf(fp, "\n%s", lead), col = strlen(lead), first = true;
        if (!first)
            fputc(' ', fp), col++;
        fwrite(p, 1, n, fp);
        col += n, p += n, first = false;
    }
    fputc('\n', fp);
}

static void cat(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void cat(char *buf, size_t size, const char *fmt, ...)
{
    size_t n = strlen(buf);
    va_list ap;
    va_start(ap, fmt);
    if (n < size)
        vsnprintf(buf + n, size - n, fmt, ap);
    va_end(ap);
}

/* A kind's default of k, as the config would write it. */
static void kind_value(const config_key *k, const csa_kind *kind, char *buf, size_t size)
{
    const void *from = (const char *)kind + k->kind_at;
    if (k->type == KEY_TEXT)
        snprintf(buf, size, "%s", *(const char *const *)from);
    else if (k->type == KEY_NUMBER)
        snprintf(buf, size, "%g", *(const double *)from);
    else
        snprintf(buf, size, "%s", *(const bool *)from ? "yes" : "no");
}

/* "(default: Crime for police-street, Health for fingertips, ...)": each
 * value once, with the kinds that take the key and have it. */
static void kind_defaults(const config_key *k, char *buf, size_t size)
{
    const csa_kind *kinds[32];
    size_t n = 0;
    for (size_t i = 0; csa_kind_at(i) && n < 32; i++)
        if (!k->kinds || has_kind(k->kinds, csa_kind_at(i)))
            kinds[n++] = csa_kind_at(i);
    char v[64], w[64];
    if (n == 1) {
        kind_value(k, kinds[0], v, sizeof v);
        cat(buf, size, " (default %s)", v);
        return;
    }
    cat(buf, size, " (default:");
    for (size_t i = 0, groups = 0; i < n; i++) {
        kind_value(k, kinds[i], v, sizeof v);
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            kind_value(k, kinds[j], w, sizeof w), seen = !strcmp(v, w);
        if (seen)
            continue;
        cat(buf, size, "%s %s for", groups++ ? "," : "", v);
        for (size_t j = i, m = 0; j < n; j++)
            if (kind_value(k, kinds[j], w, sizeof w), !strcmp(v, w))
                cat(buf, size, "%s %s", m++ ? " and" : "", kinds[j]->spec);
    }
    cat(buf, size, ")");
}

static void key_help(const config_key *k, char *buf, size_t size)
{
    char kinds[160];
    buf[0] = '\0';
    if (k->kinds)
        cat(buf, size, "%s: ", kind_specs(k->kinds, ", ", kinds, sizeof kinds));
    cat(buf, size, "%s", k->help);
    if (k->type == KEY_YESNO)
        cat(buf, size, " yes or no");
    if (k->type == KEY_POLARITY)
        cat(buf, size, " %s, %s or %s", POLARITIES[0], POLARITIES[1], POLARITIES[2]);
    if (k->def && !k->def_of)
        cat(buf, size, " (default %s)", k->def);
    if (k->from_kind)
        kind_defaults(k, buf, size);
    if (k->max)
        cat(buf, size, " (at most %.0f)", k->max);
    if (k->required)
        cat(buf, size, k->or_key ? " (required, or %s)" : " (required)",
            k->or_key ? k->or_key : "");
    if (k->needs) {
        bool same = k->kinds != NULL;
        for (size_t i = 0; same && (k->kinds[i] || k->needs[i]); i++)
            same = k->kinds[i] == k->needs[i];
        if (same)
            cat(buf, size, " (required)");
        else
            cat(buf, size, " (required for %s)", kind_specs(k->needs, " and ", kinds,
                                                            sizeof kinds));
    }
    if (k->list_kinds)
        cat(buf, size, "; by its spec:");
    for (size_t i = 0; k->list_kinds && csa_kind_at(i); i++)
        cat(buf, size, "\n%s: %s", csa_kind_at(i)->spec, csa_kind_at(i)->computes);
}

void csa_config_write_help(FILE *fp)
{
    fputs(HELP_HEAD, fp);
    for (section_id s = SEC_ASSESSMENT; s < NSECTIONS; s++) {
        const struct section_def *d = &SECTIONS[s];
        int n = fprintf(fp, "\n[%s%s]", d->name, d->named ? ".NAME" : "");
        if (d->help)
            fprintf(fp, "%*s%s", n < 16 ? 16 - n : 1, "", d->help);
        fputc('\n', fp);
        for (size_t i = 0; i < NKEYS; i++) {
            if (KEYS[i].section != s)
                continue;
            char text[1024];
            key_help(&KEYS[i], text, sizeof text);
            size_t len = strlen(KEYS[i].name);
            fprintf(fp, "  %s%*s", KEYS[i].name, len < 13 ? 13 - (int)len : 2, "");
            wrap(fp, text, len < 13 ? 15 : len + 4, "               ");
        }
        if (d->after)
            wrap(fp, d->after, 0, "");
    }
    fputs(HELP_TAIL, fp);
}

static void starter_section(FILE *fp, section_id s, const char *name)
{
    fprintf(fp, name ? "\n[%s.%s]\n" : "\n[%s]\n", SECTIONS[s].name, name);
    const char *criteria = NULL;
    for (size_t i = 0; i < NKEYS; i++)
        if (KEYS[i].type == KEY_CRITERIA)
            criteria = KEYS[i].example;
    for (size_t i = 0; i < NKEYS; i++) {
        const config_key *k = &KEYS[i];
        if (k->section != s || k->starter == NOT_SHOWN)
            continue;
        if (k->starter != SHOWN) {
            fputs("; ", fp);
            wrap(fp, k->help, 2, "; ");
        }
        const char *hash = k->starter == COMMENTED ? "; " : "";
        if (!k->per_criterion) {
            fprintf(fp, "%s%s = %s\n", hash, k->name, k->example);
            continue;
        }
        /* weight.NAME: one line for each criterion the starter scores */
        size_t prefix = (size_t)(strchr(k->name, '.') - k->name) + 1;
        for (const char *p = criteria; p && *p;) {
            size_t n = strcspn(p, ", ");
            if (n)
                fprintf(fp, "%s%.*s%.*s = %s\n", hash, (int)prefix, k->name, (int)n, p,
                        k->example);
            p += n + (p[n] != '\0');
        }
    }
}

void csa_config_write_starter(FILE *fp)
{
    fputs(STARTER_HEAD, fp);
    starter_section(fp, SEC_ASSESSMENT, NULL);
    for (size_t i = 0; i < sizeof STARTER_INPUTS / sizeof STARTER_INPUTS[0]; i++)
        fprintf(fp, "\n[input.%s]\nspec = %s\nfiles = %s\n", STARTER_INPUTS[i].name,
                STARTER_INPUTS[i].spec, STARTER_INPUTS[i].files);
    starter_section(fp, SEC_PARTNER, STARTER_INPUTS[0].name);
    starter_section(fp, SEC_INDICATOR, STARTER_INDICATOR);
    starter_section(fp, SEC_PRIORITIES, NULL);
}
