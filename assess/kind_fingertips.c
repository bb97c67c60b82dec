/* The Fingertips indicator kind. */
#include "kind.h"

const csa_kind csa_kind_fingertips = {
    .name = "Fingertips",
    .spec = "fingertips",
    .theme = "Health",
    .multiplier = 0,
    .candidate = true,
    .computes = "the area's published values for `indicator_id`",
};
