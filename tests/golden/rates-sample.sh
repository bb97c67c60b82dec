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
expect "csa: warning: 423 crimes in 9 LSOAs of E06000042 with no population (no row, or 0)"
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
# A population of 0 is no population (csa help rates): the eight LSOAs of
# decile 1 and E01016710 (decile 4) given 0 residents. Their crimes are left
# out and named, decile 1 has no rate; the expected figures come from
# compute-expected.py, which applies the rule to the inputs independently.
zero="E01016742 E01016744 E01016811 E01016842 E01016843 E01016844 E01016845 E01016847 E01016710"
awk -F, -v OFS=, -v z="$zero" 'BEGIN { n = split(z, a, " "); for (i = 1; i <= n; i++) zero[a[i]] = 1 }
    NR > 1 && ($2 in zero) { $3 = 0 } { print }' \
    "$src/data-samples/population-milton-keynes.csv" > "$tmp/pop-zero.csv"
/usr/bin/python3 "$src/tests/golden/compute-expected.py" --police "$src"/data-samples/police/*.csv \
    --imd "$src/data-samples/imd2019-milton-keynes.csv" --population "$tmp/pop-zero.csv" \
    --counts "$tmp/zero-counts.csv" --accounting "$tmp/zero-accounting.txt" || fail=1
"$csa" rates --crimes "$src"/data-samples/police/*.csv \
    --imd "$src/data-samples/imd2019-milton-keynes.csv" --population "$tmp/pop-zero.csv" \
    --la E06000042 --out "$tmp/zero" 2> "$tmp/zero-stderr" ||
    { echo "FAIL: the run with 0 populations failed"; cat "$tmp/zero-stderr"; fail=1; }
/usr/bin/python3 "$src/tests/golden/check-outputs.py" "$tmp/zero" "$tmp/zero-counts.csv" || fail=1
/usr/bin/python3 - "$tmp/zero-accounting.txt" "$tmp/zero-stderr" <<'PY' || fail=1
import re, sys
want = dict(l.split(" ", 1) for l in open(sys.argv[1]).read().splitlines())
err = open(sys.argv[2]).read()
bad = []
for key, label in [("rows", "Rows read"), ("accepted", "Accepted"),
                   ("no_population", "No population"), ("rejected", "Rejected")]:
    m = re.search(r"^  %s +([0-9,]+)$" % label, err, re.M)
    if not m or int(m.group(1).replace(",", "")) != int(want[key]):
        bad.append(f"{label}: {m and m.group(1)}, expected {want[key]}")
codes = want["unpopulated"].split(",")
m = re.search(r"^csa: warning: ([0-9]+) crimes in ([0-9]+) LSOAs of E06000042 with no "
              r"population \(no row, or 0\) are left out of the rates: (.*)$", err, re.M)
if not m or int(m.group(1)) != int(want["no_population"]) or int(m.group(2)) != len(codes) \
        or [c.split(" ")[0] for c in m.group(3).split(", ")] != codes:
    bad.append(f"warning {m and m.group(0)}, expected {want['no_population']} crimes in {codes}")
for b in bad:
    print("FAIL: 0 populations:", b)
sys.exit(1 if bad else 0)
PY
grep -q '^All crime,1,0,0,,,,no residents in this decile: no rate$' "$tmp/zero/rates.csv" ||
    { echo "FAIL: decile 1 with 0 residents has a rate"; fail=1; }

# the same month given twice (a download saved again as "... (1).csv")
# stops csa rates, naming both files, and writes nothing (issue 14 case 3)
mkdir "$tmp/twice"
cp "$src/data-samples/police/2018-10-milton-keynes-street.csv" "$tmp/twice/oct.csv"
cp "$src/data-samples/police/2018-10-milton-keynes-street.csv" "$tmp/twice/oct (1).csv"
cp "$src/data-samples/police/2018-11-milton-keynes-street.csv" "$tmp/twice/nov.csv"
st=0
"$csa" rates --crimes "$tmp/twice/oct.csv" "$tmp/twice/nov.csv" "$tmp/twice/oct (1).csv" \
    --imd "$src/data-samples/imd2019-milton-keynes.csv" \
    --population "$src/data-samples/population-milton-keynes.csv" --la E06000042 \
    --out "$tmp/twice-out" 2> "$tmp/twice-stderr" || st=$?
[ $st = 1 ] || { echo "FAIL: a month twice: exit $st, expected 1"; fail=1; }
grep -qxF "csa: $tmp/twice/oct (1).csv: 2018-10 of Thames Valley Police is in two files, \"$tmp/twice/oct.csv\" and \"$tmp/twice/oct (1).csv\": it would be counted twice; give each month once (a download saved again is named like \"... (1).csv\")" \
    "$tmp/twice-stderr" || { echo "FAIL: a month twice: message"; cat "$tmp/twice-stderr"; fail=1; }
[ ! -e "$tmp/twice-out" ] || { echo "FAIL: a month twice: wrote outputs"; fail=1; }
exit $fail
