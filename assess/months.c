/* The months of the assessment period. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

void as_month_name(int32_t days, char *buf, size_t size)
{
    static const char *const names[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    char iso[CSA_DATE_TEXT_MAX];
    int y = 0, m = 1;
    csa_format_date(days, true, iso);
    sscanf(iso, "%d-%d", &y, &m);
    snprintf(buf, size, "%s %d", names[(m - 1) % 12], y);
}

csa_status as_plan_months(csa_assess *r)
{
    char iso[CSA_DATE_TEXT_MAX];
    int y, m;
    csa_format_date(r->cfg->period_first, true, iso);
    sscanf(iso, "%d-%d", &y, &m);
    for (int32_t d = r->cfg->period_first; d <= r->cfg->period_last;) {
        if (r->nmonths == AS_MAX_MONTHS)
            return csa_error_set(&r->err, CSA_ERR_USAGE, r->cfg->path, 0, 0, "period", NULL,
                                 "the period is longer than %d months", AS_MAX_MONTHS);
        char label[32];
        snprintf(label, sizeof label, "%04d-%02d", y, m);
        r->month_start[r->nmonths] = d;
        r->month_label[r->nmonths++] = as_fmt(r, "%s", label);
        if (++m > 12)
            m = 1, y++;
        snprintf(label, sizeof label, "%04d-%02d", y, m);
        csa_parse_date(label, 7, &d);
    }
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

/* Index of the month starting on day d, or SIZE_MAX outside the period. */
size_t as_month_index(const csa_assess *r, int32_t d)
{
    size_t lo = 0, hi = r->nmonths;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (r->month_start[mid] < d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->nmonths && r->month_start[lo] == d ? lo : SIZE_MAX;
}

/* "Jan 2018 to Sep 2018, Nov 2018": runs of months with no rows. */
const char *as_missing_months(csa_assess *r, const bool *present)
{
    char buf[1024] = "";
    size_t n = 0;
    for (size_t i = 0; i < r->nmonths && n < sizeof buf - 64; i++) {
        if (present[i])
            continue;
        size_t j = i;
        while (j + 1 < r->nmonths && !present[j + 1])
            j++;
        char a[16], b[16];
        as_month_name(r->month_start[i], a, sizeof a);
        as_month_name(r->month_start[j], b, sizeof b);
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s%s%s", n ? ", " : "", a,
                              j > i ? " to " : "", j > i ? b : "");
        i = j;
    }
    return as_fmt(r, "%s", n ? buf : "none");
}
