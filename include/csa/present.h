/* csa/present.h: the display rules every output shares, each written
 * once: how many decimals a headline figure shows, how a score reads, the
 * IMD decile labels and Excel's number formats. The PDF pack, the
 * workbook and the charts all take them from here, so that a figure reads
 * the same wherever it is shown. Numbers with thousands separators are
 * csa_format_number (csa/stats.h). */
#ifndef CSA_PRESENT_H
#define CSA_PRESENT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "csa/assessment.h"

/* Places a headline figure shows: one from 10 up, two from 1, three
 * below (so that 0.042 keeps two significant figures); one for 0 and for
 * no figure (NaN). An interval's ends take the value's places. */
int csa_headline_decimals(double v);

/* A headline figure at `decimals` places with thousands separators
 * ("7.25", "1,234.5"), or "No figure" when v is not finite. Returns buf. */
char *csa_format_figure(double v, int decimals, char *buf, size_t size);

/* Places a priority score, weight or total shows: two, less its trailing
 * zeros (3, 3.5, 3.25); 0 for NaN. */
int csa_score_decimals(double v);

/* A score, weight or total as shown: csa_score_decimals places with
 * thousands separators, or an en dash when v is NaN. Returns buf. */
char *csa_format_score(double v, char *buf, size_t size);

/* The ten IMD decile labels, most deprived first: "1 (most deprived)",
 * "2", ..., "9", "10 (least deprived)". Static; never freed. */
const char *const *csa_decile_labels(void);

/* Excel's number format for `decimals` places (0 to 10) with thousands
 * separators, "#,##0" or "#,##0.00", into buf. Returns buf. */
enum { CSA_EXCEL_FORMAT_MAX = 24 };
const char *csa_excel_number_format(int decimals, char buf[CSA_EXCEL_FORMAT_MAX]);

/* ---- the assessment's words and figures, as the pack, the workbook
 * and the HTML page all show them ---- */

/* Room for one cell or line of text written by the functions below. */
enum { CSA_CELL_MAX = 512 };

/* Whether the assessment holds together as every output needs: each
 * count with its array, each priority naming an indicator and holding
 * its scores, each chart count with its charts. CSA_ERR_USAGE if not. */
csa_status csa_check_assessment(const csa_assessment *a, csa_error *err);

/* The document's title (the PDF's metadata, the web page's <title>):
 * "Milton Keynes Community Safety Partnership: strategic assessment,
 * October to December 2018". */
char *csa_format_document_title(const csa_assessment *a, char *buf, size_t size);

/* An indicator's title, or its config name when it has none. */
const char *csa_indicator_title(const csa_indicator_report *ind);

/* The priority rank of indicator i (1 = highest), or 0 when not ranked. */
size_t csa_indicator_rank(const csa_assessment *a, size_t i);

/* The indicators in the order every output shows them: the priorities in
 * rank order, then every other indicator in config order. order has room
 * for a->nindicators; returns how many it holds (a->nindicators). */
size_t csa_indicator_order(const csa_assessment *a, size_t *order);

/* "Crime · Priority 2 of 6" or "Crime · Not ranked". */
char *csa_format_rank_line(const csa_assessment *a, size_t i, char *buf, size_t size);

/* The contents' line of indicator i: "2. Violence" or "Violence (not
 * ranked)". */
char *csa_format_rank_label(const csa_assessment *a, size_t i, char *buf, size_t size);

/* Whether the indicator's unit is "%": its figures then read "57.7%" and
 * carry no unit line. */
bool csa_unit_is_percent(const csa_indicator_report *ind);

/* The headline value: "7.25", "57.7%", "No figure". */
char *csa_format_headline(const csa_indicator_report *ind, char *buf, size_t size);

/* "95% interval 6.91 to 7.60" in the value's places, or "" when there is
 * no interval. */
char *csa_format_interval(const csa_indicator_report *ind, char *buf, size_t size);

/* "Count 1,765 of 243,544", "Count 1,765", or "" when there is no count. */
char *csa_format_count(const csa_indicator_report *ind, char *buf, size_t size);

/* "England: 7.10" in the comparator value's own places, or "No
 * comparator". */
char *csa_format_comparator(const csa_indicator_report *ind, char *buf, size_t size);

/* "Lower is better", "Higher is better", "No judgement". Static. */
const char *csa_polarity_text(csa_polarity p);

