#!/bin/bash
# A police history read without keeping every row (issue 15, memory): the
# rows outside the area and its comparator LAs, and those without an LSOA,
# are counted as they are read and dropped (assess/thin.c). A run so gives
# exactly the outputs and messages of a run that keeps every row
# (CSA_TEST_KEEP_EVERY_ROW=1), byte for byte, on three cases:
#  A. the Milton Keynes sample (its LSOA lookup: 2021 codes kept through
#     their 2011 parents) with another force's month added, rows without an
#     LSOA, and a month before the timeline;
#  B. Bedford against Luton (comparator_areas) from a Bedfordshire month
#     that holds Central Bedfordshire too, with Milton Keynes' months (of
#     another force) among the files;
#  C. Milton Keynes from Bedfordshire's files only: the run stops, naming
#     what the files cover (counted from the dropped rows), as before.
# The number of rows dropped, which the run's stage line gives, is
# recounted here from the files.
set -eu
csa=$(realpath "$1") src=$(realpath "$2")
. "$src/tests/golden/sample.sh"
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
fail=0
FAIL() { echo "FAIL: $*"; fail=1; }
export SOURCE_DATE_EPOCH=1700000000

cp -r "$src/data-samples" "$tmp/data"
d=$tmp/data
sample_without_maps "$d"
find "$d" -type f -exec touch -d '2019-01-15 09:30:00 UTC' {} +
{ cat "$d/imd2019-milton-keynes.csv"; tail -n +2 "$d/bedfordshire/imd2019-bedford-luton.csv"; } \
    > "$d/imd-three.csv"
{ cat "$d/population-milton-keynes.csv"; tail -n +2 "$d/bedfordshire/population-bedford-luton.csv"; } \
    > "$d/pop-three.csv"
mkdir "$d/beds"
# the Bedfordshire month (a sample: Bedford, Luton and Central
# Bedfordshire), with three generated crimes in every LSOA of Bedford and
# Luton so that they are covered, a copy of a tenth of its rows without an
# LSOA (new identifiers), and a month of 1990 (before any timeline: outside
# the period)
/usr/bin/python3 - "$d/bedfordshire/2018-10-bedfordshire-street.csv" "$d/beds" \
    "$d/bedfordshire/imd2019-bedford-luton.csv" <<'PY'
import csv, sys
src, out, imd = sys.argv[1], sys.argv[2], sys.argv[3]
rows = list(csv.DictReader(open(src, newline="")))
types = ["Violence and sexual offences", "Anti-social behaviour", "Burglary", "Vehicle crime",
         "Criminal damage and arson"]
for k, r in enumerate(csv.DictReader(open(imd, encoding="utf-8-sig"))):
    for j in range(3):
        rows.append(dict(rows[0], **{"Crime ID": f"{2 * 10**6 + 3 * k + j:064x}",
                                     "LSOA code": r["LSOA code (2011)"],
                                     "LSOA name": r["LSOA name (2011)"],
                                     "Longitude": "", "Latitude": "",
                                     "Location": f"On or near Street {k % 40}",
                                     "Crime type": types[(k + j) % 5]}))
fields = list(rows[0].keys())
def write(path, rs):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rs)
blank = []
for i, r in enumerate(rows[::10]):
    r = dict(r, **{"Crime ID": f"{i:064x}", "LSOA code": "", "LSOA name": "",
                   "Longitude": "", "Latitude": "", "Location": "No location"})
    blank.append(r)
write(f"{out}/2018-10-bedfordshire-street.csv", rows + blank)
# September: Central Bedfordshire's rows only (none kept in any case
# here), the earliest month of case B's timeline
imd_codes = {r["LSOA code (2011)"] for r in csv.DictReader(open(imd, encoding="utf-8-sig"))}
sept = [dict(r, **{"Month": "2018-09", "Crime ID": f"{i + 3 * 10**6:064x}"})
        for i, r in enumerate(rows) if r["LSOA code"] and r["LSOA code"] not in imd_codes]
write(f"{out}/2018-09-bedfordshire-street.csv", sept)
old = [dict(r, **{"Month": "1990-01", "Crime ID": f"{i + 10**6:064x}"}) for i, r in enumerate(rows[:50])]
write(f"{out}/1990-01-bedfordshire-street.csv", old)
PY

