/* csa/assessment.h: the results of a whole assessment run as the report
 * stage reads them, to write the workbook (assessment.xlsx) and the PDF
 * pack (assessment-pack.pdf). Plain data: `csa run` fills it from the
 * engine's results, report lays it out and never recomputes a figure.
 * Every pointer is borrowed from the run, which keeps it alive while the
 * report is written. Doubles are NaN when there is no figure. */
#ifndef CSA_ASSESSMENT_H
#define CSA_ASSESSMENT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "csa/chart.h"
#include "csa/error.h"
#include "csa/stats.h"
#include "csa/table.h"

/* How a table is charted natively in the workbook. */
typedef enum csa_native_chart {
    CSA_NATIVE_NONE = 0,
    CSA_NATIVE_LINE,   /* x_column as categories, y_column as the line */
    CSA_NATIVE_COLUMN, /* vertical bars */
    CSA_NATIVE_BAR,    /* horizontal bars */
    CSA_NATIVE_HEAT,   /* no chart: the cells between the first column and the last
                          shaded light to dark by value (a colour scale), as the
                          HEAT chart shades them */
} csa_native_chart;

/* A table of an indicator's theme sheet: written as an Excel table with a
 * native chart beside it when chart is not NONE. Columns are named by
 * header text; lower/upper (or NULL) give the chart's error bars. */
typedef struct csa_report_table {
    const char *title;
    const csa_table *table;
    int decimals;            /* places shown for doubles */
    csa_native_chart chart;
    const char *x_column, *y_column, *lower_column, *upper_column;
    /* LINE: NULL, or two more columns (each NULL for none) drawn as lines
     * of their own as the charts draw a rolling line (lines[0]: thick,
     * plain) and an overlay (lines[1]: dashed, with triangles) */
    const char *const *lines;
    /* how the table is made and what it leaves out, written under its title
     * in the workbook and the pack; or NULL */
    const char *note;
    /* the columns (npack_columns, by header text) the pack shows of it on
     * the indicator's page, compactly; NULL: it is not in the pack */
    const char *const *pack_columns;
    size_t npack_columns;
} csa_report_table;

/* Where the rows of an input, or of an indicator's part of one, went:
 * read = used + no_location + no_population + outside_area +
 * outside_period + rejected, exactly. */
typedef struct csa_row_accounting {
    uint64_t read;
    uint64_t used;           /* counted in a figure */
    uint64_t no_location;    /* no LSOA code (police.uk's "No Location") */
    uint64_t no_population;  /* in an LSOA of the area with no population row */
    uint64_t outside_area;   /* in an LSOA (or ward) of another area */
    uint64_t outside_period; /* in a month outside the period */
    uint64_t rejected;       /* a bad value: not read, or the input left out */
} csa_row_accounting;

typedef struct csa_indicator_report {
    const char *name;        /* the config's name: "violence" */
    const char *title;       /* "Violence against the person" */
    const char *theme;       /* sheet it goes on: "Crime", "Health", "Survey" */
    const char *unit;        /* "per 1,000 residents", "%" */
    const char *method;      /* "Byar's method; exact Poisson below 10 events" */
    const char *source;      /* "police.uk street-level crime" */
    csa_polarity polarity;
    double count, denominator;
    double value, lower, upper; /* the headline figure and its 95% interval */
    const char *comparator;  /* "England", or NULL for none */
    double comparator_value;
    csa_outcome outcome;
    csa_rag rag;
    const char *trend;       /* "Increasing and getting worse", "Not enough points (3 of 5)" */
    /* The change against the comparison period (police crime): counts and
     * rates over the months both periods have, the change in % and in the
     * unit, and the rate ratio now / before with its 95% interval; NaN
     * when there is none. change is the sentence ("fell from 25.8 to 18.9
     * per 1,000 residents (-27%; rate ratio 0.73, 95% CI 0.71 to 0.76): a
     * significant fall") or why there is no change, NULL for an indicator
     * that is no count over time. */
    const char *compared_with; /* "Oct 2017 to Dec 2017", or NULL */
    double count_now, count_before, value_now, value_before;
    double change_percent, change_value;
    double ratio, ratio_lower, ratio_upper;
    const char *change;
    const char *reading;     /* the plain-language sentence of the pack */
    const char *note;        /* caveat on every output it reaches (excluded input,
                                partial period), or NULL */
    const csa_report_table *tables;
    size_t ntables;
    const csa_chart *charts; /* drawn on the indicator's page of the pack */
    size_t ncharts;
    /* the rows of its input it counts from (police crime: those of its crime
     * types; their rejected rows stay on the input, which has no type for
     * them); all 0 for an indicator not counted from rows */
    csa_row_accounting rows;
    int has_rows;            /* rows is its accounting (police crime) */
} csa_indicator_report;

