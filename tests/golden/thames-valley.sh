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
exit $fail