# run NAME CONFIG: the run twice, thinned and keeping every row; their
# exit statuses, messages (less the stage times and the thinning clause)
# and outputs must be the same
run() {
    local name=$1 cfg=$2 st=0 st_all=0
    "$csa" run "$cfg" --out "$tmp/$name" 2> "$tmp/$name.err" || st=$?
    CSA_TEST_KEEP_EVERY_ROW=1 "$csa" run "$cfg" --out "$tmp/$name-all" 2> "$tmp/$name-all.err" ||
        st_all=$?
    [ "$st" = "$st_all" ] || FAIL "$name: exit $st thinned, $st_all keeping every row"
    norm() { sed -e 's/ ([0-9.]* s)$//' -e 's/ in [0-9.]* s$//' \
                 -e "s/; [0-9,]* police rows outside the area\( and the comparator's LAs\)\? counted, not kept//" \
                 -e "s#[^ ]*$(basename "$tmp")/$name-all#OUT#g; s#[^ ]*$(basename "$tmp")/$name#OUT#g" "$1"; }
    diff <(norm "$tmp/$name.err") <(norm "$tmp/$name-all.err") > /dev/null ||
        { diff <(norm "$tmp/$name.err") <(norm "$tmp/$name-all.err") | head -20; FAIL "$name: messages differ"; }
    if [ -d "$tmp/$name" ] || [ -d "$tmp/$name-all" ]; then
        diff -r "$tmp/$name" "$tmp/$name-all" > "$tmp/$name.diff" ||
            { head -20 "$tmp/$name.diff"; FAIL "$name: outputs differ"; }
        [ -s "$tmp/$name/summary.csv" ] || FAIL "$name: no outputs"
    fi
    grep "csa run: validated" "$tmp/$name.err" || true
}
# dropped NAME: the number of rows the stage line says were counted, not kept
dropped() {
    sed -n 's/.*; \([0-9,]*\) police rows outside the area.* counted, not kept.*/\1/p' \
        "$tmp/$1.err" | tr -d ,
}
# the rows a run keeps by the rule, recounted: LSOA codes of the LAs
# (deprivation file) and the lookup's 2021 codes of them
recount() {
    /usr/bin/python3 - "$@" <<'PY'
import csv, sys
imd, lookup, las, files = sys.argv[1], sys.argv[2], sys.argv[3].split(","), sys.argv[4:]
keep = {r["LSOA code (2011)"] for r in csv.DictReader(open(imd, encoding="utf-8-sig"))
        if r["Local Authority District code (2019)"] in las}
for r in csv.DictReader(open(lookup, newline="")):
    if r["LSOA11CD"] in keep:
        keep.add(r["LSOA21CD"])
print(sum(1 for f in files for r in csv.DictReader(open(f, newline="")) if r["LSOA code"] not in keep))
PY
}

# ---- A: the sample, with another force's month, rows without an LSOA and 1990
sed -e 's#^files = police/\*.csv police-history/\*.csv#files = police/*.csv police-history/*.csv beds/*.csv#' \
    -e 's#^files = imd2019-milton-keynes.csv#files = imd-three.csv#' \
    -e 's#^files = population-milton-keynes.csv#files = pop-three.csv#' \
    "$d/assessment.ini" > "$d/a.ini"
