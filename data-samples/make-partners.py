#!/usr/bin/python3
"""Write the three SYNTHETIC partner extracts for Milton Keynes (E06000042).

Usage (from the repository root):

    /usr/bin/python3 data-samples/make-partners.py [OUT_DIR]

OUT_DIR defaults to the directory holding this script.  It writes, into
OUT_DIR/partners/,

    fire-deliberate-fires-SYNTHETIC.csv  fire and rescue deliberate primary and
                                         secondary fires, counts by LSOA and
                                         month (csa's `indicator` spec)
    council-asb-SYNTHETIC.csv            council anti-social behaviour
                                         incident records (`partner-incidents`)
    ae-assaults-SYNTHETIC.csv            emergency department attendances for
                                         assault with arrival times, venue and
                                         weapon as the ISTV standard records
                                         them (`partner-incidents`)

each over January 2017 to December 2018 (the sample period Oct-Dec 2018, its
comparison year Oct-Dec 2017, and the year before the period for the SPC
limits), from the LSOAs and deciles of imd2019-milton-keynes.csv beside this
script.

NOTHING IN THESE FILES IS REAL DATA.  LSOA codes are real; every count, date,
time, venue and weapon is invented here from fixed parameters and a fixed
random seed, so the output is the same bytes on every run (Python 3,
standard library only; LF line ends).

The shapes are set to be plausible for a town of 270,000:
  * deliberate fires: about 120 primary and 520 secondary a year, secondary
    fires peaking in spring and summer and around Bonfire Night, more in the
    more deprived LSOAs, 2018 about a quarter up on 2017;
  * council ASB: about 2,700 reports a year, in the day and evening, by
    deprivation, 2018 about the same as 2017;
  * A&E assaults: about 900 attendances a year, peaking on Friday and
    Saturday nights from 22:00 to 03:00, a third of them in the town centre
    LSOAs (Milton Keynes 021) and in pubs, clubs and the street there, 2018
    about 15% up on 2017.
Some rows of the ASB and A&E files have no LSOA (no location recorded) and
some A&E rows no time, as real extracts do.
"""

import csv
import math
import os
import random
import sys

SEED = 20181231
MONTHS = [(y, m) for y in (2017, 2018) for m in range(1, 13)]


def days_in(y, m):
    return (30 if m in (4, 6, 9, 11) else 31) if m != 2 else (29 if y % 4 == 0 else 28)


