/* Indicator kinds, private to assess/: one file per kind (kind_police.c,
 * kind_fingertips.c, kind_survey.c, kind_partner.c), one row each in kinds.c. */
#ifndef CSA_ASSESS_KIND_H
#define CSA_ASSESS_KIND_H

#include "csa/assess.h"

struct csa_kind {
    const char *name;     /* "police crime" */
    const char *spec;     /* the spec of the inputs it reads: "police-street" */
    const char *theme;    /* the workbook sheet by default: "Crime" */
    double multiplier;    /* per how many by default (1000); 0 when not a rate */
    bool candidate;       /* a candidate priority unless the config says not */
    bool monthly;         /* its inputs are monthly files: validated for the
                             period's months across files, rows accounted by month */
    const char *unit;     /* the unit shown, or NULL: per `multiplier` residents */
    const char *method;   /* for the summary and the pack */
    const char *source;   /* NULL: the input's file name */
    /* Reads input i into r->in[i].table. */
    csa_status (*read)(csa_assess *r, size_t i);
    /* Computes indicator i into r->reports[i] and r->extra[i]. */
    csa_status (*compute)(csa_assess *r, size_t i);
    const char *computes; /* what its figure is, for `csa help run` */
    /* A monthly kind whose rows are not one event each (counts by area):
     * where its rows went and the months it covers, instead of
     * as_account_months; NULL for as_account_months. */
    void (*account)(csa_assess *r, size_t i);
    bool sparse; /* rare events: an LSOA with no row is no gap in the files' coverage */
};

extern const csa_kind csa_kind_police, csa_kind_fingertips, csa_kind_survey;
extern const csa_kind csa_kind_partner_counts, csa_kind_partner_incidents;

/* The i-th kind of the table, or NULL past the last. */
const csa_kind *csa_kind_at(size_t i);

#endif