grep -q 'beds/\*.csv' "$d/a.ini" || FAIL "A: the config's files line was not changed"
run a "$d/a.ini"
want=$(recount "$d/imd-three.csv" "$d/lsoa-lookup-milton-keynes.csv" E06000042 \
       "$d"/police/*.csv "$d"/police-history/*.csv "$d"/beds/*.csv)
[ "$(dropped a)" = "$want" ] || FAIL "A: $(dropped a) rows dropped, $want by the recount"
[ "$want" -gt 700 ] || FAIL "A: only $want rows to drop"
grep -q '^Outside period,' "$tmp/a/data-quality.csv" 2>/dev/null ||
    grep -qi 'outside period' "$tmp/a/data-quality.csv" || FAIL "A: no outside-period count"

# ---- B: Bedford against Luton, Central Bedfordshire's and Milton Keynes' rows dropped
sample_real_months "$d"
/usr/bin/python3 - "$d/assessment.ini" "$d/b.ini" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
text = re.sub(r"(?m)^title = Milton Keynes.*$", "title = Bedford Community Safety Partnership", text, count=1)
text = re.sub(r"(?m)^area = .*$", "area = Bedford", text, count=1)
text = re.sub(r"(?m)^la_code = .*$", "la_code = E06000055", text, count=1)
# the comparator Luton's rate, from the same files (no comparator_value)
text = re.sub(r"(?m)^comparator = .*$", "comparator = Luton", text, count=1)
text = re.sub(r"(?m)^comparator_code = .*$", "comparator_areas = E06000032", text, count=1)
text = re.sub(r"(?m)^comparator_value = .*\n", "", text)
text = re.sub(r"(?m)^period = .*$", "period = 2018-10 to 2018-10\ncompare_with = none", text, count=1)
text = re.sub(r"(?m)^(higher_area|higher_area_label) = .*\n", "", text)
text = re.sub(r"(?m)^files = police/\*\.csv.*$", "files = police/*.csv beds/2018-1*.csv beds/2018-09*.csv", text)
text = text.replace("files = imd2019-milton-keynes.csv", "files = imd-three.csv")
text = text.replace("files = population-milton-keynes.csv", "files = pop-three.csv")
# the Fingertips and survey indicators are Milton Keynes': left out
sections = re.split(r"(?m)^(?=\[)", text)
def key(s, k):
    m = re.search(rf"(?m)^{k} = (.*)$", s)
    return m.group(1).strip() if m else None
drop = {"health", "survey", "msoa"}
sections = [s for s in sections
            if not (s.startswith("[input.") and s.split("]")[0][len("[input."):] in drop)
            and not (s.startswith("[indicator.") and key(s, "input") in drop)]
text = "".join(re.sub(r"(?m)^concern = .*\n", "", s) for s in sections)
open(sys.argv[2], "w", encoding="utf-8").write(text)
PY
run b "$d/b.ini"
want=$(recount "$d/imd-three.csv" "$d/lsoa-lookup-milton-keynes.csv" E06000055,E06000032 \
       "$d"/police/*.csv "$d"/beds/2018-*.csv)
# the timeline from September, a month only dropped rows have
grep -q '^2018-09,' "$tmp/b/burglary-over-time.csv" || FAIL "B: the history does not begin in September"
[ "$(dropped b)" = "$want" ] || FAIL "B: $(dropped b) rows dropped, $want by the recount"
# Luton's rate counted from its kept rows, as by the recount
# (the IMD file's LSOAs of Luton with a population row)
/usr/bin/python3 - "$tmp/b/summary.csv" "$d/beds/2018-10-bedfordshire-street.csv" \
    "$d/pop-three.csv" "$d/imd-three.csv" <<'PY' || FAIL "B: Luton's burglary rate"
import csv, sys
summary, police, pop, imd = sys.argv[1:]
lsoas = {r["LSOA code (2011)"] for r in csv.DictReader(open(imd, encoding="utf-8-sig"))
         if r["Local Authority District code (2019)"] == "E06000032"}
luton = {r["lsoa"]: int(r["Total"]) for r in csv.DictReader(open(pop, newline=""))
         if r["lsoa"] in lsoas and int(r["Total"]) > 0}
n = sum(1 for r in csv.DictReader(open(police, newline=""))
        if r["Crime type"] == "Burglary" and r["LSOA code"] in luton)
row = next(r for r in csv.DictReader(open(summary, newline="")) if r["Indicator"] == "Burglary")
want = f"{n * 1000 / sum(luton.values()):.4f}"
print("Luton burglary:", n, "crimes,", want, "per 1,000; csa:", row["Comparator"], row["Comparator value"])
sys.exit(0 if row["Comparator"] == "Luton" and row["Comparator value"] == want else 1)
PY

# ---- C: Milton Keynes from Bedfordshire's files: stops as before
sed -e 's#^files = police/\*.csv beds/.*#files = beds/2018-10-bedfordshire-street.csv#' \
    -e 's#^la_code = .*#la_code = E06000042#; s#^comparator_areas = .*#comparator_areas = E06000042#' \
    -e 's#^area = .*#area = Milton Keynes#; s#^comparator = .*#comparator = Milton Keynes#' \
    "$d/b.ini" > "$d/c.ini"
run c "$d/c.ini"
[ -e "$tmp/c" ] && FAIL "C: the run wrote outputs"
grep -q 'Bedfordshire Police' "$tmp/c.err" || { cat "$tmp/c.err"; FAIL "C: the stop does not name the force the files cover"; }

[ $fail = 0 ] && echo "thin: all cases pass"
exit $fail
