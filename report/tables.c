/* Tables out: CSV and xlsx worksheets, both straight from csa_table. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "csa/month.h"
#include "csa/present.h"
#include "csa/report.h"
#include "csa/text.h"
#include "xlsx.h"

/* A field; text (not a number from a numeric column) that a spreadsheet
 * would read as a formula gets OWASP's leading quote. */
static void csv_field(FILE *fp, const char *s, bool text)
{
    const char *quote = text && csa_text_formula_like(s) ? "'" : "";
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(quote, fp);
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    fputs(quote, fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

/* The text of one cell as CSV shows it; "" when missing. */
static const char *cell_text(const csa_table *t, size_t c, size_t r, int decimals,
                             char *buf, size_t size)
{
    buf[0] = '\0';
    if (!csa_table_valid(t, c, r))
        return buf;
    switch (csa_table_column_type(t, c)) {
    case CSA_INT64: snprintf(buf, size, "%lld", (long long)csa_table_int64s(t, c)[r]); break;
    case CSA_DOUBLE: snprintf(buf, size, "%.*f", decimals, csa_table_doubles(t, c)[r]); break;
    case CSA_DATE: csa_format_date(csa_table_dates(t, c)[r], false, buf); break;
    case CSA_BOOL: snprintf(buf, size, "%s", csa_table_bools(t, c)[r] ? "1" : "0"); break;
    case CSA_STRING:
        return csa_dict_string(csa_table_dict(t, c), csa_table_codes(t, c)[r], NULL);
    }
    return buf;
}

static void csv_rows(const csa_table *t, int decimals, FILE *fp)
{
    size_t ncols = csa_table_ncols(t), nrows = csa_table_nrows(t);
    char buf[64];
    for (size_t c = 0; c < ncols; c++) {
        if (c)
            fputc(',', fp);
        csv_field(fp, csa_table_column_name(t, c), true);
    }
    fputc('\n', fp);
    for (size_t r = 0; r < nrows; r++) {
        for (size_t c = 0; c < ncols; c++) {
            if (c)
                fputc(',', fp);
            csv_field(fp, cell_text(t, c, r, decimals, buf, sizeof buf),
                      csa_table_column_type(t, c) == CSA_STRING);
        }
        fputc('\n', fp);
    }
}

csa_status csa_write_csv_stream(const csa_table *t, int decimals, FILE *fp, const char *name,
                                csa_error *err)
{
    errno = 0;
    csv_rows(t, decimals, fp);
    if (fflush(fp) != 0 || ferror(fp))
        return csa_error_set(err, CSA_ERR_IO, name, 0, 0, NULL, NULL, "cannot write: %s",
                             csa_io_error(errno));
    return CSA_OK;
}

csa_status csa_write_csv(const csa_table *t, int decimals, const char *path, csa_error *err)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot create: %s",
                             csa_io_error(errno));
    errno = 0;
    csv_rows(t, decimals, fp);
    bool bad = fflush(fp) != 0 || ferror(fp);
    int saved = errno;
    if (fclose(fp) != 0 || bad)
        return csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot write: %s",
                             csa_io_error(bad ? saved : errno));
    return CSA_OK;
}

void csa_xlsx_add_formats(lxw_workbook *wb, int decimals, csa_xlsx_formats *f)
{
    f->title = workbook_add_format(wb);
    format_set_bold(f->title);
    format_set_font_size(f->title, 14);
    f->note = workbook_add_format(wb);
    format_set_italic(f->note);
    format_set_font_color(f->note, 0x595959);
    f->header = workbook_add_format(wb);
    format_set_bold(f->header);
    format_set_font_color(f->header, LXW_COLOR_WHITE);
    format_set_bg_color(f->header, 0x1F4E79);
    format_set_text_wrap(f->header);
    format_set_align(f->header, LXW_ALIGN_VERTICAL_CENTER);
    char num[CSA_EXCEL_FORMAT_MAX];
    f->integer = workbook_add_format(wb);
    format_set_num_format(f->integer, csa_excel_number_format(0, num));
    f->decimal = workbook_add_format(wb);
    format_set_num_format(f->decimal, csa_excel_number_format(decimals, num));
    f->date = workbook_add_format(wb);
    format_set_num_format(f->date, "yyyy-mm-dd");
}

lxw_format *csa_xlsx_column_format(const csa_xlsx_formats *f, const csa_table *t, size_t c)
{
    switch (csa_table_column_type(t, c)) {
    case CSA_INT64: return f->integer;
    case CSA_DOUBLE: return f->decimal;
    case CSA_DATE: return f->date;
    case CSA_BOOL:
    case CSA_STRING: break;
    }
    return NULL;
}

double csa_xlsx_header_width(const char *name)
{
    return strlen(name) < 12 ? 12 : (double)strlen(name) * 0.9 + 2;
}

lxw_error csa_xlsx_write_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
                              lxw_format *format)
{
    char *owned;
    const char *text = csa_text_xml(s, &owned);
    if (!text)
        return s ? LXW_ERROR_MEMORY_MALLOC_FAILED : LXW_NO_ERROR;
    lxw_error e = worksheet_write_string(ws, row, col, text, format);
    free(owned);
    return e;
}

