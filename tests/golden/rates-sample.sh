#!/bin/bash
# csa rates on data-samples: outputs against the independently computed
# expected counts (tests/golden/compute-expected.py), the row accounting on
# stderr, and the workbook and chart by value.
set -eu
csa=$(realpath "$1") src=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
run() {
    SOURCE_DATE_EPOCH=1700000000 "$csa" rates --crimes "$src"/data-samples/police/*.csv \
        --imd "$src/data-samples/imd2019-milton-keynes.csv" \
        --population "$src/data-samples/population-milton-keynes.csv" \
        --la E06000042 --out "$1"
}
run "$tmp/out" 2> "$tmp/stderr"
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
printf 'manifest.json\nrates-by-decile.png\nrates.csv\nrates.xlsx\n' | diff - "$tmp/files" || fail=1
# the manifest: every output and input with its digest; inputs found from the output folder
/usr/bin/python3 - "$tmp/out" <<'PY' || fail=1
import hashlib, json, os, sys
out = sys.argv[1]
m = json.load(open(f"{out}/manifest.json"))
bad = []
if m["command"] != "rates" or m["created"] != "2023-11-14T22:13:20Z":
    bad.append(f"header {m['command']} {m['created']}")
if [o["path"] for o in m["outputs"]] != ["rates.csv", "rates.xlsx", "rates-by-decile.png"]:
    bad.append(f"outputs {[o['path'] for o in m['outputs']]}")
for entry in m["outputs"] + m["inputs"]:
    data = open(os.path.join(out, entry["path"]), "rb").read()
    if hashlib.sha256(data).hexdigest() != entry["sha256"] or len(data) != entry["bytes"]:
        bad.append(f"digest of {entry['path']}")
rows = [(i["spec"], i["rows"]) for i in m["inputs"]]
if rows != [("police-street", 2124), ("police-street", 2072), ("police-street", 1898),
            ("imd", 152), ("population", 166)]:
    bad.append(f"inputs {rows}")
if any(i["path"].startswith("/") for i in m["inputs"]):
    bad.append("absolute input path")
for b in bad:
    print("FAIL: manifest:", b)
sys.exit(1 if bad else 0)
PY
# the same inputs give the same bytes, in another folder at the same depth and later
again=$(mktemp -d)
sleep 1
run "$again/out" 2> /dev/null
for f in rates.csv rates.xlsx rates-by-decile.png manifest.json; do
    cmp -s "$tmp/out/$f" "$again/out/$f" || { echo "FAIL: $f differs between runs"; fail=1; }
done
rm -rf "$again"
# the whole table, rates included, is stable from run to run
diff "$src/tests/golden/expected/mk-rates.csv" "$tmp/out/rates.csv" || fail=1
/usr/bin/python3 "$src/tests/golden/check-outputs.py" "$tmp/out" \
    "$src/tests/golden/expected/mk-counts.csv" || fail=1
exit $fail
