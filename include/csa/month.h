/* csa/month.h: dates and months as the data model holds them, their
 * labels, and the one grammar of periods that the config and every command
 * read.
 *
 * A date is days since 1970-01-01 (proleptic Gregorian); a month is the
 * date of its first day. The arithmetic is on those numbers, never through
 * text. It holds for years 1 to 9999; csa reads years 1900 to 2200. */
#ifndef CSA_MONTH_H
#define CSA_MONTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "csa/error.h"

/* ---- dates ---- */

/* Dates: "2018-06" (first of the month), "2018-06-30", "30/06/2018", years
 * 1900 to 2200, surrounding spaces ignored; result in days since
 * 1970-01-01. Reads the whole of s[0,len) or returns false. */
bool csa_parse_date(const char *s, size_t len, int32_t *out);
/* Writes "2018-06-30" (or "2018-06" when month_only) for days since epoch. */
enum { CSA_DATE_TEXT_MAX = 32 };
void csa_format_date(int32_t days, bool month_only, char buf[CSA_DATE_TEXT_MAX]);

/* Minutes after midnight of a time of day written HH:MM or H:MM on the
 * 24-hour clock (00:00 to 23:59), surrounding spaces ignored; -1 when
 * s[0,len) is not one (25:00, 12:60, 9.30). */
int csa_time_minutes(const char *s, size_t len);
/* Day of the week of a date: 0 Monday ... 6 Sunday. */
int csa_weekday(int32_t days);

/* ---- months ---- */

/* The month of year and month (1 January); month may lie outside 1..12
 * and carries into the year: (2018, 13) is January 2019, (2018, 0)
 * December 2017. */
int32_t csa_month_make(int year, int month);
/* The month holding a date (its first day). */
int32_t csa_month_of(int32_t days);
/* The month n months after the month holding `days` (n may be negative). */
int32_t csa_month_add(int32_t days, int n);
/* Months from the month holding b to the month holding a: a - b, so
 * csa_month_diff(csa_month_add(b, n), b) == n. */
int csa_month_diff(int32_t a, int32_t b);
/* Year and month (1 to 12) of a date. */
void csa_month_split(int32_t days, int *year, int *month);
/* Index of the month holding `day` among the months first..last (0 for
 * first's), or -1 when it falls outside them. */
int csa_month_index(int32_t first, int32_t last, int32_t day);

/* ---- labels ---- */

/* "January" for 1 ... "December" for 12 (carrying as csa_month_make does);
 * the short forms are its first three letters. Static. */
const char *csa_month_name(int month);

typedef enum csa_month_style {
    CSA_MONTH_SHORT, /* "Jan 2018" */
    CSA_MONTH_LONG,  /* "January 2018" */
    CSA_MONTH_ISO,   /* "2018-01" */
} csa_month_style;

enum { CSA_MONTH_TEXT_MAX = 24, CSA_PERIOD_TEXT_MAX = 2 * CSA_MONTH_TEXT_MAX + 4 };

/* The month holding `days` in a style; returns buf. */
char *csa_month_label(int32_t days, csa_month_style style, char buf[CSA_MONTH_TEXT_MAX]);
/* The months first..last: "January 2018 to March 2018", or one month once
 * ("Jan 2018") when both fall in the same month; returns buf. */
char *csa_month_range_label(int32_t first, int32_t last, csa_month_style style,
                            char buf[CSA_PERIOD_TEXT_MAX]);

/* ---- periods ---- */

/* A period as people write it, in any of these forms:
 *   2018/19                 a financial year, April 2018 to March 2019
 *   2018-10 to 2018-12      a run of months, ends included
 *   2018-10:2018-12         the same
 *   12 months to 2018-12    N months ending with that month (any N >= 1)
 *   4 quarters to 2018-12   N quarters (3N months) ending with that month;
 *                           "four quarters" too
 *   2018-10                 one month
 * Sets *first and *last to the first days of its first and last months.
 * Anything else, a month outside 1900 to 2200, or a range that ends before
 * it starts is CSA_ERR_USAGE with a message that names the text at fault;
 * err->value holds s. The label of a period is csa_month_range_label. */
csa_status csa_period_parse(const char *s, int32_t *first, int32_t *last, csa_error *err);

#endif
