#!/usr/bin/python3
"""Write the two SYNTHETIC sample inputs for Milton Keynes (E06000042).

Usage (from the repository root):

    /usr/bin/python3 data-samples/make-synthetic.py [OUT_DIR]

OUT_DIR defaults to the directory holding this script.  It writes

    health/fingertips-violence-mk.csv   shaped like an OHID Fingertips
                                        "all data" export (27 columns)
    survey/community-survey-2018.csv    a respondent-level community safety
                                        survey (csa's `survey` spec)

and reads population-milton-keynes.csv (beside this script) for the age and
sex shares the survey weights are raked to.

NOTHING IN THESE FILES IS REAL DATA.  Area codes and names are real (ONS
codes of England, regions, unitary authorities and the 2014 Milton Keynes
wards), but every count, denominator, rate, answer and weight is invented
here, from fixed parameters plus noise from a fixed random seed.  The output
is deterministic: the same bytes on every run (Python 3, standard library
only; LF line ends, fields quoted only when they need it).

What is computed properly rather than made up:
  * Fingertips: Value = Count / Denominator x multiplier (crude rate), or a
    crude rate times a fixed per-area age-standardisation factor (the DSR
    indicator); 95% and 99.8% limits by Byar's method (crude rate) and by a
    Dobson-style scaling of Byar's limits for the count (DSR); "Compared to"
    texts from the 95% interval against England's and the region's value;
    "Recent Trend" from the weighted-slope test on the five periods at 99.8%
    (as `csa calc trend` / Fingertips do it).
  * Survey: weights raked (iterative proportional fitting) to the age-band
    and sex shares of the Milton Keynes population file and to invented ward
    population shares, trimmed to 0.3-3 and scaled to mean 1.
"""

import csv
import math
import os
import random
import sys

SEED = 20181231

# ---------------------------------------------------------------- helpers


def num(x, places=6):
    """A number as text: rounded, trailing zeros dropped, no exponent."""
    s = f"{x:.{places}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def write_csv(path, header, rows):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(header)
        w.writerows(rows)


Z95 = 1.959963984540054
Z998 = 3.090232306167813
TREND_CRITICAL = 9.549535622  # chi-square, 1 df, upper 0.2% (= Z998 squared)


def byar_counts(o, z):
    """Byar's approximate limits for a Poisson count o (o >= 10 here)."""
    lo = o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3
    o1 = o + 1
    hi = o1 * (1 - 1 / (9 * o1) + z / (3 * math.sqrt(o1))) ** 3
    return lo, hi


def crude_rate(count, denom, per):
    """Value and (lower, upper) at 95% and 99.8%: Byar's method."""
    v = count / denom * per
    lims = []
    for z in (Z95, Z998):
        lo, hi = byar_counts(count, z)
        lims.append((lo / denom * per, hi / denom * per))
    return v, lims


def dsr_rate(count, denom, per, factor, var_inflation):
    """A directly standardised rate without the age detail: the crude rate
    times the area's standardisation factor, and Dobson-style limits,
    DSR + sqrt(var(DSR)/var(O)) x (O_limit - O), with var(DSR)/var(O) taken
    as (DSR/O)^2 x var_inflation (>1: unequal age weights widen the
    interval)."""
    v = count / denom * per * factor
    scale = v / count * math.sqrt(var_inflation)
    lims = []
    for z in (Z95, Z998):
        lo, hi = byar_counts(count, z)
        lims.append((v + scale * (lo - count), v + scale * (hi - count)))
    return v, lims


def compare(lo, hi, ref, polarity):
    """Fingertips' benchmark of a 95% interval against a value."""
    if hi < ref:
        return "Better" if polarity == "low" else "Lower"
    if lo > ref:
        return "Worse" if polarity == "low" else "Higher"
    return "Similar"


def weighted_slope(t, y, w, skip=None):
    s1 = st = sy = stt = sty = 0.0
    for i in range(len(t)):
        if i == skip:
            continue
        s1 += w[i]
        st += w[i] * t[i]
        sy += w[i] * y[i]
        stt += w[i] * t[i] * t[i]
        sty += w[i] * t[i] * y[i]
    d = s1 * stt - st * st
    return (s1 * sty - st * sy) / d, s1 / d


