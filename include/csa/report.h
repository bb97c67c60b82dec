/* csa/report.h: outputs. Report reads result tables and writes files; it
 * never recomputes a figure. Every output goes to a temporary name in the
 * output folder and is renamed into place only when all of a run's outputs
 * are complete, so a failed run leaves the previous outputs as they were. */
#ifndef CSA_REPORT_H
#define CSA_REPORT_H

#include <stddef.h>

#include "csa/error.h"
#include "csa/table.h"

/* ---- atomic output folder ---- */

typedef struct csa_outdir csa_outdir;

/* Opens (creating it and its parents if need be) the output folder.
 * Free with csa_outdir_free. */
csa_status csa_outdir_open(const char *dir, csa_outdir **out, csa_error *err);
/* The temporary path to write output `name` to. The path is owned by the
 * outdir and valid until it is freed. */
csa_status csa_outdir_add(csa_outdir *o, const char *name, const char **tmp_path,
                          csa_error *err);
/* Renames every added output into place. */
csa_status csa_outdir_commit(csa_outdir *o, csa_error *err);
/* Removes the temporary files of anything not committed, then frees. */
void csa_outdir_free(csa_outdir *o);

/* ---- tables ---- */

/* A table as CSV (RFC 4180 quoting, LF line ends, header row). Missing
 * values are empty fields; doubles with `decimals` places. */
csa_status csa_write_csv(const csa_table *t, int decimals, const char *path,
                         csa_error *err);

/* One worksheet of a workbook: a title row, an optional note row, then the
 * table with a styled, frozen header row and number formats. */
typedef struct csa_sheet {
    const char *name;  /* sheet tab, at most 31 characters */
    const char *title; /* first row */
    const char *note;  /* second row, or NULL */
    const csa_table *table;
    int decimals;      /* places shown for doubles */
} csa_sheet;

csa_status csa_write_xlsx(const csa_sheet *sheets, size_t nsheets,
                          const char *path, csa_error *err);

/* ---- charts ---- */

/* Vertical bars with optional confidence whiskers, one per category. NaN
 * values are shown as "no data", not as zero bars. */
typedef struct csa_bar_chart {
    const char *title;
    const char *subtitle; /* or NULL */
    const char *x_label, *y_label;
    const char *source;   /* source line under the chart */
    size_t n;
    const char *const *labels;
    const double *values;
    const double *lower, *upper; /* NULL for no whiskers */
} csa_bar_chart;

/* Renders the chart as a PNG of width x height pixels. */
csa_status csa_chart_bars_png(const csa_bar_chart *c, int width, int height,
                              const char *path, csa_error *err);

#endif
