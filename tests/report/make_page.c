/* Writes the fixture's web page (assessment.html) into the folder given,
 * for the browser test to open. */
#include <stdio.h>

#include "csa/assessment.h"
#include "fixture.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_page DIR\n");
        return 2;
    }
    const csa_assessment *a = fixture_assessment();
    if (!a)
        return 1;
    char path[4096];
    csa_error err = {0};
    snprintf(path, sizeof path, "%s/assessment.html", argv[1]);
    csa_status st = csa_write_assessment_html(a, path, &err);
    fixture_free();
    if (st != CSA_OK) {
        fprintf(stderr, "make_page: %s\n", err.message);
        return 1;
    }
    return 0;
}
