/* The display rules of csa/present.h. */
#include "csa/present.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csa/inequality.h"
#include "csa/stats.h"

int csa_headline_decimals(double v)
{
    double m = fabs(v);
    if (!isfinite(m) || m >= 10 || m == 0)
        return 1;
    return m >= 1 ? 2 : 3;
}

char *csa_format_figure(double v, int decimals, char *buf, size_t size)
{
    if (!isfinite(v))
        snprintf(buf, size, "No figure");
    else
        csa_format_number(v, decimals, buf, size);
    return buf;
}

int csa_score_decimals(double v)
{
    char s[512]; /* room for any double in fixed notation */
    if (!isfinite(v))
        return 0;
    /* the places of v as printed to two, so that 2.999 (3.00) has none */
    snprintf(s, sizeof s, "%.2f", v);
    size_t n = strlen(s);
    return s[n - 1] != '0' ? 2 : s[n - 2] != '0' ? 1 : 0;
}

char *csa_format_score(double v, char *buf, size_t size)
{
    if (isnan(v))
        snprintf(buf, size, "\u2013");
    else
        csa_format_number(v, csa_score_decimals(v), buf, size);
    return buf;
}

const char *const *csa_decile_labels(void)
{
    static const char *const labels[CSA_IMD_DECILES] = {
        "1 (most deprived)", "2", "3", "4", "5", "6", "7", "8", "9", "10 (least deprived)"};
    return labels;
}

const char *csa_excel_number_format(int decimals, char buf[CSA_EXCEL_FORMAT_MAX])
{
    strcpy(buf, "#,##0");
    if (decimals > 0)
        strcat(buf, ".");
    for (int i = 0; i < decimals && i < 10; i++)
        strcat(buf, "0");
    return buf;
}