/* The label over the change sentence: "Change on Oct 2017 to Dec 2017",
 * or "Change". */
char *csa_format_change_label(const csa_indicator_report *ind, char *buf, size_t size);
/* The change's figures beside its sentence: "Count 1,234 against 1,000;
 * change -0.86 per 1,000 residents (-23.4%)", the values at the headline's
 * places; "Count 0 in both periods"; "" when the indicator has no counts
 * of both periods. */
char *csa_format_change_figures(const csa_indicator_report *ind, char *buf, size_t size);

/* The trend's words, or "No trend". */
const char *csa_trend_text(const csa_indicator_report *ind);

/* "Source: police.uk. Method: Byar's method." under an indicator's
 * charts, and "Method: ... Source: ..." in the method notes; "not stated"
 * for what is missing. */
char *csa_format_source_line(const csa_indicator_report *ind, char *buf, size_t size);
char *csa_format_method_line(const csa_indicator_report *ind, char *buf, size_t size);

/* A priority matrix cell: the measure's words, a line feed, then "score 3
 * × weight 2". */
char *csa_format_priority_cell(const csa_priority_score *s, char *buf, size_t size);

/* The sum of the top priority spelled out: "How totals are made: ... For
 * Violence: 5 × 2 + 3 × 1 = 13."; "" when nothing is ranked. */
char *csa_format_priority_sum(const csa_assessment *a, char *buf, size_t size);

/* "14 November 2023", or "14 Nov 2023" when brief, in UTC, without the C
 * library's locale. */
char *csa_format_day(time_t t, bool brief, char *buf, size_t size);

/* "Produced by csa 0.9 on 14 November 2023 at 09:30 UTC". */
char *csa_format_produced(const csa_assessment *a, char *buf, size_t size);

/* The data-quality table of inputs: headers, and one input's cells.
 * Cells may hold a line feed: what follows it is detail. An input from
 * the submissions register shows when it was received and how late, the
 * others when their files were last modified. */
enum { CSA_INPUT_CELLS = 7 };
const char *const *csa_input_headers(const csa_assessment *a);
void csa_format_input_cells(const csa_input_report *in, char cells[][CSA_CELL_MAX]);

/* Where the rows went: headers, and the cells of input i (i < ninputs)
 * or of indicator i - ninputs; false for an indicator not counted from
 * rows, which has no line. */
enum { CSA_ACCOUNT_CELLS = 8 };
const char *const *csa_account_headers(void);
bool csa_format_account_cells(const csa_assessment *a, size_t i, char cells[][CSA_CELL_MAX]);

/* Validation findings that say the same of one file (every cell but the
 * line) as one group: its first row, how many rows, their first lines. */
enum { CSA_GROUP_LINES = 3, CSA_MAX_FINDING_GROUPS = 40, CSA_FINDING_CELLS = 7 };
typedef struct csa_finding_group {
    size_t first, count, nlines;
    char lines[CSA_GROUP_LINES][24];
} csa_finding_group;
/* Groups a->findings, in order of first appearance, into at most
 * CSA_MAX_FINDING_GROUPS groups; *rest gets the rows of no group shown. */
size_t csa_group_findings(const csa_table *findings, csa_finding_group *g, size_t *rest);
/* The headers and one group's cells: Input, File (its name), Line:col,
 * Check, Severity, Value, Message ("20 rows (lines 2, 5, 9 and more):
 * ..."). */
const char *const *csa_finding_headers(void);
void csa_format_finding_cells(const csa_table *findings, const csa_finding_group *g,
                              char cells[][CSA_CELL_MAX]);

/* The places a chart's values show in its data table: none when every
 * finite one is whole, else csa_headline_decimals of the largest in
 * size (so a column reads at one precision). */
int csa_values_decimals(const double *v, size_t n);

/* The places a double column of a report table shows: none when every
 * value is whole (counts), else `decimals`; 0 for other types. */
int csa_column_decimals(const csa_table *t, size_t col, int decimals);

/* A cell of t as text: doubles at `places` and integers, both with
 * thousands separators, or with places -1 as a finding shows them
 * (doubles at csa_score_decimals, integers plain, as line numbers are);
 * dates as csa_format_date, booleans "yes"/"no", a missing value "".
 * Returns buf. */
char *csa_format_cell(const csa_table *t, size_t col, size_t row, int places, char *buf,
                      size_t size);

#endif
