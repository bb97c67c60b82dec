#!/bin/bash
# Rows given twice (issue 14 cases 3 and 5, issue 20 case 13), through
# `csa validate` and `csa run`: a file given twice, the same month of the
# same force in two files, Crime IDs in two files (errors naming both
# files), police.uk's repeated Crime IDs inside a month (a warning; the
# rows counted as published), a reference file repeating an LSOA (an error
# in both commands), and the set's totals and JSON agreeing with the
# findings. Expected figures are counted here from the files with Python.
set -u
csa=$(realpath "$1") src=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail=0
FAIL() { echo "FAIL: $*"; fail=1; }
police=$src/data-samples/police
oct=2018-10-milton-keynes-street.csv

# ---- case 3: the October sample and a copy saved as "... (1).csv"
cp "$police/$oct" "$oct"
cp "$oct" "${oct%.csv} (1).csv"
out=$("$csa" validate --spec police-street "$oct" "${oct%.csv} (1).csv")
st=$?
echo "$out"
[ $st = 1 ] || FAIL "a file given twice: validate exit $st, expected 1"
rows=$(python3 -c 'import csv,sys; print(f"{sum(1 for _ in csv.DictReader(open(sys.argv[1]))):,}")' "$oct")
want="  ${oct%.csv} (1).csv: error [duplicate-file] \"${oct%.csv} (1).csv\" has the same content as \"$oct\" ($rows rows): a file given twice is counted twice"
echo "$out" | grep -qxF -- "$want" || FAIL "a file given twice: validate lacks: $want"
echo "$out" | grep -qxF "all 2 files: 4,248 rows, 4,248 usable, 1 error, 0 warnings" ||
    FAIL "a file given twice: the set's summary"
# a copy is one finding, not also its months and Crime IDs
[ "$(echo "$out" | grep -c 'error \[')" = 1 ] || FAIL "a file given twice: more than one error"

# csa run: the same copy among the police files stops the run (exit 1),
# naming both files, and writes nothing
cp -r "$src/data-samples" data
cp "data/police/$oct" "data/police/${oct%.csv} (1).csv"
"$csa" run data/assessment.ini --out run3 2> err3
st=$?
cat err3
[ $st = 1 ] || FAIL "a file given twice: run exit $st, expected 1"
grep -F "[duplicate-file]" err3 | grep -qF "\"data/police/${oct%.csv} (1).csv\"" ||
    FAIL "run: the copy is not named"
grep -F "[duplicate-file]" err3 | grep -qF "\"data/police/$oct\"" || FAIL "run: the original is not named"
grep -qxF "csa: [input.police] has 1 error: the run stops; fix the file or leave the input out with --allow-invalid" err3 ||
    FAIL "run: the stop is not told"
[ ! -e run3 ] || FAIL "run: wrote outputs"
rm "data/police/${oct%.csv} (1).csv"

# ---- the same month of the same force in two files that differ (an
# extract of October and the whole month), and Crime IDs in two files (three
# October crimes added to November as if they were November's, so in the
# extract too: four errors)
head -1001 "$oct" > part.csv
nov=2018-11-milton-keynes-street.csv
python3 - "$oct" "$police/$nov" nov.csv <<'PY'
import csv, sys
octr = list(csv.reader(open(sys.argv[1], newline="")))
novr = list(csv.reader(open(sys.argv[2], newline="")))
moved = [r[:] for r in octr[1:] if r[0]][40:43]
for r in moved:
    r[1] = "2018-11"
