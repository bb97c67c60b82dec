#!/usr/bin/python3
"""Independent reference computation of the expected `csa` results for one LA.

This script is deliberately independent of the C implementation of `csa`: it
shares no code, no parser and no tables with it.  It uses only the Python
standard library (the `csv` module for all CSV parsing) and is meant to be run
with /usr/bin/python3.  Its outputs are the golden files that the C tool's
output is compared against.

Usage (from the repository root):

    /usr/bin/python3 tests/golden/compute-expected.py \\
        --police POLICE.csv [POLICE.csv ...] \\
        --imd IMD.csv --population POPULATION.csv \\
        --counts tests/golden/expected/mk-counts.csv \\
        --accounting tests/golden/expected/mk-accounting.txt \\
        [--la E06000042]

The golden files in tests/golden/expected/ were produced from the full source
files:

    /usr/bin/python3 tests/golden/compute-expected.py \\
        --police /work/shared/data/police/2018-1{0,1,2}-thames-valley-street.csv \\
        --imd /work/shared/data/geo/imd2019-lsoa.csv \\
        --population /work/shared/data/geo/population-lsoa-mid2015.csv \\
        --counts tests/golden/expected/mk-counts.csv \\
        --accounting tests/golden/expected/mk-accounting.txt

How the expected values are computed
------------------------------------
Inputs are read as UTF-8 with the `utf-8-sig` codec (so a leading BOM, as in
the IMD file, is dropped from the first header name), with newline="" so that
CRLF and LF line endings are both handled by the csv module.  Columns are
found by header name.

1. IMD file: every row whose "Local Authority District code (2019)" equals the
   LA code (default E06000042, Milton Keynes) defines one LA LSOA
   ("LSOA code (2011)") with its decile ("Index of Multiple Deprivation (IMD)
   Decile", an integer 1..10).  Rows of other LAs are ignored.

2. Population file: a map lsoa -> int(Total) built from ALL rows, whatever
   their `la` column says (duplicate lsoa codes are an error).

3. Police files: every data row (header excluded) of every file is counted in
   `rows` and put in exactly one class, tested in this order:
     - "LSOA code" blank (empty after stripping spaces)  -> without_lsoa
     - LSOA not one of the LA LSOAs from step 1          -> outside
     - LSOA has no row in the population map (step 2),
       or a Total of 0 there                             -> no_population
     - otherwise                                         -> accepted
   An accepted row counts once for ("All crime", decile of its LSOA) and once
   for (its "Crime type", decile of its LSOA).  Anti-social behaviour is a
   crime type like any other.  Nothing is deduplicated (rows with a blank
   Crime ID, which is every ASB row, are ordinary rows), and Month is not
   filtered.  `rejected` (malformed rows) is expected to be 0; any malformed
   row (wrong field count) makes this script fail rather than be counted.

4. Population of decile d = sum of Total over the LA LSOAs (step 1) in decile
   d that have a population row (step 2) with a Total above 0, whether or not
   they have crimes.

Outputs
-------
counts (CSV, LF line endings, header `Crime type,IMD decile,Count,Population`):
ten rows for "All crime" (deciles 1..10), then, for each crime type that
occurs among accepted rows, in Python's default str sort order (byte order for
these ASCII names), ten rows for deciles 1..10.  Deciles with a zero count or
zero population are written with 0.  Fields are written with the csv module
(minimal quoting; none of the current crime types needs quotes).

accounting (text, LF line endings), one `name value` per line:
    files <number of police files>
    rows <data rows read>
    accepted <n>
    without_lsoa <n>
    outside <n>
    no_population <n>
    rejected 0
    unpopulated <comma-separated sorted LSOA codes of the no_population rows>
The script asserts rows == accepted + without_lsoa + outside + no_population
+ rejected, and that "All crime" counts sum to accepted.
"""

import argparse
import csv
import os
import sys

DEFAULT_LA = "E06000042"

IMD_LSOA = "LSOA code (2011)"
IMD_LA = "Local Authority District code (2019)"
IMD_DECILE = "Index of Multiple Deprivation (IMD) Decile"
POLICE_LSOA = "LSOA code"
POLICE_TYPE = "Crime type"
POP_LSOA = "lsoa"
POP_TOTAL = "Total"
ALL_CRIME = "All crime"
DECILES = range(1, 11)


