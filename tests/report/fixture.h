/* A fixed assessment for the report tests: three indicators on three
 * themes, a priority matrix, two inputs (one excluded), findings, with
 * edge cases in the tables (a missing value, a zero, a long name). The
 * figures are fixed numbers, not computed: report must lay out exactly
 * what it is given. */
#ifndef CSA_TEST_FIXTURE_H
#define CSA_TEST_FIXTURE_H

#include "csa/assessment.h"

/* Builds the fixture; the returned model and everything it points to stay
 * valid until fixture_free. NULL (with a message on stderr) on failure. */
const csa_assessment *fixture_assessment(void);
/* Every chart of the fixture, one of each kind (the funnel plot is on no
 * indicator's page). */
const csa_chart *fixture_charts(size_t *n);
void fixture_free(void);

#endif
