/* Value parsers shared by ingest and validation: each reads the whole of
 * its input or refuses it. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csa/ingest.h"

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static void trim(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

/* Copies the digits of s[0,len) into out without thousands separators.
 * Separators are accepted only between groups of three digits, before any
 * decimal point: "29,199" and "1,234.5" but not "1,2" or "12,34". */
static bool strip_thousands(const char *s, size_t len, char *out, size_t cap)
{
    size_t i = 0, n = 0;
    if (len + 1 > cap)
        return false;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        out[n++] = s[i++];
    size_t group = 0;      /* digits since the last separator */
    bool grouped = false;  /* a separator has been seen */
    for (; i < len && (is_digit(s[i]) || s[i] == ','); i++) {
        if (s[i] == ',') {
            if (group == 0 || (grouped && group != 3) || (!grouped && group > 3))
                return false;
            grouped = true;
            group = 0;
            continue;
        }
        out[n++] = s[i];
        group++;
    }
    if (grouped && group != 3)
        return false;
    memcpy(out + n, s + i, len - i);
    out[n + len - i] = '\0';
    return true;
}

bool csa_parse_int64(const char *s, size_t len, int64_t *out)
{
    char buf[40];
    trim(&s, &len);
    if (!len || !strip_thousands(s, len, buf, sizeof buf))
        return false;
    const char *p = buf;
    bool neg = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    if (!is_digit(*p))
        return false;
    uint64_t v = 0;
    for (; is_digit(*p); p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    if (*p || v > (uint64_t)INT64_MAX + neg)
        return false;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return true;
}

/* Plain decimals ("-0.761078", "52.1") of up to 15 significant digits and
 * 22 places: the integer mantissa and 10^k are exact doubles, so one IEEE
 * division gives the correctly rounded value, the same as strtod's. */
static bool fast_decimal(const char *s, size_t len, double *out)
{
    static const double pow10[23] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
                                     1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
                                     1e20, 1e21, 1e22};
    size_t i = 0;
    bool neg = false;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    uint64_t mant = 0;
    int digits = 0, places = -1;
    for (; i < len; i++) {
        if (s[i] == '.' && places < 0) {
            places = 0;
            continue;
        }
        if (!is_digit(s[i]) || ++digits > 15)
            return false;
        mant = mant * 10 + (uint64_t)(s[i] - '0');
        places += places >= 0;
    }
    if (!digits || places > 22)
        return false;
    double v = (double)mant / pow10[places > 0 ? places : 0];
    *out = neg ? -v : v;
    return true;
}

bool csa_parse_double(const char *s, size_t len, double *out)
{
    char buf[64];
    trim(&s, &len);
    if (fast_decimal(s, len, out))
        return true;
    if (!len || !strip_thousands(s, len, buf, sizeof buf))
        return false;
    /* strtod would also take hex, "inf" and "nan": partners never mean those */
    for (const char *p = buf; *p; p++)
        if (!is_digit(*p) && !strchr("+-.eE", *p))
            return false;
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (end == buf || *end || errno == ERANGE || !isfinite(v))
        return false;
    *out = v;
    return true;
}
