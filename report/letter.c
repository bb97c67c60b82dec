/* A one-page letter (csa/letter.h), laid out with pango on a cairo PDF
 * surface in the pack's font. */
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csa/csa.h"
#include "csa/letter.h"

#define FONT "DejaVu Sans"
/* A4 in points, with 2 cm margins */
enum { PAGE_W = 595, PAGE_H = 842, MARGIN = 57 };

/* Draws text at y in size points (bold or not), from x over width; returns
 * the height it takes. Nothing is drawn when draw is false. */
static double text_at(cairo_t *cr, const char *text, double x, double y, double width,
                      double size, bool bold, bool draw)
{
    char *owned = NULL;
    PangoLayout *l = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_from_string(FONT);
    pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, fd);
    pango_font_description_free(fd);
    pango_layout_set_width(l, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    /* config text from partners' names: what XML forbids becomes U+FFFD */
    const char *shown = csa_text_xml(text, &owned);
    pango_layout_set_text(l, shown ? shown : "", -1);
    int w, h;
    pango_layout_get_size(l, &w, &h);
    if (draw) {
        cairo_move_to(cr, x, y);
        pango_cairo_show_layout(cr, l);
    }
    g_object_unref(l);
    free(owned);
    return (double)h / PANGO_SCALE;
}

/* Lays the letter out; returns where its text ends. */
static double lay_out(cairo_t *cr, const csa_letter *l, bool draw)
{
    double y = MARGIN, width = PAGE_W - 2 * MARGIN;
    cairo_set_source_rgb(cr, 0.12, 0.29, 0.49);
    y += text_at(cr, l->heading, MARGIN, y, width, 16, true, draw) + 14;
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    for (size_t i = 0; i < l->naddress; i++)
        y += text_at(cr, l->address[i], MARGIN, y, width, 10, false, draw) + 2;
    y += 14;
    for (size_t i = 0; i < l->nparagraphs; i++) {
        const char *p = l->paragraphs[i];
        bool bullet = !strncmp(p, "- ", 2);
        bool next_bullet = i + 1 < l->nparagraphs && !strncmp(l->paragraphs[i + 1], "- ", 2);
        if (bullet && draw) {
            cairo_new_path(cr);
            cairo_arc(cr, MARGIN + 6, y + 7, 2, 0, 6.2832);
            cairo_fill(cr);
        }
        y += text_at(cr, bullet ? p + 2 : p, MARGIN + (bullet ? 16 : 0), y,
                     width - (bullet ? 16 : 0), 10.5, false, draw) +
             (bullet && next_bullet ? 5 : 10);
    }
    return y;
}

csa_status csa_write_letter(const csa_letter *l, const char *path, csa_error *err)
{
    cairo_surface_t *s = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
        csa_status st = csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL,
                                      "cannot write the letter: %s",
                                      cairo_status_to_string(cairo_surface_status(s)));
        cairo_surface_destroy(s);
        return st;
    }
    char date[80];
    struct tm tm;
    time_t t = l->date;
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, l->heading);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "csa " CSA_VERSION);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
    cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
    cairo_t *cr = cairo_create(s);
    csa_status st = CSA_OK;
    double end = lay_out(cr, l, false);
    if (end > PAGE_H - MARGIN - 30) {
        st = csa_error_set(err, CSA_ERR_LIMIT, path, 0, 0, NULL, NULL,
                           "the letter does not fit on one page: shorten the config's text");
    } else {
        lay_out(cr, l, true);
        if (l->footer) {
            cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
            text_at(cr, l->footer, MARGIN, PAGE_H - MARGIN - 12, PAGE_W - 2 * MARGIN, 8, false,
                    true);
        }
        cairo_show_page(cr);
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    if (!st && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
        st = csa_error_set(err, CSA_ERR_IO, path, 0, 0, NULL, NULL, "cannot write the letter: %s",
                           cairo_status_to_string(cairo_surface_status(s)));
    cairo_surface_destroy(s);
    return st;
}
