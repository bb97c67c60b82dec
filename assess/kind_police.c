/* The police crime indicator kind. */
#include "kind.h"

const csa_kind csa_kind_police = {
    .name = "police crime",
    .spec = "police-street",
    .theme = "Crime",
    .multiplier = 1000,
    .candidate = true,
    .computes = "count of crimes in the area and period per `multiplier` residents (the "
                "population input)",
};
