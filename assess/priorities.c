/* Priority criteria and scoring. */
#include <string.h>

#include "csa/assess.h"

static const char *const CRITERIA[CSA_NCRITERIA] = {"volume", "trend", "harm", "deprivation",
                                                    "concern"};

const char *csa_criterion_name(csa_criterion c)
{
    return CRITERIA[c];
}

csa_criterion csa_criterion_find(const char *name)
{
    size_t k = 0;
    while (k < CSA_NCRITERIA && strcmp(CRITERIA[k], name))
        k++;
    return (csa_criterion)k;
}