def recent_trend(values, lowers, uppers, polarity):
    """Fingertips' recent trend over the last five points: weighted slope of
    the values (weights 1/SE^2, SE from the 95% interval), chi-square at
    99.8%, and no trend if leaving out any one point turns the slope."""
    v, lo, hi = values[-5:], lowers[-5:], uppers[-5:]
    if len(v) < 5:
        return "Cannot be calculated"
    t = [i - 2 for i in range(5)]
    w = [1 / ((h - l) / (2 * Z95)) ** 2 for l, h in zip(lo, hi)]
    slope, var = weighted_slope(t, v, w)
    sign = (slope > 0) - (slope < 0)
    if slope * slope / var <= TREND_CRITICAL or sign == 0:
        return "No significant change"
    for skip in range(5):
        s, _ = weighted_slope(t, v, w, skip)
        if ((s > 0) - (s < 0)) != sign:
            return "No significant change"
    if polarity == "low":
        return "Increasing and getting worse" if sign > 0 else "Decreasing and getting better"
    return "Increasing" if sign > 0 else "Decreasing"


# ------------------------------------------------------------- Fingertips

FINGERTIPS_HEADER = [
    "Indicator ID", "Indicator Name", "Parent Code", "Parent Name", "Area Code",
    "Area Name", "Area Type", "Sex", "Age", "Category Type", "Category", "Time period",
    "Value", "Lower CI 95.0 limit", "Upper CI 95.0 limit", "Lower CI 99.8 limit",
    "Upper CI 99.8 limit", "Count", "Denominator", "Value note", "Recent Trend",
    "Compared to England value or percentiles", "Compared to Region value or percentiles",
    "Time period Sortable", "New data", "Compared to goal", "Time period range",
]

ENGLAND = ("E92000001", "England")
LA = "E06000042"

# code: (name, mid-2014 population, yearly growth, share aged 16+)
REGIONS = {
    "E12000002": ("North West region", 7_133_000, 0.0055, 0.805),
    "E12000004": ("East Midlands region", 4_637_000, 0.0080, 0.810),
    "E12000005": ("West Midlands region", 5_713_000, 0.0075, 0.800),
    "E12000006": ("East of England region", 6_018_000, 0.0090, 0.800),
    "E12000008": ("South East region", 8_873_000, 0.0080, 0.805),
    "E12000009": ("South West region", 5_423_000, 0.0075, 0.820),
}

# Milton Keynes and twelve unitary authorities like it (CIPFA-style
# neighbours).  code: (name, region, mid-2014 population, yearly growth,
# share 16+, DSR factor, violence DSR level, DSR change a period,
# domestic abuse rate level, change a year)
LAS = {
    "E06000042": ("Milton Keynes", "E12000008", 261_800, 0.0080, 0.775, 0.97,
                  None, None, None, None),
    "E06000030": ("Swindon", "E12000009", 215_800, 0.0070, 0.790, 0.98, 35.5, 0.3, 21.5, 1.0),
    "E06000031": ("Peterborough", "E12000006", 190_500, 0.0130, 0.770, 0.97, 51.0, 0.8, 27.0, 1.6),
    "E06000032": ("Luton", "E12000006", 211_200, 0.0040, 0.760, 0.96, 55.5, -0.6, 24.5, 1.1),
    "E06000038": ("Reading", "E12000008", 160_800, 0.0040, 0.790, 0.96, 38.5, -0.9, 19.0, 0.15),
    "E06000055": ("Bedford", "E12000006", 163_900, 0.0120, 0.790, 0.99, 36.0, 0.4, 20.5, 1.3),
    "E06000020": ("Telford and Wrekin", "E12000005", 170_300, 0.0080, 0.790, 0.99, 47.5, 1.1, 28.5, 1.7),
    "E06000007": ("Warrington", "E12000002", 205_100, 0.0045, 0.800, 1.00, 49.0, -3.4, 26.0, 0.8),
    "E06000034": ("Thurrock", "E12000006", 163_300, 0.0110, 0.770, 0.98, 40.5, 0.9, 23.0, 1.5),
    "E06000045": ("Southampton", "E12000008", 245_300, 0.0060, 0.820, 0.95, 52.5, -0.4, 30.5, 1.2),
    "E06000044": ("Portsmouth", "E12000008", 209_100, 0.0055, 0.820, 0.96, 50.5, 0.2, 29.0, 1.4),
    "E06000035": ("Medway", "E12000008", 273_300, 0.0070, 0.790, 0.98, 42.5, 0.5, 25.5, 1.9),
    "E06000015": ("Derby", "E12000004", 252_000, 0.0050, 0.790, 0.97, 60.0, -1.0, 27.5, 0.9),
}

