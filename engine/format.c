#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csa/stats.h"

char *csa_format_number(double v, int decimals, char *buf, size_t size)
{
    char plain[64];
    if (!isfinite(v)) {
        snprintf(buf, size, "%s", "");
        return buf;
    }
    snprintf(plain, sizeof plain, "%.*f", decimals < 0 ? 0 : decimals, v);
    const char *digits = plain + (plain[0] == '-');
    size_t nint = strcspn(digits, ".");
    size_t o = 0;
    if (plain[0] == '-' && o + 1 < size)
        buf[o++] = '-';
    for (size_t i = 0; digits[i] && o + 1 < size; i++) {
        if (i && i < nint && (nint - i) % 3 == 0) {
            buf[o++] = ',';
            if (o + 1 >= size)
                break;
        }
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
    return buf;
}