w = csv.writer(open(sys.argv[3], "w", newline=""), lineterminator="\n")
w.writerows(novr + moved)
PY
out=$("$csa" validate --spec police-street "$oct" part.csv nov.csv)
st=$?
echo "$out"
[ $st = 1 ] || FAIL "overlapping files: exit $st, expected 1"
expect=$(python3 - "$oct" part.csv nov.csv <<'PY'
import csv, sys
files = sys.argv[1:]
rows = {f: list(csv.DictReader(open(f, newline=""))) for f in files}
def line_of(f, crime_id):
    for i, r in enumerate(rows[f]):
        if r["Crime ID"] == crime_id:
            return i + 2  # the header is line 1
ids = {f: [r["Crime ID"] for r in rows[f] if r["Crime ID"]] for f in files}
months = {f: {} for f in files}
for f in files:
    for r in rows[f]:
        k = (r["Month"], r["Falls within"])
        months[f][k] = months[f].get(k, 0) + 1
a, b = files[0], files[1]
def rows_text(n):
    return f"{n:,} row{'' if n == 1 else 's'}"
for (m, force), n in months[b].items():
    if (m, force) in months[a]:
        # named at b's first row of that month and force
        line = next(i + 2 for i, r in enumerate(rows[b]) if (r["Month"], r["Falls within"]) == (m, force))
        print(f'  {b}:{line}: error [duplicate-month] {m} of {force} (Falls within) is in two files, '
              f'"{a}" ({rows_text(months[a][(m, force)])}) and "{b}" ({rows_text(n)}): it would be counted twice')
for a, b in [(files[0], files[1]), (files[0], files[2]), (files[1], files[2])]:
    shared = set(ids[a]) & set(ids[b])
    if not shared:
        continue
    first = next(i for i in ids[a] if i in shared)
    print(f'  {b}:{line_of(b, first)}: error [shared-id] "{a}" and "{b}" share {len(shared):,} Crime IDs; '
          f'the first, "{first}", is on line {line_of(a, first)} of "{a}" and line {line_of(b, first)} of "{b}"')
PY
)
echo "$expect"
[ "$(echo "$expect" | grep -c error)" = 4 ] || FAIL "the test's own expectations: $expect"
while IFS= read -r want; do
    echo "$out" | grep -qxF -- "$want" || FAIL "overlapping files: lacks: $want"
done <<< "$expect"
[ "$(echo "$out" | grep -c 'error \[')" = 4 ] || FAIL "overlapping files: not four errors"

# ---- case 5: a police.uk month repeating Crime IDs (three rows given the
# Crime ID of an earlier row of the month, as police.uk publishes some)
python3 - "$oct" repeat.csv <<'PY' > repeat.expect
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
with_id = [i for i in range(1, len(rows)) if rows[i][0]]
pairs = [(with_id[0], with_id[10]), (with_id[1], with_id[20]), (with_id[0], with_id[30])]
for src_i, dst_i in pairs:
    rows[dst_i][0] = rows[src_i][0]
csv.writer(open(sys.argv[2], "w", newline=""), lineterminator="\n").writerows(rows)
for src_i, dst_i in pairs:
    print(f"  repeat.csv:{dst_i + 1}:1: warning [repeated-id] Crime ID \"{rows[dst_i][0]}\" appears "
          "more than once in the month (police.uk publishes some records so); each row is counted as published")
print(f"repeat.csv: {len(rows) - 1:,} rows, {len(rows) - 1:,} usable, 0 errors, {len(pairs)} warnings")
PY
out=$("$csa" validate --spec police-street repeat.csv)
st=$?
echo "$out"
[ $st = 0 ] || FAIL "repeated Crime IDs: exit $st, expected 0"
while IFS= read -r want; do
    echo "$out" | grep -qxF -- "$want" || FAIL "repeated Crime IDs: lacks: $want"
done < repeat.expect
[ "$(awk 'length($0) > 0' repeat.expect | head -1 | grep -oE '"[0-9a-f]{64}"' | wc -l)" = 1 ] ||
    FAIL "the test's own expectation has no 64-character ID"

