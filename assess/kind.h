/* Indicator kinds, private to assess/: one file per kind (kind_police.c,
 * kind_fingertips.c, kind_survey.c), one row each in kinds.c. */
#ifndef CSA_ASSESS_KIND_H
#define CSA_ASSESS_KIND_H

#include "csa/assess.h"

struct csa_kind {
    const char *name;     /* "police crime" */
    const char *spec;     /* the spec of the inputs it reads: "police-street" */
    const char *theme;    /* the workbook sheet by default: "Crime" */
    double multiplier;    /* per how many by default (1000); 0 when not a rate */
    bool candidate;       /* a candidate priority unless the config says not */
    const char *computes; /* what its figure is, for `csa help run` */
};

extern const csa_kind csa_kind_police, csa_kind_fingertips, csa_kind_survey;

/* The i-th kind of the table, or NULL past the last. */
const csa_kind *csa_kind_at(size_t i);

#endif
