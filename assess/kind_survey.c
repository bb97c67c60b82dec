/* The survey indicator kind. */
#include "kind.h"

const csa_kind csa_kind_survey = {
    .name = "survey",
    .spec = "survey",
    .theme = "Survey",
    .multiplier = 100,
    .candidate = false,
    .computes = "weighted share of respondents answering one of `answers` to `question`",
};
