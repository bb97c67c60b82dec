#!/bin/bash
# csa rates on data-samples: outputs against the independently computed
# expected counts (tests/golden/compute-expected.py), the row accounting on
# stderr, and the workbook and chart by value.
set -eu
csa=$(realpath "$1") src=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$csa" rates --crimes "$src"/data-samples/police/*.csv \
    --imd "$src/data-samples/imd2019-milton-keynes.csv" \
    --population "$src/data-samples/population-milton-keynes.csv" \
    --la E06000042 --out "$tmp/out" 2> "$tmp/stderr"
cat "$tmp/stderr"
fail=0
expect() { grep -qF -- "$1" "$tmp/stderr" || { echo "FAIL: stderr lacks: $1"; fail=1; }; }
expect "csa rates: 3 crime files"
expect "  Rows read                6,094"
expect "  Accepted                 5,671"
expect "  Without LSOA                 0"
expect "  Outside E06000042            0"
expect "  No population              423"
expect "  Rejected                     0"
unpop=$(sed -n 's/^unpopulated //p' "$src/tests/golden/expected/mk-accounting.txt")
got=$(grep -o 'E01[0-9]* ([0-9]*)' "$tmp/stderr" | cut -d' ' -f1 | paste -sd,)
[ "$got" = "$unpop" ] || { echo "FAIL: unpopulated LSOAs $got, expected $unpop"; fail=1; }
expect "csa: warning: 423 crimes in 9 LSOAs of E06000042 with no population row"
ls -A "$tmp/out" | sort > "$tmp/files"
printf 'rates-by-decile.png\nrates.csv\nrates.xlsx\n' | diff - "$tmp/files" || fail=1
# the whole table, rates included, is stable from run to run
diff "$src/tests/golden/expected/mk-rates.csv" "$tmp/out/rates.csv" || fail=1
/usr/bin/python3 "$src/tests/golden/check-outputs.py" "$tmp/out" \
    "$src/tests/golden/expected/mk-counts.csv" || fail=1
exit $fail
