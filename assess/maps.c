/* Maps of a police crime indicator: its rates by LSOA in quantile classes,
 * the hotspots of its crimes' map points (quartic kernel density), and
 * once the area's IMD deciles. The shapes are the boundaries input's
 * (inputs.c reads them against the area); the points are kept as the
 * police rows are counted (as_keep_point) and placed once. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csa/thread.h"
#include "internal.h"

enum { RATE_CLASSES = 5, DENSITY_CLASSES = 5 };

/* The boundaries input's source for a map's source line: as the config
 * gives it, or the file's name (the shapes may be anyone's). */
static const char *boundary_source(csa_assess *r)
{
    const csa_config_input *b = &r->cfg->inputs[r->cfg->boundaries];
    const char *file = b->files.n ? b->files.v[0] : b->name, *slash = strrchr(file, '/');
    return as_fmt(r, "LSOA boundaries: %s", b->source ? b->source : slash ? slash + 1 : file);
}

/* A map of the boundaries, with the attribution their licence asks for. */
static csa_chart map_init(csa_assess *r, csa_chart_kind kind)
{
    csa_chart c = csa_chart_init(kind);
    c.attribution = r->cfg->inputs[r->cfg->boundaries].attribution;
    return c;
}

/* The higher areas' outlines: the union of their LSOAs grown by this many
 * metres and shrunk back, closing slivers where LSOA edges do not meet. */
static const double HIGHER_CLOSE = 0.5;

as_point_cols as_point_columns(const csa_table *t, const csa_spec *spec)
{
    return (as_point_cols){as_role(t, spec, CSA_ROLE_LONGITUDE),
                           as_role(t, spec, CSA_ROLE_LATITUDE), as_role(t, spec, CSA_ROLE_EASTING),
                           as_role(t, spec, CSA_ROLE_NORTHING)};
}

static bool has_pair(const csa_table *t, size_t a, size_t b, size_t row)
{
    return a != CSA_NO_ROW && b != CSA_NO_ROW && csa_table_valid(t, a, row) &&
           csa_table_valid(t, b, row);
}

int as_row_point(const csa_table *t, const as_point_cols *c, size_t row, double *x, double *y)
{
    if (has_pair(t, c->lon, c->lat, row)) {
        *x = csa_table_doubles(t, c->lon)[row], *y = csa_table_doubles(t, c->lat)[row];
        return 1;
    }
    if (has_pair(t, c->east, c->north, row)) {
        *x = csa_table_doubles(t, c->east)[row], *y = csa_table_doubles(t, c->north)[row];
        return 2;
    }
    return 0;
}

void as_keep_point(csa_assess *r, size_t i, size_t row, uint32_t type, size_t lsoa)
{
    as_input *s = &r->in[i];
    if (lsoa == SIZE_MAX || r->nomem)
        return;
    as_points *p = s->points;
    if (!p) {
        const csa_spec *spec = r->cfg->inputs[i].spec;
        if (!(p = s->points = as_calloc(r, 1, sizeof *p)))
            return;
        p->cols = as_point_columns(s->table, spec);
    }
    if ((p->cols.lon == CSA_NO_ROW || p->cols.lat == CSA_NO_ROW) &&
        (p->cols.east == CSA_NO_ROW || p->cols.north == CSA_NO_ROW))
        return;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 4096;
        double *x = realloc(p->x, cap * sizeof *x);
        if (x)
            p->x = x;
        double *y = x ? realloc(p->y, cap * sizeof *y) : NULL;
        if (y)
            p->y = y;
        uint32_t *t = y ? realloc(p->type, cap * sizeof *t) : NULL;
        if (t)
            p->type = t;
        bool *g = t ? realloc(p->grid, cap * sizeof *g) : NULL;
        if (g)
            p->grid = g;
        uint32_t *l = g ? realloc(p->lsoa, cap * sizeof *l) : NULL;
        if (!l) {
            r->nomem = true;
            return;
        }
        p->lsoa = l, p->cap = cap;
    }
    /* a row without coordinates stays, NaN: the map says how many */
    int kind = as_row_point(s->table, &p->cols, row, &p->x[p->n], &p->y[p->n]);
    if (!kind)
        p->x[p->n] = p->y[p->n] = NAN;
    p->no_point += !kind;
    p->grid[p->n] = kind == 2;
    p->lsoa[p->n] = (uint32_t)lsoa;
    p->type[p->n++] = type;
}

static const char *number(csa_assess *r, double v, int places);

/* Of a police input's crimes with a map point, at least this share must
 * fall inside the shape of the LSOA police.uk gives them (the LSOA their
 * map point is in): 97.1%, 97.9% and 96.9% do in October to December 2018
 * in Milton Keynes (the samples' months, the same as /work/shared's Thames
 * Valley files); boundaries in another place than the crimes (another
 * coordinate system than the file says, or another area's shapes under
 * the area's codes) put few or none there. Judged from this many points. */
static const double OWN_LSOA_SHARE = 0.5, OWN_LSOA_CAVEAT = 0.9;
enum { OWN_LSOA_MIN_POINTS = 20 };
/* LSOAs tile the area: a crime's map point inside two shapes is on an edge
 * they share, or in shapes that overlap. The shape that shares most such
 * points with others, when it holds OVERLAP_ONE of them all, at least
 * OVERLAP_MIN_POINTS, and OVERLAP_SHARE of its own crimes' count, overlaps
 * them and would draw a wrong map; so would more than OVERLAP_ALL of the
 * points in two shapes anywhere. On the samples' real months no point is
 * in two shapes; one LSOA scaled three times over its neighbours: 166
 * points, all in it, against its own 50; files simplified shape by shape
 * (100 m: 1.4% of the points, the most in one shape 31% of them) or grown
 * by 1 to 5 m (2.6 to 7.4%, 14% at most in one), whose slivers draw well
 * enough, pass; grown by 10 m (10.5%) does not. */
