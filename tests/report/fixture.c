#include "fixture.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csa/ingest.h"
#include "csa/present.h"

enum { NTABLES = 6 };
static csa_table *tables[NTABLES];
static size_t ntables;

/* A table from CSV text, numeric columns as doubles. */
static const csa_table *table(const char *name, const char *csv, const char *const *numeric,
                              size_t nnumeric)
{
    csa_source src;
    csa_source_from_buffer(&src, name, csv, strlen(csv));
    csa_error err = {0};
    csa_table *t = NULL;
    csa_status st = csa_ingest_any(&src, numeric, nnumeric, false, &t, NULL, &err);
    csa_source_close(&src);
    if (st != CSA_OK) {
        fprintf(stderr, "fixture %s: %s\n", name, err.message);
        return NULL;
    }
    tables[ntables++] = t;
    return t;
}

static const char *const MONTHS[12] = {"2018-01", "2018-02", "2018-03", "2018-04",
                                       "2018-05", "2018-06", "2018-07", "2018-08",
                                       "2018-09", "2018-10", "2018-11", "2018-12"};
static const double MONTH_COUNT[12] = {402, 388, 431, 415, 446, 470, 512, 468, 455, 497, 501, 540};
static const unsigned MONTH_FLAGS[12] = {0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};

static const double DEC_RATE[10] = {38.5, 31.2, 24.0, 20.3, 17.9, 15.1, 12.6, 11.0, 0, NAN};
static const double DEC_LO[10] = {35.3, 28.6, 21.8, 18.2, 15.9, 13.2, 10.9, 9.4, 0, NAN};
static const double DEC_HI[10] = {41.8, 34.0, 26.4, 22.6, 20.1, 17.2, 14.5, 12.8, 3.7, NAN};

static const double LORENZ_X[6] = {0, 0.1, 0.25, 0.5, 0.75, 1};
static const double LORENZ_Y[6] = {0, 0.31, 0.52, 0.74, 0.90, 1};

static const char *const AREAS[5] = {
    "Milton Keynes", "Bedford", "Swindon", "Peterborough",
    "A council with a very long name that will not fit on one line of a chart label"};
static const double AREA_VALUE[5] = {40.1, 47.9, 44.2, 51.3, 36.0};
static const double AREA_LO[5] = {35.6, 42.0, 39.1, 45.9, 31.2};
static const double AREA_HI[5] = {45.0, 54.3, 49.7, 57.1, 41.3};
static const csa_outcome AREA_OUTCOME[5] = {CSA_SIMILAR, CSA_SIMILAR, CSA_SIMILAR, CSA_WORSE,
                                            CSA_BETTER};

static const char *const PERIODS[5] = {"2013/14 - 15/16", "2014/15 - 16/17", "2015/16 - 17/18",
                                       "2016/17 - 18/19", "2017/18 - 19/20"};
static const double TREND_VALUE[5] = {44.8, 43.1, NAN, 41.0, 40.1};
static const double TREND_LO[5] = {40.1, 38.5, NAN, 36.5, 35.6};
static const double TREND_HI[5] = {49.9, 48.1, NAN, 45.9, 45.0};

static const char *const GROUPS[5] = {"Female", "Male", "16-34", "35-64", "65+"};
static const char *const GROUP_HEAD[5] = {"Sex", "Sex", "Age", "Age", "Age"};
static const double SURVEY_VALUE[5] = {48.2, 67.5, 61.0, 58.3, 44.9};
static const double SURVEY_LO[5] = {44.1, 63.4, 55.2, 54.0, 39.8};
static const double SURVEY_HI[5] = {52.3, 71.3, 66.5, 62.5, 50.1};

static const double FUNNEL_X[6] = {900, 1200, 1500, 1800, 2400, 3100};
static const double FUNNEL_Y[6] = {12.2, 30.0, 8.7, 14.4, 9.9, 11.0};
static const csa_outcome FUNNEL_OUTCOME[6] = {CSA_SIMILAR, CSA_WORSE, CSA_SIMILAR,
                                              CSA_SIMILAR, CSA_SIMILAR, CSA_SIMILAR};
