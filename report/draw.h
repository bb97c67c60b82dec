/* What the charts (charts.c) and the maps (maps.c) share, inside report. */
#ifndef CSA_REPORT_DRAW_H
#define CSA_REPORT_DRAW_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "csa/chart.h"

/* Text as the charts set it (DejaVu Sans, px high, made XML-safe),
 * wrapped at wrap_w when it is above 0, at most `lines` lines (0: any)
 * ending in an ellipsis. The caller unrefs it. */
PangoLayout *csa_draw_text(cairo_t *cr, const char *text, double px, int bold, double wrap_w,
                           int lines);

/* The map kinds of csa_chart_draw, into (0, 0, w, h) of cr, c checked. */
int csa_chart_is_map(csa_chart_kind kind);
const char *csa_map_check(const csa_chart *c);
void csa_map_draw(cairo_t *cr, const csa_chart *c, double w, double h);

#endif
