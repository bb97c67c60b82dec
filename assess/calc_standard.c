/* csa calc dsr and isr: standardised rates and ratios, one per --by group
 * from its rows of age bands. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calc_methods.h"

/* A new output table: the --by columns, the named value columns, the
 * value's limits and a note. */
static csa_status standard_output(const csa_calc_args *a, const char *const *names, size_t n,
                                  csa_table **out)
{
    csa_table *t = *out = csa_table_create();
    csa_status st = t ? calc_add_columns(t, a, names, n, CSA_DOUBLE) : CSA_ERR_NOMEM;
    if (!st)
        st = calc_add_ci_columns(t, NULL, &a->levels);
    if (!st)
        st = csa_table_add_column(t, "Note", CSA_STRING);
    return st;
}

/* One group's row: its --by values, the leading numbers, the estimate and the note. */
static csa_status put_standard(const csa_calc_args *a, const csa_table *in, size_t first,
                               const double *lead, size_t nlead, const csa_estimate *e,
                               const char *note, csa_table *t)
{
    csa_value row[CSA_CALC_MAX_BY + 4 + 2 * CSA_MAX_LEVELS];
    size_t k = calc_put_group(a, in, first, row);
    for (size_t i = 0; i < nlead; i++)
        row[k++] = calc_double(lead[i]);
    k = calc_put_estimate(row, k, e, a->levels.n);
    row[k] = calc_string(note);
    return csa_table_append_row(t, row, NULL); /* calc_hand_over words a failure */
}

/* csa calc dsr: one directly standardised rate per group from its rows of
 * age bands ("F0 to 15" and "M0 to 15" are added up as one band). */