static const double OVERLAP_SHARE = 0.25, OVERLAP_ONE = 0.4, OVERLAP_ALL = 0.1;
enum { OVERLAP_MIN_POINTS = 10 };

/* An LSOA whose crimes are mostly in one other shape and few in its own
 * has strayed (on the samples' real months the lowest share in its own
 * shape, of an LSOA with OWN_LSOA_MIN_POINTS or more, is 30%; all
 * together 97%). */
static const double SWAPPED_OWN_SHARE = 0.25, SWAPPED_OTHER_SHARE = 0.5;
/* of each LSOA, and OWN_LSOA_MIN_POINTS of those in a cycle; the longest
 * cycle looked for */
enum { SWAPPED_MIN_POINTS = 3, SWAPPED_MAX_CYCLE = 8 };

/* No maps this run (all: the shapes are wrong in themselves), or no
 * hotspot maps (the crimes' points and the shapes' places do not agree:
 * either may be wrong, but the rates by shape are right), for `why`: a
 * warning naming the boundary file, and a note on every indicator that
 * would have mapped (as_count_maps). The run goes on: no figure depends
 * on the maps, only on the shapes where a partner's rows are placed by
 * their coordinates, and those stop it (kind_partner.c, locate_rows). */
static csa_status maps_off(csa_assess *r, const char *file, const char *why, bool all)
{
    const char **off = all ? &r->maps_off : &r->hotspots_off;
    *off = as_fmt(r, "%s; %s", why, all ? "no maps are drawn" : "no hotspot maps are drawn");
    as_message(r, "warning: %s: %s", file, *off);
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

/* Checks the input's crimes' map points against the shapes they fall in
 * (at, also: csa_points_locate's): no shape over others, no LSOAs whose
 * crimes go round a cycle of each other's shapes or mostly sit in one
 * other's, most in their own LSOA's shape; when not, no maps or no
 * hotspot maps (maps_off) or a caveat, naming the counts. */
static csa_status check_own_lsoa(csa_assess *r, size_t input, const as_points *p,
                                 const size_t *at, const size_t *also)
{
    size_t nl = r->nlsoas, with_point = 0, own = 0, twice = 0;
    /* per LSOA: its crimes with a point, in its own shape, and the shape
     * most of the others fall in (Boyer-Moore's majority vote, then
     * counted) */
    size_t *tot = as_calloc(r, nl + 1, sizeof *tot), *in_own = as_calloc(r, nl + 1, sizeof *in_own);
    size_t *cand = as_calloc(r, nl + 1, sizeof *cand), *votes = as_calloc(r, nl + 1, sizeof *votes);
    size_t *in_cand = as_calloc(r, nl + 1, sizeof *in_cand);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t k = 0; k < p->n; k++) {
        if (isnan(p->x[k]))
            continue;
        size_t l = p->lsoa[k];
        with_point++;
        own += at[k] == l;
        twice += also[k] != SIZE_MAX;
        if (l >= nl)
            continue;
        tot[l]++, in_own[l] += at[k] == l;
        if (at[k] == l || at[k] == SIZE_MAX)
            continue;
        if (!votes[l])
            cand[l] = at[k], votes[l] = 1;
        else
            votes[l] += cand[l] == at[k] ? 1 : (size_t)-1;
    }
    for (size_t k = 0; k < p->n; k++)
        if (!isnan(p->x[k]) && p->lsoa[k] < nl && votes[p->lsoa[k]] && at[k] == cand[p->lsoa[k]])
            in_cand[p->lsoa[k]]++;
    const csa_config *c = r->cfg;
    const csa_shapes *sh = r->shapes;
    const char *file = c->inputs[c->boundaries].files.v[0], *name = c->inputs[c->boundaries].name;
    /* per shape, the points it shares with another */
    size_t *shared = as_calloc(r, nl + 1, sizeof *shared), worst = SIZE_MAX;
    if (!shared)
        return CSA_ERR_NOMEM;
    for (size_t k = 0; k < p->n && twice; k++)
        if (also[k] != SIZE_MAX && at[k] < nl && also[k] < nl)
            shared[at[k]]++, shared[also[k]]++;
    for (size_t l = 0; l < nl && twice; l++)
        if (worst == SIZE_MAX || shared[l] > shared[worst])
            worst = l;
    /* one shape over others (most of the points in two shapes are in it,
     * and they are many against its own), or overlaps everywhere */
    bool one = worst != SIZE_MAX && shared[worst] >= OVERLAP_MIN_POINTS &&
               (double)shared[worst] >= OVERLAP_ONE * (double)twice &&
               (double)shared[worst] >= OVERLAP_SHARE * (double)(tot[worst] ? tot[worst] : 1);
    bool everywhere = (double)twice > OVERLAP_ALL * (double)with_point;
    if (one || everywhere)
        return maps_off(
            r, file, as_fmt(r, "the LSOA shapes of [input.%s] overlap: %s of [input.%s]'s %s "
                               "crimes with a map point lie inside two shapes, %zu of them in "
                               "%s's (feature %llu) and another, against its own %zu, where "
                               "LSOAs tile the area without overlapping: the file's shapes are "
                               "not an LSOA set (repair them in a GIS, or take the ONS "
                               "boundaries)",
                            name, number(r, (double)twice, 0), c->inputs[input].name,
                            number(r, (double)with_point, 0), shared[worst], sh->code[worst],
                            (unsigned long long)sh->feature[worst], tot[worst]),
            true);
    /* an LSOA whose crimes are mostly in one other shape, few in its own
     * (on the samples' 15 real and generated months: none of 152) */
    bool *strayed = as_calloc(r, nl + 1, sizeof *strayed);
    if (!strayed)
        return CSA_ERR_NOMEM;
    for (size_t l = 0; l < nl; l++)
        strayed[l] = votes[l] && tot[l] >= SWAPPED_MIN_POINTS &&
                     (double)in_own[l] < SWAPPED_OWN_SHARE * (double)tot[l] &&
                     (double)in_cand[l] >= SWAPPED_OTHER_SHARE * (double)tot[l];
    /* such LSOAs in a cycle, each one's crimes mostly in the next one's
     * shape and the last's in the first's: their codes are misassigned
     * (swapped: a cycle of two; moved round: more). Shapes offset by
     * about an LSOA's width send crimes one way, in chains that do not
     * close; a real LSOA whose points fall over the border goes to a
     * neighbour that holds its own. */
    size_t cyc[SWAPPED_MAX_CYCLE];
    for (size_t a = 0; a < nl; a++) {
        size_t len = 0, b = a, pts = 0;
        while (len < SWAPPED_MAX_CYCLE && b < nl && strayed[b] && (len == 0 || b != a)) {
            cyc[len++] = b, pts += tot[b];
            b = cand[b];
        }
        bool closed = len >= 2 && b == a;
        for (size_t k = 1; closed && k < len; k++)
            closed = cyc[k] > a; /* each cycle once, from its lowest LSOA */
        if (!closed || pts < OWN_LSOA_MIN_POINTS)
            continue;
        size_t c2 = cyc[1];
        if (len > 2)
            return maps_off(
                r, file, as_fmt(r, "the codes of [input.%s]'s shapes look misassigned, moved "
                                   "round %zu shapes: of %s's %zu crimes with a map point, %zu "
                                   "fall in its shape (feature %llu) and %zu in %s's, whose own "
                                   "fall in another's again, and so round to %s's (police.uk "
                                   "gives each crime the LSOA its map point is in): check the "
                                   "features' codes",
                                name, len, sh->code[a], tot[a], in_own[a],
                                (unsigned long long)sh->feature[a], in_cand[a], sh->code[c2],
                                sh->code[a]),
                true);
        return maps_off(
            r, file, as_fmt(r, "the shapes of %s (feature %llu) and %s (feature %llu) in "
                               "[input.%s] look swapped: of %s's %zu crimes with a map point, "
                               "%zu fall in its shape and %zu in %s's; of %s's %zu, %zu in its "
                               "own and %zu in %s's (police.uk gives each crime the LSOA its "
                               "map point is in): check the two features' codes",
                            sh->code[a], (unsigned long long)sh->feature[a], sh->code[c2],
                            (unsigned long long)sh->feature[c2], name, sh->code[a], tot[a],
                            in_own[a], in_cand[a], sh->code[c2], sh->code[c2], tot[c2],
                            in_own[c2], in_cand[c2], sh->code[a]), true);
    }
    /* most of the LSOAs so: the codes misassigned all over, or the shapes
     * offset by more than an LSOA's width; the rate maps would be wrong too */
    size_t nstrayed = 0, counted = 0;
    for (size_t l = 0; l < nl; l++)
        nstrayed += strayed[l], counted += tot[l] >= SWAPPED_MIN_POINTS;
    if (counted && 2 * nstrayed >= counted && nstrayed >= 2)
        return maps_off(
            r, file, as_fmt(r, "the crimes of %zu of [input.%s]'s %zu LSOAs with %d or more of "
                               "them fall mostly in one other LSOA's shape of [input.%s], not "
                               "their own (police.uk gives each crime the LSOA its map point "
                               "is in): the shapes' codes are misassigned, or the shapes are "
                               "offset by more than an LSOA's width",
                            nstrayed, c->inputs[input].name, counted, SWAPPED_MIN_POINTS, name),
            true);
    if (with_point < OWN_LSOA_MIN_POINTS || (double)own >= OWN_LSOA_CAVEAT * (double)with_point)
        return CSA_OK;
    if ((double)own >= OWN_LSOA_SHARE * (double)with_point) {
        r->shapes_caveat = as_fmt(
            r, "The maps' LSOA shapes hold %.1f%% of the crimes police.uk places in each LSOA "
               "(%s of %s with a map point; on real data some 97%%): they may be another "
               "vintage's, generalised further or offset, and the maps are only as good",
            100.0 * (double)own / (double)with_point, number(r, (double)own, 0),
            number(r, (double)with_point, 0));
        as_message(r, "warning: [input.%s] %s", name, r->shapes_caveat);
        return CSA_OK;
    }
    return maps_off(
        r, file, as_fmt(r, "the LSOA shapes of [input.%s] are not where [input.%s]'s crimes "
                           "are: of its %s crimes in the area with a map point, %s (%.1f%%) "
                           "fall inside the shape of their own LSOA, where police.uk gives each "
                           "crime the LSOA its map point is in (on real data some 97%% do): the "
                           "file's coordinates are in another coordinate system than it says, "
                           "the shapes are another area's, or the crimes' points are not "
                           "police.uk's", name, c->inputs[input].name,
                        number(r, (double)with_point, 0), number(r, (double)own, 0),
                        100.0 * (double)own / (double)with_point),
        false);
}

