/* Writes the fixture's workbook to the path given, for the report tests
 * to read back. */
#include <stdio.h>

#include "csa/assessment.h"
#include "fixture.h"

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_workbook FILE.xlsx\n");
        return 2;
    }
    const csa_assessment *a = fixture_assessment();
    if (!a)
        return 1;
    csa_error err = {0};
    csa_status st = csa_write_assessment_xlsx(a, argv[1], &err);
    fixture_free();
    if (st != CSA_OK) {
        fprintf(stderr, "make_workbook: %s\n", err.message);
        return 1;
    }
    return 0;
}