static const double FL_X[4] = {800, 1500, 2300, 3200};
static const double FL_LO95[4] = {5.4, 6.8, 7.6, 8.1};
static const double FL_HI95[4] = {18.4, 16.0, 14.9, 14.2};
static const double FL_LO998[4] = {3.0, 5.0, 6.2, 6.9};
static const double FL_HI998[4] = {23.0, 19.0, 17.1, 16.1};

static csa_chart charts[7];
static csa_report_table rtables[NTABLES];
static csa_indicator_report indicators[3];
static csa_priority_score scores[3][3];
static csa_priority_report priorities[3];
static csa_input_report inputs[2];

static const csa_priority_criterion CRITERIA[3] = {
    {"Volume against comparator", "value / comparator: 1 below 0.8, 2 below 0.95, 3 below 1.05, "
                                  "4 below 1.25, 5 otherwise (inverted when high is good)"},
    {"Trend", "5 getting worse, 3 no significant change or not enough points, 1 getting better"},
    {"Harm", "crime severity weight x rate, ranked: 5 highest to 1 lowest"},
};

static const char *const FILES_POLICE[3] = {"../data-samples/police/2018-10-milton-keynes-street.csv",
                                            "../data-samples/police/2018-11-milton-keynes-street.csv",
                                            "../data-samples/police/2018-12-milton-keynes-street.csv"};
static const uint64_t BYTES_POLICE[3] = {512345, 498765, 456789};
static const char *const SHA_POLICE[3] = {
    "0f3c2a4e5b6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5061",
    "1f3c2a4e5b6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5062",
    "2f3c2a4e5b6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5063"};
static const time_t MODIFIED_POLICE[3] = {1543622400, 1546300800, 1548979200};
static const uint64_t ROWS_POLICE[3] = {2124, 2072, 1898};
static const char *const FILES_SURVEY[1] = {"../data-samples/survey/community-survey-2018.csv"};
static const uint64_t BYTES_SURVEY[1] = {61234};
static const char *const SHA_SURVEY[1] = {
    "3f3c2a4e5b6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5064"};
static const time_t MODIFIED_SURVEY[1] = {1546300800};
static const uint64_t ROWS_SURVEY[1] = {1200};

static const char *const NOTES[2] = {
    "Rates per 1,000 residents use ONS mid-year population estimates; 95% confidence "
    "intervals by Byar's method, exact Poisson below 10 events.",
    "Comparisons with England follow Fingertips: similar when the interval includes "
    "England's value, otherwise better or worse by the indicator's polarity."};