def read_rows(path):
    """Yield (header, dict) rows of a CSV file, checking the field count."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh, strict=True)
        header = next(reader)
        for row in reader:
            if len(row) != len(header):
                raise SystemExit("%s:%d: %d fields, header has %d"
                                 % (path, reader.line_num, len(row), len(header)))
            yield dict(zip(header, row))


def load_imd(path, la):
    deciles = {}
    for rec in read_rows(path):
        if rec[IMD_LA] != la:
            continue
        lsoa = rec[IMD_LSOA]
        decile = int(rec[IMD_DECILE])
        if not 1 <= decile <= 10:
            raise SystemExit("%s: bad decile %r for %s" % (path, rec[IMD_DECILE], lsoa))
        if lsoa in deciles:
            raise SystemExit("%s: duplicate LSOA %s" % (path, lsoa))
        deciles[lsoa] = decile
    if not deciles:
        raise SystemExit("%s: no LSOAs for LA %s" % (path, la))
    return deciles


def load_population(path):
    pop = {}
    for rec in read_rows(path):
        lsoa = rec[POP_LSOA]
        if lsoa in pop:
            raise SystemExit("%s: duplicate lsoa %s" % (path, lsoa))
        pop[lsoa] = int(rec[POP_TOTAL])
    return pop


def compute(police_paths, imd_path, pop_path, la):
    decile_of = load_imd(imd_path, la)
    pop = load_population(pop_path)

    acc = {"rows": 0, "accepted": 0, "without_lsoa": 0, "outside": 0,
           "no_population": 0, "rejected": 0}
    unpopulated = set()
    counts = {}  # (crime type, decile) -> count
    for path in police_paths:
        for rec in read_rows(path):
            acc["rows"] += 1
            lsoa = rec[POLICE_LSOA]
            if lsoa.strip() == "":
                acc["without_lsoa"] += 1
            elif lsoa not in decile_of:
                acc["outside"] += 1
            elif pop.get(lsoa, 0) == 0:
                acc["no_population"] += 1
                unpopulated.add(lsoa)
            else:
                acc["accepted"] += 1
                d = decile_of[lsoa]
                for key in ((ALL_CRIME, d), (rec[POLICE_TYPE], d)):
                    counts[key] = counts.get(key, 0) + 1

    assert acc["rows"] == (acc["accepted"] + acc["without_lsoa"] + acc["outside"]
                           + acc["no_population"] + acc["rejected"]), acc

    decile_pop = {d: 0 for d in DECILES}
    for lsoa, d in decile_of.items():
        if pop.get(lsoa, 0) > 0:
            decile_pop[d] += pop[lsoa]

    types = sorted({t for (t, _d) in counts if t != ALL_CRIME})
    table = []
    for t in [ALL_CRIME] + types:
        for d in DECILES:
            table.append((t, d, counts.get((t, d), 0), decile_pop[d]))
    assert sum(r[2] for r in table if r[0] == ALL_CRIME) == acc["accepted"]
    assert sum(r[2] for r in table if r[0] != ALL_CRIME) == acc["accepted"]

    lines = ["files %d" % len(police_paths)]
    for k in ("rows", "accepted", "without_lsoa", "outside", "no_population", "rejected"):
        lines.append("%s %d" % (k, acc[k]))
    lines.append("unpopulated %s" % ",".join(sorted(unpopulated)))
    return table, lines


def write_atomic(path, text):
    d = os.path.dirname(path)
    if d:
        os.makedirs(d, exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", newline="", encoding="utf-8") as fh:
        fh.write(text)
    os.replace(tmp, path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--police", nargs="+", required=True, help="police.uk street CSV files")
    ap.add_argument("--imd", required=True, help="IMD 2019 File 1 LSOA CSV")
    ap.add_argument("--population", required=True, help="LSOA population CSV")
    ap.add_argument("--counts", required=True, help="output counts CSV")
    ap.add_argument("--accounting", required=True, help="output accounting text file")
    ap.add_argument("--la", default=DEFAULT_LA, help="LA code (default %(default)s)")
    args = ap.parse_args(argv)

    table, lines = compute(args.police, args.imd, args.population, args.la)

    import io
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Crime type", "IMD decile", "Count", "Population"])
    w.writerows(table)
    write_atomic(args.counts, buf.getvalue())
    write_atomic(args.accounting, "".join(l + "\n" for l in lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
