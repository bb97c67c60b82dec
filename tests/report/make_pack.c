/* Writes the fixture's PDF pack and every chart of the fixture as PNG and
 * SVG into the folder given, for the report tests to read back. */
#include <stdio.h>

#include "csa/assessment.h"
#include "fixture.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_pack DIR\n");
        return 2;
    }
    const csa_assessment *a = fixture_assessment();
    if (!a)
        return 1;
    char path[4096];
    csa_error err = {0};
    snprintf(path, sizeof path, "%s/assessment-pack.pdf", argv[1]);
    csa_status st = csa_write_assessment_pdf(a, path, &err);
    size_t n;
    const csa_chart *charts = fixture_charts(&n);
    for (size_t i = 0; st == CSA_OK && i < n; i++) {
        snprintf(path, sizeof path, "%s/chart-%zu.png", argv[1], i);
        st = csa_chart_png(&charts[i], 1200, 750, path, &err);
        if (st == CSA_OK) {
            snprintf(path, sizeof path, "%s/chart-%zu.svg", argv[1], i);
            st = csa_chart_svg(&charts[i], 600, 375, path, &err);
        }
    }
    fixture_free();
    if (st != CSA_OK) {
        fprintf(stderr, "make_pack: %s\n", err.message);
        return 1;
    }
    return 0;
}
