/* csa/present.h: the display rules every output shares, each written
 * once: how many decimals a headline figure shows, how a score reads, the
 * IMD decile labels and Excel's number formats. The PDF pack, the
 * workbook and the charts all take them from here, so that a figure reads
 * the same wherever it is shown. Numbers with thousands separators are
 * csa_format_number (csa/stats.h). */
#ifndef CSA_PRESENT_H
#define CSA_PRESENT_H

#include <stddef.h>

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

#endif