/* One criterion of one candidate's priority score. The pack shows
 * value_text; the workbook stores value as a number shown with `decimals`
 * places, and value_unit in the cell beside it (so that "1.23 x England"
 * is 1.23 and "x England"). Where value is NaN or value_unit is NULL,
 * value_text goes there instead: why there is no value ("No comparator"),
 * or the words of a measure that has no unit ("Increasing and getting
 * worse" for a direction of 1). Both may be left 0 and NULL. */
typedef struct csa_priority_score {
    double value;            /* the criterion's measure, e.g. 1.23 (ratio to England) */
    const char *value_text;  /* as shown: "1.23 x England", "Worse", "38%" */
    double score;            /* on the criterion's scale */
    double weight;
    int decimals;            /* places the workbook shows value with (1 to 6); 0: as a
                                score (csa_score_decimals: two, less trailing zeros) */
    const char *value_unit;  /* "x England", "times", "% (Worried about violent crime)" */
} csa_priority_score;

typedef struct csa_priority_report {
    size_t indicator;        /* index into csa_assessment.indicators */
    size_t rank;             /* 1 = highest */
    double total;            /* sum of score x weight */
    const csa_priority_score *scores; /* ncriteria, in criteria order */
} csa_priority_report;

typedef struct csa_priority_criterion {
    const char *name;        /* "Volume against comparator" */
    const char *rule;        /* how the value becomes a score, in words */
} csa_priority_criterion;

/* One partner submission (a config input) and what became of it. */
typedef struct csa_input_report {
    const char *name;        /* the config's input name */
    const char *spec;
    size_t nfiles;
    const char *const *files; /* paths as shown (relative to the output folder) */
    const uint64_t *bytes;   /* nfiles */
    const char *const *sha256; /* nfiles */
    const time_t *modified;  /* nfiles: last modification time */
    const uint64_t *file_rows; /* nfiles: data rows of each file */
    csa_row_accounting rows; /* every row of every file */
    size_t errors, warnings; /* validation findings */
    const char *covers;      /* "Oct 2018 to Dec 2018", or NULL when not by month */
    const char *missing;     /* "Jan 2018 to Sep 2018", "none", or NULL */
    int excluded;            /* left out by --allow-invalid */
    /* from the submissions register (from = register), shown instead of the
     * files' modification times; all 0 for an input read from its files */
    time_t received;         /* when the submission used was received */
    int32_t due;             /* its partner's due date, days since 1970-01-01 */
    int days_late;           /* days (UTC) received after due; 0 on time */
} csa_input_report;

typedef struct csa_assessment {
    const char *title;       /* "Milton Keynes Community Safety Partnership" */
    const char *area;        /* "Milton Keynes (E06000042)" */
    const char *period;      /* "October to December 2018" */
    const char *comparator;  /* "England" */
    const char *version;     /* CSA_VERSION */
    time_t run_time;         /* csa_run_time() */
    const char *config;      /* config path as shown */

    const csa_indicator_report *indicators;
    size_t nindicators;

    const csa_priority_criterion *criteria;
    size_t ncriteria;
    const csa_priority_report *priorities; /* in rank order */
    size_t npriorities;

    const csa_input_report *inputs;
    size_t ninputs;
    /* Validation findings of every input: columns Input, File, Line,
     * Column, Check, Severity, Value, Message. May have no rows. */
    const csa_table *findings;

    const char *const *method_notes; /* paragraphs for the pack's last page */
    size_t nmethod_notes;
} csa_assessment;

/* assessment.xlsx: Summary (one row per indicator: value, interval,
 * comparator, outcome, trend; RAG by conditional formats on the outcome
 * text), Priorities (the matrix: every criterion's value as a number with
 * its words in the cell beside it, score and weight),
 * one sheet per theme (each table as an Excel table with its native
 * chart), Data quality (row accounting, coverage and findings per input)
 * and Provenance (inputs with size and SHA-256, period, version, run time).
 * Workbook properties carry run_time. */
csa_status csa_write_assessment_xlsx(const csa_assessment *a, const char *path,
                                     csa_error *err);

/* assessment-pack.pdf, A4 portrait: cover, contents, the priority matrix,
 * one page per indicator in priority order (headline figures, charts, the
 * reading sentence), then data quality and method notes. The PDF's
 * creation date is run_time. */
csa_status csa_write_assessment_pdf(const csa_assessment *a, const char *path,
                                    csa_error *err);
/* As csa_write_assessment_pdf, into memory: *data (the caller frees it)
 * holds the pack's *size bytes, for a caller that draws it on a thread of
 * its own and writes it itself. */
csa_status csa_write_assessment_pdf_memory(const csa_assessment *a, char **data, size_t *size,
                                           csa_error *err);

/* assessment.html: the pack's content as one self-contained, accessible
 * web page (WCAG 2.1 AA): summary, priority matrix, a section per
 * indicator in priority order (headline figures, reading, note, every
 * chart as inline SVG with a title, a description and its data as a
 * table, every table), data quality and method notes. Inline CSS, no
 * script, nothing fetched; words and figures as the pack writes them
 * (csa/present.h). */
csa_status csa_write_assessment_html(const csa_assessment *a, const char *path,
                                     csa_error *err);

#endif