# England, the regions and Milton Keynes get their series written out; the
# other authorities follow a level and a slope plus noise.
VIOLENCE_SERIES = {  # DSR per 100,000, one a period
    "E92000001": [46.9, 44.6, 43.8, 44.1, 44.9],
    "E12000002": [58.2, 56.1, 55.4, 55.9, 56.8],
    "E12000004": [41.5, 40.2, 39.6, 40.4, 41.0],
    "E12000005": [49.8, 47.5, 46.3, 46.9, 47.8],
    "E12000006": [31.4, 30.2, 29.8, 30.5, 31.2],
    "E12000008": [33.9, 32.6, 32.1, 32.8, 33.6],
    "E12000009": [33.2, 31.8, 31.0, 31.6, 32.3],
    LA: [36.8, 37.9, 39.4, 40.1, 41.2],
}
ABUSE_SERIES = {  # crude rate per 1,000 aged 16+, one a year
    "E92000001": [20.6, 22.4, 23.6, 25.3, 27.1],
    "E12000002": [25.8, 27.9, 29.2, 31.0, 33.1],
    "E12000004": [20.1, 21.6, 22.9, 24.4, 26.0],
    "E12000005": [21.4, 23.0, 24.2, 26.1, 27.8],
    "E12000006": [16.3, 17.9, 19.1, 20.6, 22.3],
    "E12000008": [17.5, 19.0, 20.6, 22.0, 23.4],
    "E12000009": [17.9, 19.3, 20.4, 21.9, 23.5],
    LA: [16.9, 19.4, 22.1, 24.8, 27.9],
}

# (first financial year of the period, label); 3-year pooled for violence
VIOLENCE_PERIODS = [(y, f"{y}/{(y + 1) % 100:02d} - {(y + 2) % 100:02d}/{(y + 3) % 100:02d}")
                    for y in range(2012, 2017)]
ABUSE_PERIODS = [(y, f"{y}/{(y + 1) % 100:02d}") for y in range(2014, 2019)]

INDICATORS = [
    # id, name, age, per, polarity, kind, periods, range
    (11201, "Violent crime - hospital admissions for violence (including sexual violence)",
     "All ages", 100_000, "low", "dsr", VIOLENCE_PERIODS, "3y"),
    (90630, "Domestic abuse related incidents and crimes", "16+ yrs", 1_000, "none", "crude",
     ABUSE_PERIODS, "1y"),
]

ENGLAND_POP_2014 = 54_316_600
ENGLAND_GROWTH = 0.0075
ENGLAND_ADULT = 0.806


def population(base, growth, year):
    """Mid-year population for a financial year starting in `year`
    (the mid-2014 estimate serves 2014/15)."""
    return base * (1 + growth) ** (year - 2014)


