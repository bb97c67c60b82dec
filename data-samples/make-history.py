#!/usr/bin/env python3
"""Write the GENERATED police history of the sample: 33 months, January 2016
to September 2018, before the three real months (October to December 2018).

Each generated month is made of rows drawn (with replacement) from the real
rows of the same crime type in police/2018-1[012]-milton-keynes-street.csv,
so the crime-type mix, the LSOAs, the places and the outcomes are those of
the real months. Only the volumes are invented, from known rules:

  expected count of type k in month m
      = base_k * (1 + trend_k) ** t * season(m)
  base_k    the real months' mean count of type k, divided by the mean
            season of October to December (so the year's mean is base_k)
  t         years from November 2018 to month m (negative before it)
  trend_k   TRENDS below: the true yearly change of each type
  season(m) 1 + SEASON * cos(2 pi (m - 7) / 12): a peak in July
and the count drawn from a Poisson distribution with that mean. The Month
is rewritten; Crime IDs are fresh (SHA-256 of "csa-generated/MONTH/N"),
blank where the real row's was (anti-social behaviour). Python 3 standard
library only; the same seed gives the same bytes.

    python3 data-samples/make-history.py      (writes police-history/)
"""
import csv
import glob
import hashlib
import math
import os
import random
import sys

SEED = 2016
SEASON = 0.10
TRENDS = {  # true yearly change; types not named change by OTHER
    "Violence and sexual offences": 0.06,
    "Anti-social behaviour": -0.12,
    "Burglary": -0.08,
    "Vehicle crime": 0.03,
    "Criminal damage and arson": 0.0,
}
OTHER = -0.02
FIRST, N = (2016, 1), 33


def season(month):
    return 1 + SEASON * math.cos(2 * math.pi * (month - 7) / 12)


def poisson(rng, mean):
    # Knuth's product of uniforms, in steps of 500 so exp() never underflows
    k, left = 0, mean
    while left > 0:
        step = min(left, 500.0)
        left -= step
        limit, p = math.exp(-step), 1.0
        while True:
            p *= rng.random()
            if p <= limit:
                break
            k += 1
    return k


def main(police, out):
    real = sorted(glob.glob(os.path.join(police, "2018-1[012]-*street.csv")))
    if len(real) != 3:
        sys.exit(f"make-history: expected the three real months in {police}")
    pool, header = {}, None
    for f in real:
        with open(f, newline="") as fh:
            header, *rows = csv.reader(fh)
        for r in rows:
            pool.setdefault(r[9], []).append(r)
    autumn = (season(10) + season(11) + season(12)) / 3
    rng = random.Random(SEED)
    for i in range(N):
        y, m = FIRST[0] + (FIRST[1] - 1 + i) // 12, (FIRST[1] - 1 + i) % 12 + 1
        month = f"{y}-{m:02d}"
        t = (y * 12 + m - (2018 * 12 + 11)) / 12
        drawn = []
        for k in sorted(pool):
            base = len(pool[k]) / 3 / autumn
            mean = base * (1 + TRENDS.get(k, OTHER)) ** t * season(m)
            drawn += [rng.choice(pool[k]) for _ in range(poisson(rng, mean))]
        rng.shuffle(drawn)
        path = os.path.join(out, f"{month}-milton-keynes-street-generated.csv")
        with open(path, "w", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(header)
            for n, r in enumerate(drawn):
                r = list(r)
                r[1] = month
                if r[0]:
                    r[0] = hashlib.sha256(f"csa-generated/{month}/{n}".encode()).hexdigest()
                w.writerow(r)


if __name__ == "__main__":
    here = os.path.dirname(os.path.abspath(__file__))
    os.makedirs(os.path.join(here, "police-history"), exist_ok=True)
    main(os.path.join(here, "police"), os.path.join(here, "police-history"))