/* Projects the points to British National Grid and finds the shape each
 * lies in (inside the area: in any; LSOAs that overlap are the police
 * check's to find): once per input. */
static csa_status place_points(csa_assess *r, size_t input, as_points *p)
{
    if (p->placed)
        return CSA_OK;
    p->placed = true;
    /* which shapes each point is in: needed here only (a history's points
     * are many) */
    size_t *at = malloc((p->n + 1) * sizeof *at), *also = malloc((p->n + 1) * sizeof *also);
    if (!(p->inside = as_calloc(r, p->n + 1, sizeof *p->inside)) || !at || !also) {
        free(at), free(also);
        return CSA_ERR_NOMEM;
    }
    /* the longitudes and latitudes projected together, in place; points
     * given on the grid as they are */
    size_t ng = 0;
    for (size_t k = 0; k < p->n; k++)
        ng += !p->grid[k];
    double *gx = ng < p->n ? as_calloc(r, ng + 1, sizeof *gx) : p->x;
    double *gy = ng < p->n ? as_calloc(r, ng + 1, sizeof *gy) : p->y;
    csa_status st = r->nomem ? CSA_ERR_NOMEM : CSA_OK;
    for (size_t k = 0, j = 0; !st && gx != p->x && k < p->n; k++)
        if (!p->grid[k])
            gx[j] = p->x[k], gy[j++] = p->y[k];
    if (!st)
        st = csa_project_wgs84(ng, gx, gy, &r->err);
    for (size_t k = 0, j = 0; !st && gx != p->x && k < p->n; k++)
        if (!p->grid[k])
            p->x[k] = gx[j], p->y[k] = gy[j++];
    if (!st)
        st = csa_points_locate(r->shapes, p->n, p->x, p->y, at, also, &r->err);
    for (size_t k = 0; !st && k < p->n; k++)
        p->inside[k] = at[k] != SIZE_MAX;
    if (!st && r->cfg->inputs[input].spec == csa_spec_find("police-street"))
        st = check_own_lsoa(r, input, p, at, also);
    free(at), free(also);
    free(p->lsoa); /* the check's alone */
    p->lsoa = NULL;
    return st;
}