csa_status calc_dsr(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                    csa_error *err)
{
    enum { MAX_BANDS = 64 };
    const csa_table *t = in->table;
    size_t n = csa_table_nrows(t), ngroups = 0;
    size_t cc = csa_table_find(t, a->count), dc = csa_table_find(t, a->denominator),
           bc = csa_table_find(t, a->band);
    size_t sc = a->standard ? csa_table_find(t, a->standard) : CSA_NO_ROW;
    size_t fc = a->event_frequency ? csa_table_find(t, a->event_frequency) : CSA_NO_ROW;
    if (a->nonindependent != (fc != CSA_NO_ROW))
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "calc dsr --independent-events no needs --event-frequency COL "
                             "(how many events each row's people had), and --event-frequency "
                             "needs --independent-events no");
    uint32_t *group = NULL;
    char per[32], value_name[64];
    csa_format_number(a->per, 0, per, sizeof per);
    snprintf(value_name, sizeof value_name, "DSR per %s", per);
    /* with frequencies --count is people; the total is of events */
    const char *names[] = {fc == CSA_NO_ROW ? a->count : "Events", value_name};
    csa_table *res = NULL;
    csa_status st = calc_group_rows(a, in, &group, &ngroups, err);
    if (!st && csa_table_column_type(t, bc) != CSA_STRING)
        st = csa_error_set(err, CSA_ERR_USAGE, in->name, 1, 0, a->band, NULL,
                           "no text column \"%s\" of age bands", a->band);
    if (!st)
        st = standard_output(a, names, 2, &res);
    for (size_t g = 0; g < ngroups && !st; g++) {
        csa_age_band bands[MAX_BANDS];
        double counts[MAX_BANDS], pops[MAX_BANDS], weights[MAX_BANDS], given[MAX_BANDS],
            squares[MAX_BANDS];
        /* with frequencies a band's rows (F and M apart) each have one population */
        uint32_t seen[2 * MAX_BANDS];
        double seen_pop[2 * MAX_BANDS];
        size_t nb = 0, nseen = 0, first = SIZE_MAX;
        bool count_missing = false;
        for (size_t r = 0; r < n && !st; r++) {
            if (group[r] != g)
                continue;
            first = first == SIZE_MAX ? r : first;
            size_t len;
            const char *text = calc_text(t, bc, r, &len);
            /* a sex prefix, as in "F0 to 15", belongs to the caller's split */
            const char *age = (text[0] == 'F' || text[0] == 'M') && text[1] >= '0' && text[1] <= '9'
                                  ? text + 1 : text;
            csa_age_band band;
            csa_error why;
            if (csa_age_band_parse(age, &band, &why)) {
                st = csa_error_set(err, CSA_ERR_VALUE, in->name, in->lines[r], bc + 1, a->band,
                                   text, "%s \"%s\" is not an age band (0-4, 0 to 15, 90+, 65 "
                                   "and over)", a->band, text);
                break;
            }
            size_t i = 0;
            while (i < nb && (bands[i].lo != band.lo || bands[i].hi != band.hi))
                i++;
            if (i == nb) {
                if (nb == MAX_BANDS) {
                    st = csa_error_set(err, CSA_ERR_LIMIT, in->name, in->lines[r], bc + 1,
                                       a->band, text, "more than %d age bands in a group",
                                       MAX_BANDS);
                    break;
                }
                bands[nb] = band;
                counts[nb] = pops[nb] = squares[nb] = 0;
                given[nb] = sc == CSA_NO_ROW ? 0 : calc_number(t, sc, r);
                nb++;
            }
            /* a band split by sex has one standard population, not two */
            double w = sc == CSA_NO_ROW ? 0 : calc_number(t, sc, r);
            if (sc != CSA_NO_ROW && isnan(w)) {
                st = csa_error_set(err, CSA_ERR_VALUE, in->name, in->lines[r], sc + 1, a->standard,
                                   NULL, "%s is blank: every band needs its standard population",
                                   a->standard);
                break;
            }
            if (sc != CSA_NO_ROW && w != given[i]) {
                st = csa_error_set(err, CSA_ERR_VALUE, in->name, in->lines[r], sc + 1, a->standard,
                                   NULL, "%s of band \"%s\" is %g where an earlier row of "
                                   "the band has %g: give each band one standard population",
                                   a->standard, text, w, given[i]);
                break;
            }
            double c = calc_number(t, cc, r), f = 1, pop = calc_number(t, dc, r);
            if (fc != CSA_NO_ROW && isnan(f = calc_number(t, fc, r))) {
                st = csa_error_set(err, CSA_ERR_VALUE, in->name, in->lines[r], fc + 1,
                                   a->event_frequency, NULL, "%s is blank: every row needs "
                                   "its event frequency", a->event_frequency);
                break;
            }
            count_missing |= isnan(c);
            counts[i] += isnan(c) ? 0 : c * f;
            squares[i] += isnan(c) ? 0 : c * f * f;
            if (fc != CSA_NO_ROW) {
                uint32_t code = csa_table_codes(t, bc)[r];
                size_t k = 0;
                while (k < nseen && seen[k] != code)
                    k++;
                if (k < nseen && !(pop == seen_pop[k] || (isnan(pop) && isnan(seen_pop[k])))) {
                    st = csa_error_set(err, CSA_ERR_VALUE, in->name, in->lines[r], dc + 1,
                                       a->denominator, NULL, "%s of band \"%s\" is %g where "
                                       "an earlier row of the band has %g: each frequency's "
                                       "row repeats the band's one population",
                                       a->denominator, text, pop, seen_pop[k]);
                    break;
                }
                if (k < nseen)
                    continue;
                if (nseen == 2 * MAX_BANDS) {
                    st = csa_error_set(err, CSA_ERR_LIMIT, in->name, in->lines[r], bc + 1,
                                       a->band, text, "more than %d age bands in a group",
                                       2 * MAX_BANDS);
                    break;
                }
                seen[nseen] = code;
                seen_pop[nseen++] = pop;
            }
            pops[i] += pop;
        }
        if (st || !nb)
            continue;
        csa_estimate e;
        double total;
        csa_error why;
        csa_age_band gap;
        char label[CSA_CALC_MAX_BY * 40 + 8];
        if (csa_age_bands_gap(bands, nb, &gap)) {
            calc_group_label(a, t, first, label, sizeof label);
            st = csa_error_set(err, CSA_ERR_VALUE, in->name, 0, 0, a->band, NULL,
                               "%sno row for ages %d to %d: a DSR without a band loses its "
                               "share of the standard population; give the band its row, with "
                               "a count of 0 if it had no events", label, gap.lo, gap.hi);
            break;
        }
        if (sc != CSA_NO_ROW)
            memcpy(weights, given, nb * sizeof *weights);
        if ((sc == CSA_NO_ROW && csa_esp2013_aggregate(bands, nb, weights, &why)) ||
            csa_dsr_nonindependent(counts, fc == CSA_NO_ROW ? NULL : squares, pops, weights, nb,
                                   a->per, &a->levels, &e, &total, &why)) {
            calc_group_label(a, t, first, label, sizeof label);
            st = csa_error_set(err, CSA_ERR_VALUE, in->name, 0, 0, NULL, NULL, "%s%s", label,
                               why.message);
            break;
        }
        /* a suppressed band's events are unknown, not none: calculate_dsr
         * would sum around them (na.rm), which reads low */
        if (count_missing) {
            e.value = total = NAN;
            for (size_t l = 0; l < a->levels.n; l++)
                e.lower[l] = e.upper[l] = NAN;
        }
        const char *note = count_missing ? "a band's count is suppressed or blank: no result"
                           : e.flags & CSA_RATE_NO_DENOMINATOR ? "a band has no population: no result"
                           : e.flags & CSA_DSR_SUPPRESSED ? "fewer than 10 events: suppressed"
                                                          : NULL;
        st = put_standard(a, t, first, &total, 1, &e, note, res);
    }
    free(group);
    return calc_hand_over(res, st, out, err);
}

