/* report/xlsx.h: what report's two workbooks share (csa_write_xlsx in
 * tables.c, csa_write_assessment_xlsx in workbook.c): formats and the
 * writing of a csa_table's cells. Private to report. */
#ifndef CSA_REPORT_XLSX_H
#define CSA_REPORT_XLSX_H

#include <xlsxwriter.h>

#include "csa/error.h"
#include "csa/table.h"

typedef struct csa_xlsx_formats {
    lxw_format *title, *note, *header, *integer, *decimal, *date;
} csa_xlsx_formats;

/* Adds to wb (which owns them) the formats of a sheet whose doubles show
 * `decimals` places. */
void csa_xlsx_add_formats(lxw_workbook *wb, int decimals, csa_xlsx_formats *f);

/* The format f gives column c of t by its type: integer, decimal or date;
 * NULL for text and booleans. */
lxw_format *csa_xlsx_column_format(const csa_xlsx_formats *f, const csa_table *t, size_t c);

/* The width of a column headed `name`, before its values widen it. */
double csa_xlsx_header_width(const char *name);

/* Writes text s (NULL: nothing) as a string cell, never a formula, with
 * what XML forbids replaced (csa_text_xml). */
lxw_error csa_xlsx_write_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
                              lxw_format *format);

/* Writes column c of t down from row `top` (its first row there) in
 * column `col`: numbers as numbers in `format`, dates as Excel dates,
 * missing values as empty cells, never 0 or "", text with
 * csa_xlsx_write_text. *width grows to fit the longest text. Returns the first error of libxlsxwriter. */
lxw_error csa_xlsx_write_column(lxw_worksheet *ws, lxw_row_t top, lxw_col_t col,
                                const csa_table *t, size_t c, lxw_format *format,
                                double *width);

/* A workbook at path whose temporary files go in path's folder (tmpdir,
 * the caller's, holds that folder until the workbook is closed). */
lxw_workbook *csa_xlsx_new(const char *path, char tmpdir[4096]);

/* Closes (and frees) wb, writing it to path; a failed write anywhere in it,
 * its temporary files included, is the error, "disk full" for ENOSPC. */
csa_status csa_xlsx_close(lxw_workbook *wb, const char *path, csa_error *err);

#endif
