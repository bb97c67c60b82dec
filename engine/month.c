/* Dates, months and periods on days since 1970-01-01: arithmetic on the
 * numbers (Howard Hinnant's civil-date algorithms), and one table of month
 * names for every label. */
#include <stdio.h>
#include <string.h>

#include "csa/month.h"

enum { FIRST_YEAR = 1900, LAST_YEAR = 2200 };
static const char OUTSIDE[] = "is outside the years csa reads (1900 to 2200)";

static const char *const MONTH_NAMES[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

/* Days since 1970-01-01 of a proleptic Gregorian date (days_from_civil). */
static int32_t days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + (int)doe - 719468);
}

/* The inverse of days_from_civil (civil_from_days). */
static void civil_from_days(int32_t days, int *year, unsigned *month, unsigned *day)
{
    int z = days + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *day = doy - (153 * mp + 2) / 5 + 1;
    *month = mp < 10 ? mp + 3 : mp - 9;
    *year = (int)yoe + era * 400 + (*month <= 2);
}

static unsigned days_in_month(int y, unsigned m)
{
    static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* Months since January of year 0 of the month holding a date. */
static long long month_number(int32_t days)
{
    /* Per-row loops over a history (6M police rows) ask about a row's day
     * and the period's ends, again and again: the last few answers are
     * kept, per thread, rather than the calendar worked out each time. */
    enum { KEPT = 4 };
    static _Thread_local int32_t kept_days[KEPT] = {INT32_MIN, INT32_MIN, INT32_MIN, INT32_MIN};
    static _Thread_local long long kept_month[KEPT];
    static _Thread_local unsigned next;
    for (unsigned i = 0; i < KEPT; i++)
        if (kept_days[i] == days)
            return kept_month[i];
    int y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    unsigned i = next++ % KEPT;
    kept_days[i] = days;
    return kept_month[i] = (long long)y * 12 + m - 1;
}

/* The first day of month number n (as month_number counts). */
static int32_t month_start(long long n)
{
    long long y = n >= 0 ? n / 12 : -((11 - n) / 12);
    return days_from_civil((int)y, (unsigned)(n - y * 12) + 1, 1);
}

/* Reads exactly n digits. */
static bool digits(const char *s, size_t n, unsigned *out)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *out = v;
    return true;
}

bool csa_parse_date(const char *s, size_t len, int32_t *out)
{
    unsigned y, m, d = 1;
    while (len && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    if (len == 7 && s[4] == '-') {
        if (!digits(s, 4, &y) || !digits(s + 5, 2, &m))
            return false;
    } else if (len == 10 && s[4] == '-' && s[7] == '-') {
        if (!digits(s, 4, &y) || !digits(s + 5, 2, &m) || !digits(s + 8, 2, &d))
            return false;
    } else if (len == 10 && s[2] == '/' && s[5] == '/') {
        if (!digits(s, 2, &d) || !digits(s + 3, 2, &m) || !digits(s + 6, 4, &y))
            return false;
    } else {
        return false;
    }
    if (y < FIRST_YEAR || y > LAST_YEAR || m < 1 || m > 12 || d < 1 ||
        d > days_in_month((int)y, m))
        return false;
    *out = days_from_civil((int)y, m, d);
    return true;
}

void csa_format_date(int32_t days, bool month_only, char buf[CSA_DATE_TEXT_MAX])
{
    int y;
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    if (month_only)
        snprintf(buf, CSA_DATE_TEXT_MAX, "%04d-%02u", y, m);
    else
        snprintf(buf, CSA_DATE_TEXT_MAX, "%04d-%02u-%02u", y, m, d);
}

int32_t csa_month_make(int year, int month)
{
    return month_start((long long)year * 12 + month - 1);
}

int32_t csa_month_of(int32_t days) { return month_start(month_number(days)); }

int32_t csa_month_add(int32_t days, int n) { return month_start(month_number(days) + n); }

int csa_month_diff(int32_t a, int32_t b) { return (int)(month_number(a) - month_number(b)); }

void csa_month_split(int32_t days, int *year, int *month)
{
    unsigned m, d;
    civil_from_days(days, year, &m, &d);
    *month = (int)m;
}

int csa_time_minutes(const char *s, size_t len)
{
    while (len && s[len - 1] == ' ')
        len--;
    while (len && *s == ' ')
        s++, len--;
    if (len < 4 || len > 5 || s[len - 3] != ':')
        return -1;
    int v[4] = {0}, nd = 0; /* the digits, hours' then minutes' */
    for (size_t i = 0; i < len; i++) {
        if (i == len - 3)
            continue;
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v[nd++] = s[i] - '0';
    }
    int hours = nd == 4 ? v[0] * 10 + v[1] : v[0];
    int minutes = v[nd - 2] * 10 + v[nd - 1];
    return hours > 23 || minutes > 59 ? -1 : hours * 60 + minutes;
}

int csa_weekday(int32_t days)
{
    /* 1970-01-01 was a Thursday (3, counting from Monday) */
    int d = (int)((days % 7 + 7 + 3) % 7);
    return d;
}

int csa_month_index(int32_t first, int32_t last, int32_t day)
{
    int i = csa_month_diff(day, first);
    return i < 0 || csa_month_diff(day, last) > 0 ? -1 : i;
}

const char *csa_month_name(int month)
{
    int i = (month - 1) % 12;
    return MONTH_NAMES[i < 0 ? i + 12 : i];
}

char *csa_month_label(int32_t days, csa_month_style style, char buf[CSA_MONTH_TEXT_MAX])
{
    int y, m;
    csa_month_split(days, &y, &m);
    if (style == CSA_MONTH_ISO)
        snprintf(buf, CSA_MONTH_TEXT_MAX, "%04d-%02d", y, m);
    else
        snprintf(buf, CSA_MONTH_TEXT_MAX, "%.*s %d", style == CSA_MONTH_SHORT ? 3 : 9,
                 MONTH_NAMES[m - 1], y);
    return buf;
}

char *csa_month_range_label(int32_t first, int32_t last, csa_month_style style,
                            char buf[CSA_PERIOD_TEXT_MAX])
{
    char a[CSA_MONTH_TEXT_MAX], b[CSA_MONTH_TEXT_MAX];
    csa_month_label(first, style, a);
    if (csa_month_diff(last, first) == 0)
        snprintf(buf, CSA_PERIOD_TEXT_MAX, "%s", a);
    else
        snprintf(buf, CSA_PERIOD_TEXT_MAX, "%s to %s", a, csa_month_label(last, style, b));
    return buf;
}

/* ---- periods ---- */

/* "'part' rest", naming the text at fault; err->value holds the period. */
static csa_status bad_period(csa_error *err, const char *period, const char *part, size_t len,
                             const char *rest)
{
    return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, period, "'%.*s' %s", (int)len,
                         part, rest);
}