/* csa calc isr: one indirectly standardised ratio per group, observed over
 * expected events summed over its rows. */
csa_status calc_isr(const csa_calc_args *a, const csa_calc_input *in, csa_table **out,
                    csa_error *err)
{
    const csa_table *t = in->table;
    size_t n = csa_table_nrows(t), ngroups = 0;
    bool by_rates = a->denominator || a->ref_count || a->ref_population;
    if (a->expected && by_rates)
        return csa_error_set(err, CSA_ERR_USAGE, NULL, 0, 0, NULL, NULL,
                             "calc isr takes --expected, or --denominator, --ref-count and "
                             "--ref-population, not both");
    size_t cc = csa_table_find(t, a->count);
    size_t ec = a->expected ? csa_table_find(t, a->expected) : CSA_NO_ROW;
    size_t pc = by_rates ? csa_table_find(t, a->denominator) : CSA_NO_ROW;
    size_t xc = by_rates ? csa_table_find(t, a->ref_count) : CSA_NO_ROW;
    size_t nc = by_rates ? csa_table_find(t, a->ref_population) : CSA_NO_ROW;
    uint32_t *group = NULL;
    size_t *first = NULL;
    double *observed = NULL, *expected = NULL;
    unsigned *flags = NULL;
    csa_table *res = NULL;
    char per[32], value_name[64];
    csa_format_number(a->per, 0, per, sizeof per);
    snprintf(value_name, sizeof value_name, a->per == 1 ? "ISR" : "ISR x %s", per);
    const char *names[] = {"Observed", "Expected", value_name};
    csa_status st = calc_group_rows(a, in, &group, &ngroups, err);
    if (!st) {
        size_t m = ngroups ? ngroups : 1;
        first = malloc(m * sizeof *first);
        observed = calloc(m, sizeof *observed);
        expected = calloc(m, sizeof *expected);
        flags = calloc(m, sizeof *flags);
        if (!first || !observed || !expected || !flags)
            st = calc_nomem(err);
    }
    enum { COUNT_AS_ZERO = 1, MISSING = 2 };
    for (size_t r = n; !st && r-- > 0;)
        first[group[r]] = r;
    for (size_t r = 0; r < n && !st; r++) {
        size_t g = group[r];
        double o = calc_number(t, cc, r), e = NAN;
        if (a->expected) {
            e = calc_number(t, ec, r);
            flags[g] |= isnan(o) || isnan(e) ? MISSING : 0;
        } else {
            /* as calculate_ISRatio: a band's missing count is 0, and its
             * expected events are 0 without a population or reference count */
            double pop = calc_number(t, pc, r), rc = calc_number(t, xc, r),
                   rp = calc_number(t, nc, r);
            csa_error why;
            if ((st = csa_expected_events(&pop, &rc, &rp, 1, &e, &why))) {
                /* the row is the band: its line says which, not "age band 1" */
                const char *msg = why.message;
                msg += strncmp(msg, "age band 1: ", 12) ? 0 : 12;
                st = csa_error_set(err, st, in->name, in->lines[r], 0, NULL, NULL, "%s", msg);
                break;
            }
            flags[g] |= isnan(o) ? COUNT_AS_ZERO : 0;
            o = isnan(o) ? 0 : o;
        }
        observed[g] += o;
        expected[g] += e;
    }
    if (!st)
        st = standard_output(a, names, 3, &res);
    for (size_t g = 0; g < ngroups && !st; g++) {
        csa_estimate e;
        csa_error why;
        const char *note = NULL;
        double lead[2] = {observed[g], expected[g]};
        if (flags[g] & MISSING) {
            e.value = NAN;
            for (size_t l = 0; l < a->levels.n; l++)
                e.lower[l] = e.upper[l] = NAN;
            note = "suppressed or missing input: no result";
        } else if ((st = csa_isr(observed[g], expected[g], a->per, &a->levels, &e, &why))) {
            char label[CSA_CALC_MAX_BY * 40 + 8];
            calc_group_label(a, t, first[g], label, sizeof label);
            st = csa_error_set(err, st, in->name, 0, 0, NULL, NULL, "%s%s", label, why.message);
            break;
        } else {
            note = e.flags & CSA_RATE_NO_DENOMINATOR ? "no expected events: no ratio"
                   : flags[g] & COUNT_AS_ZERO     ? "a band's blank count was taken as 0"
                                                  : NULL;
        }
        st = put_standard(a, t, first[g], lead, 2, &e, note, res);
    }
    free(group);
    free(first);
    free(observed);
    free(expected);
    free(flags);
    return calc_hand_over(res, st, out, err);
}