csa_status as_check_shapes(csa_assess *r)
{
    csa_status st = CSA_OK;
    for (size_t i = 0; i < r->cfg->ninputs && !st && !r->maps_off; i++)
        if (!r->in[i].excluded && r->in[i].points &&
            r->cfg->inputs[i].spec == csa_spec_find("police-street"))
            st = place_points(r, i, r->in[i].points);
    return st;
}

/* "crimes", or "crime" for one: the plural noun for n of it. */
static const char *of_count(csa_assess *r, const char *noun, double n)
{
    size_t len = strlen(noun);
    return n == 1 && len > 1 && noun[len - 1] == 's' ? as_fmt(r, "%.*s", (int)len - 1, noun)
                                                     : noun;
}

static const char *number(csa_assess *r, double v, int places)
{
    char buf[64];
    return as_fmt(r, "%s", csa_format_number(v, places, buf, sizeof buf));
}

/* Places that tell a map's class limits apart. */
static int places_for(double hi)
{
    return hi >= 100 ? 0 : hi >= 10 ? 1 : 2;
}

/* The area's IMD deciles: classes 10 - decile, so the most deprived is
 * the darkest. */
static csa_status deprivation_map(csa_assess *r, csa_chart *ch)
{
    size_t nl = r->nlsoas, count[10] = {0};
    int *cls = as_calloc(r, nl + 1, sizeof *cls);
    const char **labels = as_calloc(r, 10, sizeof *labels);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t l = 0; l < nl; l++) {
        int d = r->lsoas[l].decile;
        cls[l] = d >= 1 && d <= 10 ? 10 - d : -1;
        count[d >= 1 && d <= 10 ? d - 1 : 0] += d >= 1 && d <= 10;
    }
    for (int d = 1; d <= 10; d++)
        labels[10 - d] = as_fmt(r, "%d%s (%zu LSOA%s)", d,
                                d == 1 ? ": most deprived 10%" : d == 10 ? ": least deprived 10%"
                                                                          : "",
                                count[d - 1], count[d - 1] == 1 ? "" : "s");
    *ch = map_init(r, CSA_CHART_CHOROPLETH);
    as_chart_text(r, ch, "Deprivation: IMD 2019 decile of each LSOA", NULL,
                  "IMD 2019 decile (in England)",
                  as_fmt(r, "Source: English Indices of Deprivation 2019 (MHCLG); %s",
                         boundary_source(r)));
    ch->subtitle = as_fmt(r, "%s, %zu LSOAs", r->cfg->area_name, nl);
    ch->shapes = r->shapes, ch->classes = cls, ch->nclasses = 10, ch->class_labels = labels;
    ch->name = "deprivation-map";
    ch->kept = as_calloc(r, 1, sizeof *ch->kept);
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

/* The n rates in RATE_CLASSES quantile classes: cls[n], the legend's
 * labels ("2.0 to 3.5 (7 MSOAs)": `word`, and `plural` after it but for
 * one), and each rate's class number (1 up, NaN for none) and label. */