def make_fingertips(out_dir):
    rng = random.Random(SEED)
    areas = [(ENGLAND[0], ENGLAND[1], "England", "", "", ENGLAND_POP_2014, ENGLAND_GROWTH,
              ENGLAND_ADULT, 1.0)]
    for code, (name, pop, g, adult) in sorted(REGIONS.items()):
        areas.append((code, name, "Region", ENGLAND[0], ENGLAND[1], pop, g, adult, 1.0))
    for code, row in sorted(LAS.items(), key=lambda kv: kv[1][0]):
        name, region, pop, g, adult, factor = row[:6]
        areas.append((code, name, "UA", region, REGIONS[region][0], pop, g, adult, factor))

    rows, mk = [], {}
    for ind_id, ind_name, age, per, polarity, kind, periods, span in INDICATORS:
        series = VIOLENCE_SERIES if kind == "dsr" else ABUSE_SERIES
        results = {}  # area code -> list of (label, sortable, value, lims, count, denom)
        for code, name, atype, pcode, pname, pop, g, adult, factor in areas:
            out = []
            if kind != "dsr":
                factor = 1.0  # a crude rate has no standardisation
            # one noise term a year, so that overlapping 3-year periods share
            # two of their three years as real pooled data do
            yearly = [rng.gauss(0, 1) for _ in range(len(periods) + 2)]
            for i, (year, label) in enumerate(periods):
                if kind == "dsr":
                    denom = round(sum(population(pop, g, y) for y in (year, year + 1, year + 2)))
                else:
                    denom = round(population(pop, g, year) * adult)
                if code in series:
                    target = series[code][i]
                else:
                    la = LAS[code]
                    level, slope = (la[6], la[7]) if kind == "dsr" else (la[8], la[9])
                    # noise of about one standard error of the rate
                    target = level + slope * (i - 2)
                    se = math.sqrt(target * denom / per / factor) / denom * per
                    if kind == "dsr":  # mean of 3 years' noise: SD se
                        target += se * sum(yearly[i:i + 3]) / math.sqrt(3)
                    else:
                        target += se * yearly[i]
                count = max(10, round(target / factor * denom / per))
                if kind == "dsr":
                    value, lims = dsr_rate(count, denom, per, factor, 1.12)
                else:
                    value, lims = crude_rate(count, denom, per)
                out.append((label, year * 10000, value, lims, count, denom))
            results[code] = out

        for code, name, atype, pcode, pname, pop, g, adult, factor in areas:
            vals = results[code]
            trend = recent_trend([r[2] for r in vals], [r[3][0][0] for r in vals],
                                 [r[3][0][1] for r in vals], polarity)
            for i, (label, sortable, value, lims, count, denom) in enumerate(vals):
                (lo95, hi95), (lo998, hi998) = lims
                eng = results[ENGLAND[0]][i][2]
                cmp_eng = cmp_reg = ""
                if code != ENGLAND[0]:
                    cmp_eng = compare(lo95, hi95, eng, polarity)
                if atype == "UA":
                    cmp_reg = compare(lo95, hi95, results[pcode][i][2], polarity)
                rows.append([
                    ind_id, ind_name, pcode, pname, code, name, atype, "Persons", age, "", "",
                    label, num(value), num(lo95), num(hi95), num(lo998), num(hi998), count,
                    denom, "", trend, cmp_eng, cmp_reg, sortable, "", "", span,
                ])
                if code == LA:
                    mk.setdefault(ind_id, []).append(
                        (label, value, lo95, hi95, count, denom, eng, cmp_eng, cmp_reg, trend))
    path = os.path.join(out_dir, "health", "fingertips-violence-mk.csv")
    write_csv(path, FINGERTIPS_HEADER, rows)
    return path, len(rows), mk


# ----------------------------------------------------------------- survey