static const csa_assessment *build(void)
{
    static const char *const month_num[] = {"Count", "Rate per 1,000", "Lower 95% CI",
                                            "Upper 95% CI"};
    static const char *const decile_num[] = {"Count", "Population", "Rate per 1,000",
                                             "Lower 95% CI", "Upper 95% CI"};
    static const char *const area_num[] = {"Value", "Lower 95% CI", "Upper 95% CI"};
    static const char *const survey_num[] = {"Proportion (%)", "Lower 95% CI",
                                             "Upper 95% CI", "Respondents"};
    static const char *const finding_num[] = {"Line", "Column"};
    const csa_table *months = table("months.csv",
        "Month,Count,\"Rate per 1,000\",Lower 95% CI,Upper 95% CI\n"
        "2018-01,402,1.4918,1.3504,1.6446\n2018-02,388,1.4398,1.3008,1.5900\n"
        "2018-03,431,1.5994,1.4522,1.7575\n2018-04,415,1.5400,1.3959,1.6953\n"
        "2018-05,446,1.6551,1.5048,1.8158\n2018-06,470,1.7441,1.5898,1.9090\n"
        "2018-07,512,1.9000,1.7387,2.0723\n2018-08,468,1.7367,1.5827,1.9012\n"
        "2018-09,455,1.6884,1.5366,1.8504\n2018-10,497,1.8443,1.6852,2.0142\n"
        "2018-11,501,1.8592,1.6994,2.0297\n2018-12,540,2.0039,1.8382,2.1805\n",
        month_num, 4);
    const csa_table *deciles = table("deciles.csv",
        "IMD decile,Count,Population,\"Rate per 1,000\",Lower 95% CI,Upper 95% CI\n"
        "1 (most deprived),554,14395,38.5,35.3,41.8\n2,472,15123,31.2,28.6,34.0\n"
        "3,443,18449,24.0,21.8,26.4\n4,380,18700,20.3,18.2,22.6\n"
        "5,330,18400,17.9,15.9,20.1\n6,280,18550,15.1,13.2,17.2\n"
        "7,225,17900,12.6,10.9,14.5\n8,200,18200,11.0,9.4,12.8\n"
        "9,0,9900,0,0,3.7\n10 (least deprived),,0,,,\n",
        decile_num, 5);
    const csa_table *areas = table("areas.csv",
        "Area,Value,Lower 95% CI,Upper 95% CI,Compared to England\n"
        "Milton Keynes,40.1,35.6,45.0,Similar\nBedford,47.9,42.0,54.3,Similar\n"
        "Swindon,44.2,39.1,49.7,Similar\nPeterborough,51.3,45.9,57.1,Worse\n"
        "A council with a very long name that will not fit on one line of a chart label,"
        "36.0,31.2,41.3,Better\n",
        area_num, 3);
    const csa_table *survey = table("survey.csv",
        "Group,Proportion (%),Lower 95% CI,Upper 95% CI,Respondents\n"
        "Female,48.2,44.1,52.3,612\nMale,67.5,63.4,71.3,571\n16-34,61.0,55.2,66.5,301\n"
        "35-64,58.3,54.0,62.5,552\n65+,44.9,39.8,50.1,330\n",
        survey_num, 4);
    const csa_table *findings = table("findings.csv",
        "Input,File,Line,Column,Check,Severity,Value,Message\n"
        "survey,../data-samples/survey/community-survey-2018.csv,17,5,code-list,error,Mal,"
        "\"sex must be one of Female, Male, Other\"\n"
        "police,../data-samples/police/2018-10-milton-keynes-street.csv,,,,warning,,"
        "\"LSOA code E01016735 has no population row\"\n",
        finding_num, 2);
    if (!months || !deciles || !areas || !survey || !findings)
        return NULL;

    rtables[0] = (csa_report_table){"Violence by month", months, 4, CSA_NATIVE_LINE,
                                    "Month", "Rate per 1,000", "Lower 95% CI", "Upper 95% CI",
                                    NULL, NULL, NULL, 0};
    rtables[1] = (csa_report_table){"Violence by deprivation decile", deciles, 1,
                                    CSA_NATIVE_COLUMN, "IMD decile", "Rate per 1,000",
                                    "Lower 95% CI", "Upper 95% CI", NULL, NULL, NULL, 0};
    rtables[2] = (csa_report_table){"Hospital admissions for violence by area", areas, 1,
                                    CSA_NATIVE_BAR, "Area", "Value", "Lower 95% CI",
                                    "Upper 95% CI", NULL, NULL, NULL, 0};
    rtables[3] = (csa_report_table){"Feel safe after dark by group", survey, 1, CSA_NATIVE_BAR,
                                    "Group", "Proportion (%)", "Lower 95% CI", "Upper 95% CI",
                                    NULL, NULL, NULL, 0};

    csa_chart *c = &charts[0];
    *c = csa_chart_init(CSA_CHART_SPC);
    c->title = "Violence against the person, Milton Keynes";
    c->subtitle = "Crimes per month, c-chart with limits from January to December 2018";
    c->x_label = "Month";
    c->y_label = "Crimes";
    c->source = "Source: police.uk street-level crime";
    c->n = 12, c->labels = MONTHS, c->values = MONTH_COUNT, c->flags = MONTH_FLAGS;
    c->spc_centre = 460.4, c->spc_lower = 396.0, c->spc_upper = 524.8;

    c = &charts[1];
    *c = csa_chart_init(CSA_CHART_DECILE);
    c->title = "Violence against the person by deprivation";
    c->x_label = "IMD 2019 decile";
    c->y_label = "Crimes per 1,000 residents";
    c->source = "Source: police.uk; IMD 2019; ONS population estimates";
    c->n = 10, c->labels = csa_decile_labels(), c->values = DEC_RATE, c->lower = DEC_LO, c->upper = DEC_HI;
    c->sii_intercept = 36.0, c->sii_slope = -34.0;

    c = &charts[2];
    *c = csa_chart_init(CSA_CHART_LORENZ);
    c->title = "Concentration of violence in neighbourhoods";
    c->x_label = "Share of neighbourhoods (LSOAs), most crime first";
    c->y_label = "Share of crimes";
    c->source = "Source: police.uk street-level crime";
    c->n = 6, c->x = LORENZ_X, c->values = LORENZ_Y, c->gini = 0.41;

    c = &charts[3];
    *c = csa_chart_init(CSA_CHART_TREND);
    c->title = "Hospital admissions for violence, Milton Keynes";
    c->x_label = "Three-year period";
    c->y_label = "Directly standardised rate per 100,000";
    c->source = "Source: OHID Fingertips (synthetic sample)";
    c->n = 5, c->labels = PERIODS, c->values = TREND_VALUE, c->lower = TREND_LO;
    c->upper = TREND_HI, c->comparator = 44.9, c->comparator_label = "England";

    c = &charts[4];
    *c = csa_chart_init(CSA_CHART_CATERPILLAR);
    c->title = "Hospital admissions for violence by area, 2017/18 - 19/20";
    c->x_label = "Directly standardised rate per 100,000";
    c->y_label = "Area";
    c->source = "Source: OHID Fingertips (synthetic sample)";
    c->n = 5, c->labels = AREAS, c->values = AREA_VALUE, c->lower = AREA_LO;
    c->upper = AREA_HI, c->outcomes = AREA_OUTCOME, c->highlight = 0;
    c->comparator = 44.9, c->comparator_label = "England";

    c = &charts[5];
    *c = csa_chart_init(CSA_CHART_SURVEY);
    c->title = "Feel safe outside after dark";
    c->x_label = "Weighted % of respondents";
    c->y_label = "Group";
    c->source = "Source: community safety survey 2018 (synthetic sample)";
    c->n = 5, c->labels = GROUPS, c->groups = GROUP_HEAD, c->values = SURVEY_VALUE;
    c->lower = SURVEY_LO, c->upper = SURVEY_HI;

    c = &charts[6];
    *c = csa_chart_init(CSA_CHART_FUNNEL);
    c->title = "Violence by neighbourhood against the Milton Keynes rate";
    c->x_label = "Residents";
    c->y_label = "Crimes per 1,000 residents";
    c->source = "Source: police.uk; ONS population estimates";
    c->n = 6, c->x = FUNNEL_X, c->values = FUNNEL_Y, c->outcomes = FUNNEL_OUTCOME;
    c->highlight = 1, c->comparator = 11.4, c->comparator_label = "Milton Keynes";
    c->nfunnel = 4, c->funnel_x = FL_X, c->funnel_lo95 = FL_LO95, c->funnel_hi95 = FL_HI95;
    c->funnel_lo998 = FL_LO998, c->funnel_hi998 = FL_HI998;

    indicators[0] = (csa_indicator_report){
        .name = "violence", .title = "Violence against the person", .theme = "Crime",
        .unit = "per 1,000 residents", .method = "Byar's method; exact Poisson below 10 events",
        .source = "police.uk street-level crime", .polarity = CSA_POLARITY_LOW_IS_GOOD,
        .count = 1953, .denominator = 269500, .value = 7.2468, .lower = 6.9289,
        .upper = 7.5754, .comparator = "England", .comparator_value = 8.3,
        .outcome = CSA_BETTER, .rag = CSA_RAG_GREEN,
        .trend = "Increasing: 2 points above the upper process limit",
        .reading = "Violence against the person: 7.25 per 1,000 residents, significantly "
                   "lower than England (8.30); rising over 2018.",
        .note = NULL, .tables = &rtables[0], .ntables = 2, .charts = &charts[0], .ncharts = 3,
        .rows = {2088, 1953, 0, 135, 0, 0, 0}, .has_rows = 1};
    indicators[1] = (csa_indicator_report){
        .name = "admissions", .title = "Hospital admissions for violence", .theme = "Health",
        .unit = "per 100,000 (directly standardised)", .method = "As published by OHID Fingertips",
        .source = "OHID Fingertips", .polarity = CSA_POLARITY_LOW_IS_GOOD, .count = 311,
        .denominator = 258000, .value = 40.1, .lower = 35.6, .upper = 45.0,
        .comparator = "England", .comparator_value = 44.9, .outcome = CSA_SIMILAR,
        .rag = CSA_RAG_AMBER, .trend = "Not enough points (4 of 5)",
        .reading = "Hospital admissions for violence: 40.1 per 100,000, similar to England "
                   "(44.9).",
        .note = NULL, .tables = &rtables[2], .ntables = 1, .charts = &charts[3], .ncharts = 2};
    indicators[2] = (csa_indicator_report){
        .name = "feel_safe_night", .title = "Feel safe outside after dark", .theme = "Survey",
        .unit = "%", .method = "Weighted proportion; Wilson interval on Kish effective sample",
        .source = "Community safety survey 2018", .polarity = CSA_POLARITY_HIGH_IS_GOOD,
        .count = 683, .denominator = 1183, .value = 57.7, .lower = 54.4, .upper = 60.9,
        .comparator = NULL, .comparator_value = NAN, .outcome = CSA_NOT_COMPARED,
        .rag = CSA_RAG_NEUTRAL, .trend = "One wave: no trend",
        .reading = "57.7% of residents feel safe outside after dark (95% interval 54.4% to "
                   "60.9%); women less often (48.2%) than men (67.5%).",
        .note = "Excludes input survey-2017 (left out with --allow-invalid)",
        .tables = &rtables[3], .ntables = 1, .charts = &charts[5], .ncharts = 1};

    /* the trend's measure is a direction (1 getting worse), its words beside it */
    static const double VALS[3][3] = {{0.89, 1, 10.2}, {0.9, NAN, 1.3}, {NAN, NAN, NAN}};
    static const char *const TEXTS[3][3] = {
        {"0.89 x England", "Increasing", "10.2 days per resident"},
        {"0.90 x England", "Not enough points", "1.3 days per resident"},
        {"No comparator", "One wave", "No weight"}};
    /* harm's places left to the default: two less trailing zeros */
    static const int DECIMALS[3] = {2, 0, 0};
    static const char *const UNITS[3] = {"x England", NULL, "days per resident"};
    static const double SCORE[3][3] = {{2, 5, 5}, {2, 3, 3}, {3, 3, 1}};
    static const double WEIGHT[3] = {2, 1, 3};
    static const size_t ORDER[3] = {0, 1, 2};
    for (size_t p = 0; p < 3; p++) {
        double total = 0;
        for (size_t k = 0; k < 3; k++) {
            scores[p][k] = (csa_priority_score){
                .value = VALS[p][k], .value_text = TEXTS[p][k], .score = SCORE[p][k],
                .weight = WEIGHT[k], .decimals = DECIMALS[k], .value_unit = UNITS[k]};
            total += SCORE[p][k] * WEIGHT[k];
        }
        priorities[p] = (csa_priority_report){ORDER[p], p + 1, total, scores[p]};
    }

    inputs[0] = (csa_input_report){"police", "police-street", 3, FILES_POLICE, BYTES_POLICE,
                                   SHA_POLICE, MODIFIED_POLICE, ROWS_POLICE, {6094, 5671, 0, 423, 0, 0, 0}, 0, 1,
                                   "Oct 2018 to Dec 2018", "Jan 2018 to Sep 2018", 0, 0, 0, 0};
    inputs[1] = (csa_input_report){"survey", "survey", 1, FILES_SURVEY, BYTES_SURVEY,
                                   SHA_SURVEY, MODIFIED_SURVEY, ROWS_SURVEY, {1200, 0, 0, 0, 0, 0, 1200}, 1, 0,
                                   NULL, NULL, 1, 0, 0, 0};

    static csa_assessment a;
    a = (csa_assessment){
        .title = "Milton Keynes Community Safety Partnership",
        .area = "Milton Keynes (E06000042)", .period = "January to December 2018",
        .comparator = "England", .version = "0.1.0", .run_time = 1700000000,
        .config = "../data-samples/assessment.ini", .indicators = indicators,
        .nindicators = 3, .criteria = CRITERIA, .ncriteria = 3, .priorities = priorities,
        .npriorities = 3, .inputs = inputs, .ninputs = 2, .findings = findings,
        .method_notes = NOTES, .nmethod_notes = 2};
    return &a;
}

const csa_assessment *fixture_assessment(void)
{
    const csa_assessment *a = build();
    if (!a)
        fixture_free();
    return a;
}

const csa_chart *fixture_charts(size_t *n)
{
    *n = sizeof charts / sizeof charts[0];
    return charts;
}

void fixture_free(void)
{
    for (size_t i = 0; i < ntables; i++)
        csa_table_free(tables[i]);
    ntables = 0;
}