# csa run on the month with repeated Crime IDs: completes, and counts every
# row as published (counted here from the files)
cp repeat.csv "data/police/$oct"
"$csa" run data/assessment.ini --out run5 2> err5 || { cat err5; FAIL "repeated Crime IDs: run failed"; }
python3 - data run5/summary.csv <<'PY' || FAIL "repeated Crime IDs: run's counts"
import csv, glob, sys
data, summary = sys.argv[1], sys.argv[2]
imd = {r["LSOA code (2011)"] for r in csv.DictReader(open(f"{data}/imd2019-milton-keynes.csv", encoding="utf-8-sig"))}
# the config's LSOA lookup takes 2021 codes back to their 2011 parents, so
# every 2011 LSOA of the area counts
parent = {r["LSOA21CD"]: r["LSOA11CD"] for r in csv.DictReader(open(f"{data}/lsoa-lookup-milton-keynes.csv"))}
area = imd | {c for c, p in parent.items() if p in imd}
counts = {}
for f in glob.glob(f"{data}/police/*.csv"):
    for r in csv.DictReader(open(f, newline="")):
        if r["LSOA code"] in area:
            counts[r["Crime type"]] = counts.get(r["Crime type"], 0) + 1
got = {r["Indicator"]: r["Count"] for r in csv.DictReader(open(summary))}
bad = [t for t in ("Violence and sexual offences", "Burglary", "Anti-social behaviour")
       if int(float(got[t])) != counts[t]]
print("counted here:", {t: counts[t] for t in ("Violence and sexual offences", "Burglary")})
sys.exit(1 if bad else 0)
PY
grep -F ",repeated-id,warning," run5/findings.csv | grep -qF "$(sed -n 1p repeat.expect | grep -oE '[0-9a-f]{64}')" ||
    FAIL "repeated Crime IDs: findings.csv lacks the whole ID"
cp "$police/$oct" "data/police/$oct"

# ---- totals and JSON agree with the findings: a set whose files have an
# error and warnings is not usable, and counts them
awk -F, -v OFS=, 'NR == 5 { $2 = "2018-13" } { print }' "$police/$nov" > bad-month.csv
out=$("$csa" validate --spec police-street repeat.csv bad-month.csv)
st=$?
[ $st = 1 ] || FAIL "totals: exit $st, expected 1"
echo "$out" | grep -qxF "all 2 files: 4,196 rows, 4,195 usable, 1 error, 3 warnings" ||
    { echo "$out" | tail -3; FAIL "totals: the set's summary does not add up the files'"; }
"$csa" validate --format json --spec police-street repeat.csv bad-month.csv > set.json
python3 - set.json <<'PY' || FAIL "totals: JSON"
import json, sys
doc = json.load(open(sys.argv[1]))
files, s = doc["files"], doc["set"]
bad = []
for key, sev in (("rows", None), ("usable_rows", None), ("errors", "error"),
                 ("warnings", "warning"), ("notes", "note")):
    own = sum(c["count"] for c in s["checks"] if c["severity"] == sev)
    if s[key] != sum(f[key] for f in files) + own:
        bad.append(key)
if s["usable"] is not False or files[1]["usable"] is not False or files[0]["usable"] is not True:
    bad.append("usable")
for f in files:
    for key, sev in (("errors", "error"), ("warnings", "warning"), ("notes", "note")):
        if f[key] != sum(c["count"] for c in f["checks"] if c["severity"] == sev):
            bad.append(f"{f['file']} {key}")
print("JSON disagrees:", bad) if bad else None
sys.exit(1 if bad else 0)
PY

# ---- issue 20 case 13: an IMD file that repeats an LSOA is an error in
# csa validate (exit 1) as in csa run (exit 1)
imd=data/imd2019-milton-keynes.csv
awk 'NR == 7 { print; print; next } { print }' "$src/data-samples/imd2019-milton-keynes.csv" > "$imd"
lsoa=$(sed -n 8p "$imd" | cut -d, -f1)
out=$("$csa" validate --spec imd "$imd")
st=$?
echo "$out"
[ $st = 1 ] || FAIL "IMD repeat: validate exit $st, expected 1"
echo "$out" | grep -qxF "  $imd:8:1: error [duplicate-id] LSOA code \"$lsoa\" appears more than once" ||
    FAIL "IMD repeat: validate's finding"
"$csa" run data/assessment.ini --out run13 2> err13
st=$?
cat err13
[ $st = 1 ] || FAIL "IMD repeat: run exit $st, expected 1"
grep -qF "$imd:8:1: LSOA code \"$lsoa\" appears more than once [duplicate-id]" err13 ||
    FAIL "IMD repeat: run's message"
exit $fail