# The 19 Milton Keynes wards of May 2014 (ONS codes, alphabetical), with an
# INVENTED adult population weight and an INVENTED deprivation score
# (0 = least, 1 = most deprived) used only to shape the answers.
WARDS = [
    ("E05009406", "Bletchley East", 12_400, 0.80),
    ("E05009407", "Bletchley Park", 11_900, 0.45),
    ("E05009408", "Bletchley West", 11_300, 0.60),
    ("E05009409", "Bradwell", 10_600, 0.55),
    ("E05009410", "Broughton", 9_800, 0.20),
    ("E05009411", "Campbell Park & Old Woughton", 12_100, 0.50),
    ("E05009412", "Central Milton Keynes", 8_900, 0.55),
    ("E05009413", "Danesborough & Walton", 11_700, 0.10),
    ("E05009414", "Loughton & Shenley", 11_800, 0.30),
    ("E05009415", "Monkston", 10_900, 0.20),
    ("E05009416", "Newport Pagnell North & Hanslope", 11_400, 0.15),
    ("E05009417", "Newport Pagnell South", 9_600, 0.30),
    ("E05009418", "Olney", 11_200, 0.05),
    ("E05009419", "Shenley Brook End", 11_500, 0.15),
    ("E05009420", "Stantonbury", 11_600, 0.75),
    ("E05009421", "Stony Stratford", 11_000, 0.25),
    ("E05009422", "Tattenhoe", 10_700, 0.15),
    ("E05009423", "Wolverton", 11_500, 0.60),
    ("E05009424", "Woughton & Fishermead", 10_100, 1.00),
]

AGES = ["16-24", "25-34", "35-44", "45-54", "55-64", "65+"]
# who answers: older people and women more than young men (relative odds)
AGE_RESPONSE = [0.45, 0.65, 0.85, 1.05, 1.25, 1.45]
SEX_RESPONSE = {"Female": 1.2, "Male": 0.9}

QUESTIONS = ["feel_safe_day", "feel_safe_night", "worried_asb", "worried_violence",
             "asb_problem", "confident_police_council"]
NO_ANSWER = {"feel_safe_day": 0.010, "feel_safe_night": 0.015, "worried_asb": 0.020,
             "worried_violence": 0.020, "asb_problem": 0.030, "confident_police_council": 0.050}
N_RESPONDENTS = 1200