/* s[0,len) as "YYYY-MM". */
static csa_status read_month(const char *period, const char *s, size_t len, int32_t *out,
                             csa_error *err)
{
    unsigned y, m;
    if (len != 7 || s[4] != '-' || !digits(s, 4, &y) || !digits(s + 5, 2, &m))
        return bad_period(err, period, s, len,
                          "is not a month: write it as YYYY-MM, such as 2018-10");
    if (m < 1 || m > 12)
        return bad_period(err, period, s, len, "is not a month: months run from 01 to 12");
    if (y < FIRST_YEAR || y > LAST_YEAR)
        return bad_period(err, period, s, len, OUTSIDE);
    *out = csa_month_make((int)y, (int)m);
    return CSA_OK;
}

/* How many months "12 months", "4 quarters" or "four quarters" is, or 0
 * when s[0,len) is none of those. */
static unsigned months_in(const char *s, size_t len)
{
    static const struct { const char *unit; unsigned months; } units[] = {
        {" months", 1}, {" quarters", 3}};
    if (len == 13 && !memcmp(s, "four quarters", 13))
        return 12;
    for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
        size_t ulen = strlen(units[u].unit), n = len - ulen;
        unsigned count;
        if (len > ulen && n <= 4 && !memcmp(s + n, units[u].unit, ulen) && digits(s, n, &count))
            return count * units[u].months;
    }
    return 0;
}

csa_status csa_period_parse(const char *s, int32_t *first, int32_t *last, csa_error *err)
{
    const char *to = strstr(s, " to "), *colon = strchr(s, ':');
    const char *sep = to ? to : colon;
    size_t len = strlen(s);
    unsigned fy, next, months;
    csa_status st;
    if (sep) {
        size_t left = (size_t)(sep - s);
        const char *right = sep + (to ? 4 : 1);
        if ((st = read_month(s, right, strlen(right), last, err)))
            return st;
        if (to && (months = months_in(s, left)) > 0)
            *first = csa_month_add(*last, 1 - (int)months);
        else if ((st = read_month(s, s, left, first, err)))
            return st;
    } else if (len == 7 && s[4] == '/' && digits(s, 4, &fy) && digits(s + 5, 2, &next)) {
        if (next != (fy + 1) % 100)
            return bad_period(err, s, s, len, "is not a financial year: the second year follows "
                                              "the first, as in 2018/19");
        if (fy < FIRST_YEAR || fy >= LAST_YEAR)
            return bad_period(err, s, s, len, OUTSIDE);
        *first = csa_month_make((int)fy, 4);
        *last = csa_month_make((int)fy + 1, 3);
    } else if (len == 7 && s[4] == '-') {
        if ((st = read_month(s, s, len, first, err)))
            return st;
        *last = *first;
    } else {
        return bad_period(err, s, s, len, "is not a period: write a financial year (2018/19), "
                                          "a run of months (2018-10 to 2018-12 or "
                                          "2018-10:2018-12), a rolling year (12 months to "
                                          "2018-12 or 4 quarters to 2018-12) or one month "
                                          "(2018-10)");
    }
    if (*last < *first)
        return bad_period(err, s, s, len, "ends before it starts");
    if (*first < csa_month_make(FIRST_YEAR, 1))
        return bad_period(err, s, s, len, "starts before 1900, the first year csa reads");
    return CSA_OK;
}