def poisson(rng, mean):
    # Knuth's method for small means, a rounded normal for large ones
    if mean > 50:
        return max(0, int(round(rng.gauss(mean, math.sqrt(mean)))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def load_lsoas(folder):
    path = os.path.join(folder, "imd2019-milton-keynes.csv")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    out = []
    for r in rows:
        if r["Local Authority District code (2019)"] != "E06000042":
            continue
        out.append((r["LSOA code (2011)"], r["LSOA name (2011)"],
                    int(r["Index of Multiple Deprivation (IMD) Decile"])))
    return out


def deprivation_weight(decile):
    # about three times the rate in the most deprived decile as in the least
    return 3.0 - 2.0 * (decile - 1) / 9


def pick(rng, items, weights):
    total = sum(weights)
    x = rng.random() * total
    for item, w in zip(items, weights):
        x -= w
        if x <= 0:
            return item
    return items[-1]


def fires(rng, lsoas):
    rows = []
    weights = [deprivation_weight(d) for _, _, d in lsoas]
    wsum = sum(weights)
    # secondary fires by month of the year: spring and summer, and November
    season = [0.8, 0.8, 1.2, 1.5, 1.4, 1.3, 1.3, 1.2, 0.9, 0.9, 1.4, 0.9]
    for y, m in MONTHS:
        growth = 1.25 if y == 2018 else 1.0
        for measure, per_year, shape in (("deliberate secondary fires", 520, season),
                                         ("deliberate primary fires", 120, [1] * 12)):
            month_mean = per_year / 12 * shape[m - 1] / (sum(shape) / 12) * growth
            for (code, _, _), w in zip(lsoas, weights):
                n = poisson(rng, month_mean * w / wsum)
                if n:
                    rows.append([code, f"{y}-{m:02d}", measure, n])
    return ["area code", "period", "measure", "count"], rows


ASB_CATEGORIES = [("rowdy or inconsiderate behaviour", 40), ("noise nuisance", 25),
                  ("neighbour dispute", 15), ("vehicle nuisance", 10),
                  ("drug related", 10)]
ASB_VENUES = [("residential", 45), ("street", 25), ("park or open space", 15),
              ("shop or commercial premises", 10), ("public transport", 5)]


def asb(rng, lsoas):
    rows = []
    weights = [deprivation_weight(d) for _, _, d in lsoas]
    hours = [1, 0.6, 0.4, 0.3, 0.3, 0.3, 0.5, 1, 2, 3, 4, 4.5, 5, 5, 5, 5.5, 6.5, 7.5, 8,
             8, 7.5, 6, 4, 2]
    seq = 0
    for y, m in MONTHS:
        summer = 1.2 if m in (5, 6, 7, 8) else 1.0
        n = poisson(rng, 2700 / 12 * summer)
        for _ in range(n):
            seq += 1
            day = rng.randint(1, days_in(y, m))
            hour = pick(rng, list(range(24)), hours)
            code = "" if rng.random() < 0.03 else pick(rng, lsoas, weights)[0]
            cat = pick(rng, [c for c, _ in ASB_CATEGORIES], [w for _, w in ASB_CATEGORIES])
            venue = pick(rng, [v for v, _ in ASB_VENUES], [w for _, w in ASB_VENUES])
            rows.append([f"MKC-ASB-{y}-{seq:05d}", f"{y}-{m:02d}-{day:02d}",
                         f"{hour:02d}:{rng.randint(0, 59):02d}", code, cat, venue])
    return ["incident id", "date", "time", "LSOA code", "category", "venue"], rows


AE_VENUES = [("street", 35), ("pub or club", 25), ("home", 20), ("other public place", 10),
             ("workplace", 5), ("not known", 5)]
AE_WEAPONS = [("fist or feet", 55), ("bottle or glass", 10), ("knife or sharp object", 8),
              ("blunt object", 7), ("other", 5), ("", 15)]


def night_weight(weekday, hour):
    """Relative attendances by day (0 Monday) and hour: the night-time
    economy's Friday and Saturday nights, 22:00 to 03:00 (the small hours
    fall on Saturday and Sunday)."""
    base = 1.0 if 9 <= hour <= 21 else 0.6
    night = hour >= 22 or hour <= 2
    weekend_night = (weekday in (4, 5) and hour >= 22) or (weekday in (5, 6) and hour <= 2)
    if weekend_night:
        return base * 9
    if night:
        return base * 2
    return base


def weekday_of(y, m, d):
    # 0 Monday, by the days since 1970-01-01 (a Thursday)
    import datetime
    return datetime.date(y, m, d).weekday()


def ae(rng, lsoas):
    rows = []
    weights = [deprivation_weight(d) for _, _, d in lsoas]
    centre = [code for code, name, _ in lsoas if name.startswith("Milton Keynes 021")]
    seq = 0
    for y, m in MONTHS:
        growth = 1.15 if y == 2018 else 1.0
        slots = [(d, h) for d in range(1, days_in(y, m) + 1) for h in range(24)]
        sw = [night_weight(weekday_of(y, m, d), h) for d, h in slots]
        n = poisson(rng, 900 / 12 * growth)
        for _ in range(n):
            seq += 1
            d, h = pick(rng, slots, sw)
            night = night_weight(weekday_of(y, m, d), h) > 5
            in_centre = centre and rng.random() < (0.6 if night else 0.15)
            if rng.random() < 0.02:
                code = ""
            elif in_centre:
                code = rng.choice(centre)
            else:
                code = pick(rng, lsoas, weights)[0]
            venues = AE_VENUES if not night else [("street", 45), ("pub or club", 45),
                                                  ("other public place", 10)]
            venue = pick(rng, [v for v, _ in venues], [w for _, w in venues])
            weapon = pick(rng, [w for w, _ in AE_WEAPONS], [k for _, k in AE_WEAPONS])
            time = "" if rng.random() < 0.02 else f"{h:02d}:{rng.randint(0, 59):02d}"
            rows.append([f"ED-{y}-{seq:05d}", f"{y}-{m:02d}-{d:02d}", time, code, "assault",
                         venue, weapon])
    return ["incident id", "date", "time", "LSOA code", "category", "venue", "weapon"], rows


def write(path, header, rows):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    os.replace(tmp, path)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else here
    os.makedirs(os.path.join(out, "partners"), exist_ok=True)
    lsoas = load_lsoas(here)
    for name, make, seed in (("fire-deliberate-fires-SYNTHETIC.csv", fires, 1),
                             ("council-asb-SYNTHETIC.csv", asb, 2),
                             ("ae-assaults-SYNTHETIC.csv", ae, 3)):
        header, rows = make(random.Random(SEED + seed), lsoas)
        write(os.path.join(out, "partners", name), header, rows)


if __name__ == "__main__":
    main()