def population_margins(pop_path):
    """Age-band and sex shares of the Milton Keynes population aged 16+,
    from the broad bands of population-milton-keynes.csv (16-29, 30-44,
    45-64, 65+) split evenly by single year of age into the survey's bands."""
    sums = {}
    with open(pop_path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for k, v in row.items():
                if k[:1] in "FM" and not k.endswith("0 to 15"):
                    sums[k] = sums.get(k, 0) + int(v)
    age = dict.fromkeys(AGES, 0.0)
    sex = {"Female": 0.0, "Male": 0.0}
    for s, prefix in (("Female", "F"), ("Male", "M")):
        b16, b30, b45, b65 = (sums[prefix + b] for b in
                              ("16 to 29", "30 to 44", "45 to 64", "65 and over"))
        age["16-24"] += b16 * 9 / 14
        age["25-34"] += b16 * 5 / 14 + b30 * 5 / 15
        age["35-44"] += b30 * 10 / 15
        age["45-54"] += b45 * 10 / 20
        age["55-64"] += b45 * 10 / 20
        age["65+"] += b65
        sex[s] = b16 + b30 + b45 + b65
    ta, ts = sum(age.values()), sum(sex.values())
    return {k: v / ta for k, v in age.items()}, {k: v / ts for k, v in sex.items()}


def pick(rng, weights):
    r = rng.random() * sum(weights)
    for i, w in enumerate(weights):
        r -= w
        if r < 0:
            return i
    return len(weights) - 1


def rake(people, margins, iterations=100):
    """Iterative proportional fitting of the weights to each margin's
    target shares; respondents with no category on a margin keep their
    weight in that step."""
    for _ in range(iterations):
        worst = 0.0
        for key, target in margins:
            tot = {}
            for p in people:
                c = p[key]
                if c in target:
                    tot[c] = tot.get(c, 0.0) + p["w"]
            covered = sum(tot.values())
            for p in people:
                c = p[key]
                if c in target:
                    f = target[c] * covered / tot[c]
                    worst = max(worst, abs(f - 1))
                    p["w"] *= f
        if worst < 1e-10:
            break


def logistic(x):
    return 1 / (1 + math.exp(-x))


def make_survey(out_dir, pop_path):
    rng = random.Random(SEED + 1)
    age_share, sex_share = population_margins(pop_path)
    ward_total = sum(w[2] for w in WARDS)
    ward_share = {w[0]: w[2] / ward_total for w in WARDS}

    people = []
    for i in range(N_RESPONDENTS):
        # wards: fewer responses from the deprived ones
        k = pick(rng, [w[2] * (1.15 - 0.45 * w[3]) for w in WARDS])
        code, _, _, dep = WARDS[k]
        u = rng.random()
        sex = "Prefer not to say" if u < 0.012 else "Female" if u < 0.012 + 0.988 * 0.56 \
            else "Male"
        # the deprived wards are younger
        age_odds = [s * r * (1 + 0.6 * dep * (1 - j / 3)) for j, (s, r) in
                    enumerate(zip((age_share[a] for a in AGES), AGE_RESPONSE))]
        age = AGES[pick(rng, age_odds)]
        people.append({"id": f"R{i + 1:04d}", "area": code, "dep": dep, "age": age,
                       "sex": sex, "w": 1.0, "fear": rng.gauss(0, 1)})

    margins = [("age", age_share), ("sex", sex_share), ("area", ward_share)]
    for _ in range(5):  # rake, trim to 0.3-3, rake again
        rake(people, margins)
        mean = sum(p["w"] for p in people) / len(people)
        for p in people:
            p["w"] = min(3.0, max(0.3, p["w"] / mean))
    mean = sum(p["w"] for p in people) / len(people)
    for p in people:
        p["w"] /= mean

    rows = []
    for p in people:
        d, a, f = p["dep"], AGES.index(p["age"]), p["fear"]
        female = {"Female": 1.0, "Male": 0.0}.get(p["sex"], 0.5)
        old, older = a == 5, a >= 4
        young = a == 0
        logits = {
            "feel_safe_day": 3.0 - 1.1 * d - 0.35 * f - 0.3 * old,
            "feel_safe_night": 1.45 - 0.85 * female - 0.35 * (a == 4) - 0.75 * old
            + 0.25 * young * (1 - female) - 1.2 * d - 0.8 * f,
            "worried_asb": -1.45 + 1.7 * d + 0.2 * female + 0.25 * older + 0.7 * f,
            "worried_violence": -1.7 + 1.3 * d + 0.4 * female + 0.25 * young + 0.75 * f,
            "asb_problem": -2.0 + 2.2 * d + 0.15 * older + 0.5 * f,
            "confident_police_council": 0.45 - 0.9 * d + 0.3 * old - 0.15 * young - 0.45 * f,
        }
        answers = []
        for q in QUESTIONS:
            if rng.random() < NO_ANSWER[q] * (1.5 if old else 1.0):
                answers.append("")
            else:
                answers.append("Yes" if rng.random() < logistic(logits[q]) else "No")
        rows.append([p["id"], p["area"], num(p["w"], 3), p["age"], p["sex"]] + answers)
    path = os.path.join(out_dir, "survey", "community-survey-2018.csv")
    write_csv(path, ["respondent id", "area code", "weight", "age band", "sex"] + QUESTIONS,
              rows)
    return path, len(rows), [float(r[2]) for r in rows]


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = sys.argv[1] if len(sys.argv) > 1 else here
    path, n, mk = make_fingertips(out_dir)
    print(f"{path}: {n} data rows")
    for ind, series in mk.items():
        print(f"  Milton Keynes, indicator {ind}:")
        for label, v, lo, hi, c, d, eng, ce, cr, tr in series:
            print(f"    {label:16} {v:7.2f} ({lo:6.2f}-{hi:6.2f}) count {c:6d} denominator "
                  f"{d:9d} England {eng:6.2f}  {ce} vs England, {cr} vs region; {tr}")
    path, n, w = make_survey(out_dir, os.path.join(here, "population-milton-keynes.csv"))
    print(f"{path}: {n} respondents, weights {min(w):.3f}-{max(w):.3f}, "
          f"mean {sum(w) / len(w):.4f}")


if __name__ == "__main__":
    main()