lxw_error csa_xlsx_write_column(lxw_worksheet *ws, lxw_row_t top, lxw_col_t col,
                                const csa_table *t, size_t c, lxw_format *format,
                                double *width)
{
    size_t nrows = csa_table_nrows(t);
    csa_type type = csa_table_column_type(t, c);
    lxw_error first = LXW_NO_ERROR, e = LXW_NO_ERROR;
    for (size_t r = 0; r < nrows; r++) {
        lxw_row_t row = top + (lxw_row_t)r;
        if (!csa_table_valid(t, c, r))
            continue;
        switch (type) {
        case CSA_INT64:
            e = worksheet_write_number(ws, row, col, (double)csa_table_int64s(t, c)[r], format);
            break;
        case CSA_DOUBLE:
            /* a NaN or infinity that is not marked missing is still no number */
            if (isfinite(csa_table_doubles(t, c)[r]))
                e = worksheet_write_number(ws, row, col, csa_table_doubles(t, c)[r], format);
            break;
        case CSA_DATE:
            /* Excel counts days from 1899-12-30 */
            e = worksheet_write_number(ws, row, col, csa_table_dates(t, c)[r] + 25569.0, format);
            break;
        case CSA_BOOL:
            e = worksheet_write_boolean(ws, row, col, csa_table_bools(t, c)[r], format);
            break;
        case CSA_STRING: {
            size_t len;
            const char *v = csa_dict_string(csa_table_dict(t, c), csa_table_codes(t, c)[r],
                                            &len);
            if (len)
                e = csa_xlsx_write_text(ws, row, col, v, format);
            if ((double)len * 1.1 + 2 > *width)
                *width = (double)len * 1.1 + 2;
            break;
        }
        }
        if (e != LXW_NO_ERROR && first == LXW_NO_ERROR)
            first = e;
    }
    return first;
}

static void write_sheet(lxw_workbook *wb, const csa_sheet *s, const csa_xlsx_formats *f)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, s->name);
    const csa_table *t = s->table;
    size_t ncols = csa_table_ncols(t), nrows = csa_table_nrows(t);
    lxw_row_t top = 2; /* title, note, then the table */
    csa_xlsx_write_text(ws, 0, 0, s->title, f->title);
    csa_xlsx_write_text(ws, 1, 0, s->note, f->note);
    for (size_t c = 0; c < ncols; c++) {
        const char *name = csa_table_column_name(t, c);
        double width = csa_xlsx_header_width(name);
        csa_xlsx_write_text(ws, top, (lxw_col_t)c, name, f->header);
        csa_xlsx_write_column(ws, top + 1, (lxw_col_t)c, t, c, csa_xlsx_column_format(f, t, c),
                              &width);
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width > 60 ? 60 : width, NULL);
    }
    worksheet_set_row(ws, top, 30, NULL);
    worksheet_freeze_panes(ws, top + 1, 0);
    if (nrows && ncols)
        worksheet_autofilter(ws, top, 0, top + (lxw_row_t)nrows, (lxw_col_t)(ncols - 1));
}

csa_status csa_write_xlsx(const csa_sheet *sheets, size_t nsheets, const char *path,
                          csa_error *err)
{
    char tmpdir[4096];
    lxw_workbook *wb = csa_xlsx_new(path, tmpdir);
    if (!wb)
        return csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot create workbook");
    /* the run's time, not the clock's, so that reruns give the same cells and properties */
    char *title = NULL;
    const char *t = nsheets ? csa_text_xml(sheets[0].title, &title) : NULL;
    lxw_doc_properties props = {.title = (char *)t, .author = "csa",
                                .created = csa_run_time()};
    workbook_set_properties(wb, &props);
    free(title);
    for (size_t i = 0; i < nsheets; i++) {
        csa_xlsx_formats f;
        csa_xlsx_add_formats(wb, sheets[i].decimals, &f);
        write_sheet(wb, &sheets[i], &f);
    }
    return csa_xlsx_close(wb, path, err);
}

lxw_workbook *csa_xlsx_new(const char *path, char tmpdir[4096])
{
    /* libxlsxwriter's temporary files go beside the workbook (in the run's
     * private folder, report/outdir.c), on the disk the outputs go to, not
     * in /tmp, whose being full libxlsxwriter would not notice */
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(tmpdir, 4096, ".");
    else
        snprintf(tmpdir, 4096, "%.*s", slash == path ? 1 : (int)(slash - path), path);
    lxw_workbook_options opt = {.tmpdir = tmpdir};
    return workbook_new_opt(path, &opt);
}

csa_status csa_xlsx_close(lxw_workbook *wb, const char *path, csa_error *err)
{
    errno = 0;
    lxw_error e = workbook_close(wb);
    int saved = errno;
    /* libxlsxwriter does not check writes to its temporary files; a failed
     * one leaves errno saying so (no successful call sets these) unless a
     * later call changed errno. A disk that stays full fails the workbook's
     * own writes too, which it checks: its temporary files are on that disk
     * (csa_xlsx_new). */
    bool failed = saved == ENOSPC || saved == EDQUOT || saved == EIO || saved == EFBIG;
    if (e != LXW_NO_ERROR || failed)
        return csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot write workbook: %s",
                             failed || (e == LXW_ERROR_ZIP_FILE_OPERATION && saved) ||
                                     e == LXW_ERROR_ZIP_CLOSE
                                 ? csa_io_error(saved)
                                 : lxw_strerror(e));
    return CSA_OK;
}