static csa_status rate_classes(csa_assess *r, size_t n, const double *rate, const char *word,
                               const char *plural, int *cls, const char **labels,
                               double *cls_num, const char **range)
{
    double lo[RATE_CLASSES], hi[RATE_CLASSES];
    size_t count[RATE_CLASSES];
    csa_status st = csa_quantile_classes(n, rate, RATE_CLASSES, cls, lo, hi, count, &r->err);
    if (st)
        return st;
    double top = 0;
    for (int k = 0; k < RATE_CLASSES; k++)
        top = count[k] && hi[k] > top ? hi[k] : top;
    int places = places_for(top);
    for (int k = 0; k < RATE_CLASSES; k++)
        labels[k] = count[k] ? as_fmt(r, "%s to %s (%zu %s%s)", number(r, lo[k], places),
                                      number(r, hi[k], places), count[k], word,
                                      count[k] == 1 ? "" : plural)
                             : "none (equal rates share a class)";
    for (size_t i = 0; i < n; i++) {
        cls_num[i] = cls[i] < 0 ? NAN : cls[i] + 1;
        range[i] = cls[i] < 0 ? NULL : labels[cls[i]];
    }
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

csa_status as_crime_maps(csa_assess *r, size_t ind, csa_indicator_report *rep,
                         const bool *wanted, const double *lsoa_count, csa_chart *charts,
                         size_t *ncharts, csa_report_table *tabs, size_t *ntabs)
{
    static const as_map_counts police = {"Crimes", "crimes", "police.uk street-level crime",
                                         "police.uk street-level crime (map points anonymised "
                                         "to a nearby point)", "police.uk map point", NULL,
                                         "Population", NULL, false};
    return as_count_maps(r, ind, rep, &police, wanted, lsoa_count, charts, ncharts, tabs, ntabs);
}

csa_status as_count_maps(csa_assess *r, size_t ind, csa_indicator_report *rep,
                         const as_map_counts *m, const bool *wanted, const double *lsoa_count,
                         csa_chart *charts, size_t *ncharts, csa_report_table *tabs,
                         size_t *ntabs)
{
    if (!r->shapes)
        return CSA_OK;
    if (r->maps_off) {
        as_add_note(r, rep, "No maps: %s", r->maps_off);
        return CSA_OK;
    }
    const csa_config_indicator *ci = &r->cfg->indicators[ind];
    size_t nl = r->nlsoas;
    double *rate = as_calloc(r, nl + 1, sizeof *rate), *crimes = as_calloc(r, nl + 1, sizeof *crimes);
    double *pop = as_calloc(r, nl + 1, sizeof *pop), *cls_num = as_calloc(r, nl + 1, sizeof *cls_num);
    int *cls = as_calloc(r, nl + 1, sizeof *cls);
    const char **range = as_calloc(r, nl + 1, sizeof *range);
    const char **labels = as_calloc(r, RATE_CLASSES, sizeof *labels);
    const char **codes = as_calloc(r, nl + 1, sizeof *codes);
    const char **names = as_calloc(r, nl + 1, sizeof *names);
    size_t unrated = 0, hidden = 0;
    if (r->nomem)
        return CSA_ERR_NOMEM;
    for (size_t l = 0; l < nl; l++) {
        pop[l] = m->per ? m->per[l] : r->lsoas[l].population;
        bool hide = m->hidden && m->hidden[l]; /* suppressed: no count, no rate, unshaded */
        crimes[l] = isnan(pop[l]) || hide ? NAN : lsoa_count[l];
        rate[l] = isnan(pop[l]) || hide ? NAN : lsoa_count[l] / pop[l] * ci->multiplier;
        unrated += isnan(rate[l]) && !hide, hidden += hide;
        codes[l] = r->lsoas[l].code, names[l] = r->shapes->name[l];
    }
    csa_status st = rate_classes(r, nl, rate, "LSOA", "s", cls, labels, cls_num, range);
    if (st)
        return st;
    const char *source = as_fmt(r, "Source: %s; ONS population estimates; %s", m->source,
                                boundary_source(r));
    csa_chart *ch = &charts[(*ncharts)++];
    *ch = map_init(r, CSA_CHART_CHOROPLETH);
    as_chart_text(r, ch, as_fmt(r, "%s: rate by LSOA", rep->title), NULL,
                  as_fmt(r, "%s %s (quintile classes of the LSOAs' rates)", m->Noun, rep->unit),
                  source);
    ch->shapes = r->shapes, ch->classes = cls, ch->nclasses = RATE_CLASSES;
    ch->class_labels = labels;
    ch->no_value_label = unrated ? as_fmt(r, "No population figure: no rate (%zu LSOA%s)",
                                          unrated, unrated == 1 ? "" : "s") : NULL;
    if (hidden)
        ch->no_value_label = as_fmt(r, "Not shaded: %zu LSOA%s suppressed (below %g, or giving "
                                       "such a count away)%s", hidden, hidden == 1 ? "" : "s",
                                    r->cfg->suppress_below,
                                    unrated ? as_fmt(r, "; %zu with no population figure",
                                                     unrated) : "");
    ch->name = as_fmt(r, "%s-map", ci->name);
    ch->kept = as_calloc(r, 1, sizeof *ch->kept);
    as_col mcols[] = {AS_TEXT("LSOA code", codes), AS_TEXT("LSOA name", names),
                      AS_WHOLE(m->Noun, crimes), AS_WHOLE(m->per_label, pop),
                      AS_NUM(as_fmt(r, "Rate %s", rep->unit), rate),
                      AS_WHOLE("Class", cls_num), AS_TEXT("Class range", range)};
    tabs[(*ntabs)++] = (csa_report_table){as_fmt(r, "%s map classes by LSOA", rep->title),
                                          as_table(r, nl, mcols, 7), 4, CSA_NATIVE_NONE,
                                          NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0};

    /* the hotspots of the period's crimes inside the area */
    as_points *p = m->no_hotspots || r->hotspots_off ? NULL : r->in[ci->input].points;
    if (p && (st = place_points(r, ci->input, p)))
        return st;
    if (r->hotspots_off && !m->no_hotspots && r->in[ci->input].points)
        as_add_note(r, rep, "No hotspot map: %s", r->hotspots_off);
    /* once: a partner indicator placed by coordinates has it already */
    if (r->shapes_caveat && !(rep->note && strstr(rep->note, r->shapes_caveat + 1)))
        as_add_note(r, rep, "%s", r->shapes_caveat);
    size_t located = 0, outside = 0, unlocated = 0;
    for (size_t j = 0; p && j < p->n; j++) {
        if (!wanted[p->type[j]])
            continue;
        located += p->inside[j];
        unlocated += isnan(p->x[j]);
        outside += !p->inside[j] && !isnan(p->x[j]);
    }
    if (located) {
        double *x = as_calloc(r, located, sizeof *x), *y = as_calloc(r, located, sizeof *y);
        if (r->nomem)
            return CSA_ERR_NOMEM;
        size_t n = 0;
        for (size_t j = 0; j < p->n; j++)
            if (wanted[p->type[j]] && p->inside[j])
                x[n] = p->x[j], y[n++] = p->y[j];
        double cell, bandwidth;
        csa_density_rule(r->shapes, &cell, &bandwidth);
        csa_density *d = NULL;
        if ((st = csa_density_compute(r->shapes, n, x, y, cell, bandwidth, &d, &r->err)))
            return st;
        as_keep(r, d->density), as_keep(r, d->in_area), as_keep(r, d);
        size_t cells = d->nx * d->ny, hot = 0;
        double *v = as_calloc(r, cells, sizeof *v);
        int *ccls = as_calloc(r, cells, sizeof *ccls);
        const char **dlabels = as_calloc(r, DENSITY_CLASSES, sizeof *dlabels);
        if (r->nomem)
            return CSA_ERR_NOMEM;
        /* classes by multiples of the area's mean density, doubling (crime
         * concentrates: a few streets hold many times the mean): 1, 2, 4, 8
         * and 16 or more times it; cells below the mean are not shaded */
        size_t in_area = 0;
        for (size_t k = 0; k < cells; k++) {
            v[k] = d->in_area[k] && d->density[k] > 0 ? d->density[k] : NAN;
            hot += !isnan(v[k]);
            in_area += d->in_area[k];
        }
        double mean = (double)n / ((double)in_area * cell * cell / 1e6);
        for (size_t k = 0; k < cells; k++) {
            int c = -1;
            for (int j = 0; j < DENSITY_CLASSES; j++)
                c = !isnan(v[k]) && v[k] >= mean * (double)(1 << j) ? j : c;
            ccls[k] = c;
        }
        int dplaces = places_for(mean * (1 << DENSITY_CLASSES));
        for (int k = 0; k < DENSITY_CLASSES; k++)
            dlabels[k] = k + 1 < DENSITY_CLASSES
                             ? as_fmt(r, "%d to %d x the mean (%s to %s)", 1 << k, 2 << k,
                                      number(r, mean * (1 << k), dplaces),
                                      number(r, mean * (2 << k), dplaces))
                             : as_fmt(r, "%d x the mean or more (from %s)", 1 << k,
                                      number(r, mean * (1 << k), dplaces));
        ch = &charts[(*ncharts)++];
        *ch = map_init(r, CSA_CHART_HOTSPOT);
        as_chart_text(r, ch, as_fmt(r, "%s: hotspots", rep->title), NULL,
                      as_fmt(r, "%s per square km, against the area's mean of %s", m->Noun,
                             number(r, mean, dplaces)),
                      as_fmt(r, "Source: %s; %s", m->points_source, boundary_source(r)));
        ch->note = as_fmt(r, "Quartic kernel density, bandwidth %s m, %s m cells. %s %s "
                             "mapped inside the area; left out: %s with a map point outside its "
                             "boundary, %s without one", number(r, bandwidth, 0),
                          number(r, cell, 0), number(r, (double)located, 0),
                          of_count(r, m->noun, (double)located),
                          number(r, (double)outside, 0), number(r, (double)unlocated, 0));
        ch->shapes = r->shapes, ch->density = d, ch->classes = ccls;
        ch->nclasses = DENSITY_CLASSES, ch->class_labels = dlabels;
        ch->name = as_fmt(r, "%s-hotspot", ci->name);
        ch->kept = as_calloc(r, 1, sizeof *ch->kept);
        /* the surface's cells with crime, for checking and for a GIS */
        double *e = as_calloc(r, hot + 1, sizeof *e), *nn = as_calloc(r, hot + 1, sizeof *nn);
        double *dd = as_calloc(r, hot + 1, sizeof *dd), *cc = as_calloc(r, hot + 1, sizeof *cc);
        if (r->nomem)
            return CSA_ERR_NOMEM;
        size_t row = 0;
        for (size_t k = 0; k < cells; k++) {
            if (isnan(v[k]))
                continue;
            e[row] = d->x0 + ((double)(k % d->nx) + 0.5) * cell;
            nn[row] = d->y0 + ((double)(k / d->nx) + 0.5) * cell;
            dd[row] = v[k], cc[row++] = v[k] * cell * cell / 1e6;
        }
        as_col gcols[] = {AS_WHOLE("Easting", e), AS_WHOLE("Northing", nn),
                          AS_NUM(as_fmt(r, "%s per square km", m->Noun), dd),
                          AS_NUM(as_fmt(r, "%s in the cell", m->Noun), cc)};
        if ((st = as_csv_only(r, as_fmt(r, "%s-hotspot-grid.csv", ci->name),
                              as_table(r, hot, gcols, 4))))
            return st;
        if (outside || unlocated)
            as_add_note(r, rep, "The hotspot map leaves out %s %s whose %s is outside the "
                        "area's boundary and %s without one", number(r, (double)outside, 0),
                        of_count(r, m->noun, outside), m->point,
                        number(r, (double)unlocated, 0));
    } else if (outside) {
        /* a map of nothing is not drawn, and the indicator says why (an
         * input without coordinates has no hotspot map, as its note says) */
        as_add_note(r, rep, "No hotspot map: none of the %s is inside the area's boundary (%s "
                    "with a %s outside it, %s without one)", m->noun,
                    number(r, (double)outside, 0), m->point, number(r, (double)unlocated, 0));
    }
    if (!r->deprivation_mapped) {
        r->deprivation_mapped = true;
        if ((st = deprivation_map(r, &charts[(*ncharts)++])))
            return st;
    }
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

static const char *map_note(void);

/* The higher areas' outlines dissolved from the LSOA shapes, once per
 * run: on a thread of its own from as_start_dissolve, while the
 * indicators are computed (GEOS's union takes about as long as they do),
 * or on first use. */
struct as_dissolve {
    pthread_t thread;
    bool running;
    const csa_shapes *shapes;
    size_t *group, ngroups;
    const char **codes;
    csa_shapes *out;
    csa_status st;
    csa_error err;
    double seconds;
};

static void *dissolve(void *arg)
{
    as_dissolve *d = arg;
    double t0 = as_now();
    d->st = csa_dissolve_shapes(d->shapes, d->group, d->ngroups, d->codes, HIGHER_CLOSE,
                                &d->out, &d->err);
    d->seconds = as_now() - t0;
    return NULL;
}

/* What dissolve needs, into r->dissolve; NULL when out of memory. */
static as_dissolve *plan_dissolve(csa_assess *r)
{
    as_dissolve *d = as_calloc(r, 1, sizeof *d);
    size_t *group = as_calloc(r, r->nlsoas + 1, sizeof *group);
    const char **codes = as_calloc(r, r->nhigher + 1, sizeof *codes);
    if (!d || !group || !codes)
        return NULL;
    for (size_t l = 0; l < r->nlsoas; l++)
        group[l] = r->lsoas[l].higher;
    for (size_t k = 0; k < r->nhigher; k++)
        codes[k] = r->higher_code[k] ? r->higher_code[k] : r->higher_name[k];
    *d = (as_dissolve){.shapes = r->shapes, .group = group, .ngroups = r->nhigher,
                       .codes = codes};
    return r->dissolve = d;
}

void as_start_dissolve(csa_assess *r)
{
    if (!r->shapes || !r->nhigher || r->dissolve || r->maps_off)
        return;
    /* only police crime indicators map their higher areas */
    bool wanted = false;
    for (size_t i = 0; i < r->cfg->nindicators; i++) {
        const csa_config_indicator *ci = &r->cfg->indicators[i];
        wanted |= ci->kind == &csa_kind_police && !r->in[ci->input].excluded;
    }
    as_dissolve *d = wanted ? plan_dissolve(r) : NULL;
    if (d && !(d->running = csa_thread_start(&d->thread, dissolve, d)))
        r->dissolve = NULL; /* no thread to be had: dissolved on first use */
}

/* The dissolve's result, once it has ended; NULL when it did not run. */
static as_dissolve *end_dissolve(csa_assess *r)
{
    as_dissolve *d = r->dissolve;
    if (d && d->running)
        pthread_join(d->thread, NULL);
    if (d)
        d->running = false;
    return d;
}

void as_dissolve_free(csa_assess *r)
{
    as_dissolve *d = end_dissolve(r);
    if (d && d->out)
        csa_shapes_free(d->out);
    if (d)
        d->out = NULL;
}

static csa_status higher_shapes(csa_assess *r)
{
    if (r->higher_shapes)
        return CSA_OK;
    as_dissolve *d = end_dissolve(r);
    bool beside = d != NULL; /* it ran beside the indicators */
    if (!d) {
        if (!(d = plan_dissolve(r)))
            return CSA_ERR_NOMEM;
        dissolve(d);
    }
    if (d->st) {
        r->err = d->err;
        return d->st;
    }
    csa_shapes *h = d->out;
    d->out = NULL;
    /* the run's to free */
    void *owned[] = {h->code, h->name, h->feature, h->ring_first, h->point_first, h->x, h->y, h};
    for (size_t k = 0; k < h->n; k++)
        if (h->code[k])
            as_keep(r, h->code[k]);
    for (size_t k = 0; k < sizeof owned / sizeof owned[0]; k++)
        if (owned[k])
            as_keep(r, owned[k]);
    r->higher_shapes = h;
    if (r->nomem)
        return CSA_ERR_NOMEM;
    if (beside)
        as_stage_took(r, d->seconds, "dissolved the LSOA shapes into %zu outlines (%s)", h->n,
                      r->higher_word);
    else
        as_stage(r, "dissolved the LSOA shapes into %zu outlines (%s)", h->n, r->higher_word);
    return CSA_OK;
}

csa_status as_higher_map(csa_assess *r, const csa_config_indicator *ci,
                         const csa_indicator_report *rep, const char *unit,
                         const double *count, const double *pop, const double *rate,
                         csa_chart *chart, bool *drawn, csa_report_table *tabs, size_t *ntabs)
{
    *drawn = false;
    if (!r->shapes || !r->nhigher || r->maps_off)
        return CSA_OK;
    csa_status st = higher_shapes(r);
    if (st)
        return st;
    size_t nh = r->nhigher, unrated = 0;
    const char *hl = r->higher_label, *hw = r->higher_word;
    /* "6 MSOAs", "6 wards", but "6 electoral ward (2019)": a label that
     * does not end in a letter takes no "s" */
    char last = *hw ? hw[strlen(hw) - 1] : ' ';
    const char *plural = (last >= 'a' && last <= 'z') || (last >= 'A' && last <= 'Z') ? "s" : "";
    int *cls = as_calloc(r, nh, sizeof *cls);
    const char **labels = as_calloc(r, RATE_CLASSES, sizeof *labels);
    const char **range = as_calloc(r, nh, sizeof *range);
    double *crimes = as_calloc(r, nh, sizeof *crimes), *people = as_calloc(r, nh, sizeof *people);
    double *cls_num = as_calloc(r, nh, sizeof *cls_num);
    if (r->nomem)
        return CSA_ERR_NOMEM;
    if ((st = rate_classes(r, nh, rate, hw, plural, cls, labels, cls_num, range)))
        return st;
    for (size_t h = 0; h < nh; h++) {
        unrated += isnan(rate[h]);
        crimes[h] = isnan(rate[h]) ? NAN : count[h];
        people[h] = isnan(rate[h]) ? NAN : pop[h];
    }
    *chart = map_init(r, CSA_CHART_CHOROPLETH);
    as_chart_text(r, chart, as_fmt(r, "%s: rate by %s", rep->title, hw), NULL,
                  as_fmt(r, "Crimes %s (quintile classes of the rates by %s)", unit, hw),
                  as_fmt(r, "Source: police.uk street-level crime; ONS population estimates; "
                            "%s from [input.%s]; %s, dissolved", hl,
                         r->cfg->inputs[r->cfg->higher_area].name, boundary_source(r)));
    chart->shapes = r->higher_shapes, chart->classes = cls, chart->nclasses = RATE_CLASSES;
    chart->class_labels = labels;
    chart->no_value_label = unrated ? as_fmt(r, "No population figure: no rate (%zu %s%s)",
                                             unrated, hw, unrated == 1 ? "" : plural) : NULL;
    chart->note = r->higher_unplaced
                      ? as_fmt(r, "%zu of the area's LSOAs are in no %s of the lookup: not "
                                  "drawn", r->higher_unplaced, hw) : NULL;
    if (r->higher_beyond) /* drawn as the area's part of them */
        chart->note = as_fmt(r, "%s%s%s", chart->note ? chart->note : "",
                             chart->note ? ". " : "", r->higher_beyond);
    /* "violence-msoa-map": the word in lower case, runs of others a dash */
    char word[64];
    size_t w = 0;
    for (const char *p = hw; *p && w < sizeof word - 1; p++)
        if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
            word[w++] = *p;
        else if (*p >= 'A' && *p <= 'Z')
            word[w++] = (char)(*p - 'A' + 'a');
        else if (w && word[w - 1] != '-')
            word[w++] = '-';
    while (w && word[w - 1] == '-')
        w--;
    word[w] = '\0';
    chart->name = as_fmt(r, "%s-%s-map", ci->name, w ? word : "higher");
    chart->kept = as_calloc(r, 1, sizeof *chart->kept);
    bool any_code = false;
    for (size_t h = 0; h < nh; h++)
        any_code |= r->higher_code[h] != NULL;
    as_col cols[8];
    size_t nc = 0;
    cols[nc++] = (as_col)AS_TEXT(hl, r->higher_name);
    if (any_code)
        cols[nc++] = (as_col)AS_TEXT(as_fmt(r, "%s code", hl), r->higher_code);
    cols[nc++] = (as_col)AS_WHOLE("Crimes", crimes);
    cols[nc++] = (as_col)AS_WHOLE("Population", people);
    cols[nc++] = (as_col)AS_NUM(as_fmt(r, "Rate %s", unit), rate);
    cols[nc++] = (as_col)AS_WHOLE("Class", cls_num);
    cols[nc++] = (as_col)AS_TEXT("Class range", range);
    tabs[(*ntabs)++] = (csa_report_table){as_fmt(r, "%s map classes by %s", rep->title, hw),
                                          as_table(r, nh, cols, nc), 4, CSA_NATIVE_NONE,
                                          NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0};
    *drawn = true;
    return r->nomem ? CSA_ERR_NOMEM : CSA_OK;
}

csa_status as_csv_only(csa_assess *r, const char *file, const csa_table *t)
{
    const char **files = as_calloc(r, r->ncsv_only + 1, sizeof *files);
    const csa_table **tables = as_calloc(r, r->ncsv_only + 1, sizeof *tables);
    if (r->nomem || !t)
        return CSA_ERR_NOMEM;
    if (r->ncsv_only) {
        memcpy(files, r->csv_only_file, r->ncsv_only * sizeof *files);
        memcpy(tables, r->csv_only, r->ncsv_only * sizeof *tables);
    }
    files[r->ncsv_only] = file, tables[r->ncsv_only++] = t;
    r->csv_only_file = files, r->csv_only = tables;
    return CSA_OK;
}

const char *as_map_note(csa_assess *r)
{
    if (!r->shapes)
        return NULL;
    if (r->maps_off)
        return as_fmt(r, "Maps: none, though a boundaries input was given: %s.", r->maps_off);
    if (r->hotspots_off)
        return as_fmt(r, "%s Hotspot maps: none: %s.", map_note(), r->hotspots_off);
    if (r->nhigher)
        return as_fmt(r, "%s %s", map_note(),
                      as_fmt(r, "Rates by %s are mapped on the %ss' outlines: the union of "
                                "each %s's LSOA shapes (by [input.%s], through GDAL and GEOS), "
                                "grown by %.1f m and shrunk back by as much, which closes the "
                                "slivers where the boundary file's LSOA edges do not quite "
                                "meet and moves the outline by well under a metre elsewhere; "
                                "shaded in five quantile classes of the %ss' rates by the "
                                "rule above.", r->higher_word, r->higher_word, r->higher_word,
                             r->cfg->inputs[r->cfg->higher_area].name, HIGHER_CLOSE,
                             r->higher_word));
    return map_note();
}

static const char *map_note(void)
{
    return "Maps: the LSOA shapes of the boundaries input, projected with GDAL's OSR (PROJ) to "
           "British National Grid (EPSG:27700). Rates by LSOA are shaded in five quantile "
           "classes: an LSOA is in class floor(5 x (LSOAs with a lower rate) / (LSOAs with a "
           "rate)), so equal rates share a class and a class may be empty; the legend gives "
           "each class's lowest and highest rate and its LSOAs. LSOAs with no population figure "
           "have no rate: unshaded and hatched. Colours are viridis (rates and IMD deciles: "
           "lighter is lower, the most deprived darkest) and YlOrRd (hotspots), each falling in "
           "lightness class by class, so they read in greyscale and for colour-blind readers. "
           "Hotspots: kernel density of the period's crimes at their police.uk map points "
           "inside the area's boundary, with the quartic kernel K(d) = 3 / (pi h^2) x (1 - d^2 "
           "/ h^2)^2 within the bandwidth h, on a British National Grid grid clipped to the area "
           "(cells whose centre is inside it). Cell size: the shorter side of the area's "
           "bounding box / 150, rounded to 10 m; bandwidth: 5 cells (Chainey's rule of thumb). "
           "Each crime's kernel is scaled to sum to one over the area's cells, so a crime near "
           "the boundary keeps its weight inside and the surface adds up to the crimes mapped "
           "(each map's grid is in its hotspot-grid CSV). Classes: multiples of the area's mean "
           "density (the crimes mapped over the area of its cells), doubling: 1, 2, 4, 8 and 16 "
           "or more times it, as crime concentrates in few places; cells below the mean are "
           "unshaded. police.uk moves each crime to an anonymised map point nearby: crimes whose "
           "point falls outside the area's boundary, and rows without one, are counted on the "
           "map and left out; the surface shows where crime concentrates at neighbourhood "
           "scale, not addresses.";
}
