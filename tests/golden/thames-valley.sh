#!/bin/bash
# csa rates over the three whole Thames Valley months in ../shared/data
# with --la E06000042, against tests/golden/expected/mk-counts.csv and
# mk-accounting.txt, which tests/golden/compute-expected.py computed from
# the same files with Python's csv module (no code shared with csa).
# The issue allows this test to depend on ../shared; without it, it skips.
set -eu
csa=$(realpath "$1") src=$(realpath "$2")
data=${CSA_SHARED_DATA:-$src/../shared/data}
[ -d "$data/police" ] || { echo "skip: $data not present"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$csa" rates --crimes "$data"/police/2018-1[012]-thames-valley-street.csv \
    --imd "$data/geo/imd2019-lsoa.csv" --population "$data/geo/population-lsoa-mid2015.csv" \
    --la E06000042 --out "$tmp/out" 2> "$tmp/stderr"
cat "$tmp/stderr"
acc=$src/tests/golden/expected/mk-accounting.txt
fail=0
for pair in "Rows read:rows" "Accepted:accepted" "Without LSOA:without_lsoa" \
            "Outside E06000042:outside" "No population:no_population" "Rejected:rejected"; do
    label=${pair%%:*} key=${pair##*:}
    want=$(sed -n "s/^$key //p" "$acc")
    got=$(sed -n "s/^  $label  *//p" "$tmp/stderr" | tr -d ,)
    [ "$got" = "$want" ] || { echo "FAIL: $label is $got, expected $want"; fail=1; }
done
/usr/bin/python3 - "$tmp/out/rates.csv" "$src/tests/golden/expected/mk-counts.csv" <<'PY' || fail=1
import csv, sys
got = [r[:4] for r in csv.reader(open(sys.argv[1], newline=""))]
want = list(csv.reader(open(sys.argv[2], newline="")))
if got != want:
    print("FAIL: counts differ from the expected file")
    sys.exit(1)
PY

# csa run against the Berkshire unitaries and Milton Keynes as a comparator
# made of LAs: its rate recomputed here from the raw files
cat > "$tmp/tv.ini" <<INI
[assessment]
area = Milton Keynes
la_code = E06000042
period = 2018-10 to 2018-12
comparator = Berkshire unitaries and Milton Keynes
comparator_areas = E06000036 E06000037 E06000038 E06000039 E06000040 E06000041 E06000042
deprivation = imd
population = population
[input.police]
spec = police-street
files = $data/police/2018-1[012]-thames-valley-street.csv
[input.imd]
spec = imd
files = $data/geo/imd2019-lsoa.csv
[input.population]
spec = population
files = $data/geo/population-lsoa-mid2015.csv
[indicator.violence]
title = Violence and sexual offences
input = police
crime_types = Violence and sexual offences
INI
"$csa" run "$tmp/tv.ini" --out "$tmp/run" --quiet || { echo "FAIL: csa run"; fail=1; }
/usr/bin/python3 - "$data" "$tmp/run/summary.csv" <<'PY' || fail=1
import csv, glob, sys
data, summary = sys.argv[1], sys.argv[2]
las = {"E06000036", "E06000037", "E06000038", "E06000039", "E06000040", "E06000041", "E06000042"}
la_of = {}
with open(f"{data}/geo/imd2019-lsoa.csv", encoding="utf-8-sig") as f:
    for r in csv.DictReader(f):
        la_of[r["LSOA code (2011)"]] = r["Local Authority District code (2019)"]
with open(f"{data}/geo/population-lsoa-mid2015.csv") as f:
    pop = {r["lsoa"]: int(r["Total"]) for r in csv.DictReader(f) if int(r["Total"]) > 0}
cmp = {c for c, la in la_of.items() if la in las and c in pop}
crimes = 0
for path in sorted(glob.glob(f"{data}/police/2018-1[012]-thames-valley-street.csv")):
    with open(path) as f:
        crimes += sum(1 for r in csv.DictReader(f)
                      if r["Crime type"] == "Violence and sexual offences" and r["LSOA code"] in cmp)
want = f"{crimes / sum(pop[c] for c in cmp) * 1000:.4f}"
row = next(csv.DictReader(open(summary)))
print("comparator rate", row["Comparator value"], "expected", want, "from", crimes, "crimes")
if row["Comparator value"] != want:
    print("FAIL: comparator rate")
    sys.exit(1)
PY
exit $fail
