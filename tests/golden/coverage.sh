#!/bin/bash
# Coverage before figures (issue 14, cases 1, 2 and 9): files of another
# force, a comparator area the files do not cover, a month missing for the
# comparator only, and identical findings grouped on the data-quality page.
# Inputs: data-samples/ (the Milton Keynes samples and bedfordshire/), with
# files the test makes from them; expected numbers recounted here in Python
# from the same files.
set -eu
csa=$(realpath "$1") src=$(realpath "$2")
. "$src/tests/golden/sample.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
FAIL() { echo "FAIL: $*"; fail=1; }
has() { grep -qF -- "$2" "$1" || FAIL "$(basename "$1") lacks: $2"; }
export SOURCE_DATE_EPOCH=1700000000

cp -r "$src/data-samples" "$tmp/data"
sample_real_months "$tmp/data" # the months are this test's own
sample_without_maps "$tmp/data"
d=$tmp/data
# IMD and population of Milton Keynes, Bedford and Luton: the samples joined
{ cat "$d/imd2019-milton-keynes.csv"; tail -n +2 "$d/bedfordshire/imd2019-bedford-luton.csv"; } \
    > "$d/imd-three.csv"
{ cat "$d/population-milton-keynes.csv"; tail -n +2 "$d/bedfordshire/population-bedford-luton.csv"; } \
    > "$d/pop-three.csv"
sed -e 's#^files = imd2019-milton-keynes.csv#files = imd-three.csv#' \
    -e 's#^files = population-milton-keynes.csv#files = pop-three.csv#' \
    "$d/assessment.ini" > "$d/base.ini"
beds=$d/bedfordshire/2018-10-bedfordshire-street.csv

# the numbers the messages must give, recounted from the files
/usr/bin/python3 - "$d" > "$tmp/expect" <<'PY'
import csv, glob, sys
d = sys.argv[1]
la = {}
for r in csv.DictReader(open(f"{d}/imd-three.csv", encoding="utf-8-sig")):
    la[r["LSOA code (2011)"]] = r["Local Authority District code (2019)"]
def lsoas(code): return {l for l, a in la.items() if a == code}
def rows(files):
    seen = {}
    for f in files:
        for r in csv.DictReader(open(f, newline="")):
            seen[r["LSOA code"]] = seen.get(r["LSOA code"], 0) + 1
    return seen
tv = rows(sorted(glob.glob(f"{d}/police/2018-1*-milton-keynes-street.csv")))
bf = rows([f"{d}/bedfordshire/2018-10-bedfordshire-street.csv"])
mk, bed, lut = lsoas("E06000042"), lsoas("E06000055"), lsoas("E06000032")
print("tv_rows", f"{sum(tv[l] for l in tv if la.get(l) == 'E06000042'):,}")
print("bedford", len(bed), sum(1 for l in bed if l in tv))
print("luton", len(lut), sum(1 for l in lut if l in tv))
print("mk", len(mk), sum(1 for l in mk if l not in bf))
for code in ("E06000055", "E06000032", "E06000042"):
    print("beds_rows", code, f"{sum(n for l, n in bf.items() if la.get(l) == code):,}")
PY
cat "$tmp/expect"
ex() { sed -n "s/^$1 //p" "$tmp/expect"; }
read -r nbed bed_with <<< "$(ex bedford)"
read -r nlut lut_with <<< "$(ex luton)"
read -r nmk mk_without <<< "$(ex mk)"
[ "$bed_with" = 0 ] && [ "$lut_with" = 0 ] || FAIL "the samples changed: Bedford or Luton rows in the Thames Valley files"

stops() { # name, expected exit, command...: stderr in $tmp/$name.err
    local name=$1 want=$2
    shift 2
    local rc=0
    "$@" > /dev/null 2> "$tmp/$name.err" || rc=$?
    [ "$rc" = "$want" ] || { cat "$tmp/$name.err"; FAIL "$name: exit $rc, expected $want"; }
}

# ---- case 1: Bedford on the Milton Keynes (Thames Valley) files stops
sed -e 's/^area = .*/area = Bedford/' -e 's/^la_code = .*/la_code = E06000055/' \
    "$d/base.ini" > "$d/bedford.ini"
stops bedford-run 1 "$csa" run "$d/bedford.ini" --out "$tmp/out-bedford"
has "$tmp/bedford-run.err" "[input.police] none of Bedford's $nbed LSOAs (E06000055) has a row in Oct 2018 to Dec 2018: the files cover Thames Valley Police (Milton Keynes E06000042 $(ex tv_rows) rows): are these the right force's files?"
[ ! -e "$tmp/out-bedford" ] || FAIL "a stopped run left an output folder"

# ... and Milton Keynes on the Bedfordshire file: one stray row is no coverage
sed -e "s#^files = police/\\*.csv#files = $beds#" -e 's/^period = .*/period = 2018-10/' \
    "$d/base.ini" > "$d/mk-beds.ini"
stops mk-beds-run 1 "$csa" run "$d/mk-beds.ini" --out "$tmp/out-mk"
has "$tmp/mk-beds-run.err" "[input.police] $mk_without of Milton Keynes' $nmk LSOAs (E06000042) have no row in Oct 2018: the files cover Bedfordshire Police (Bedford E06000055 $(ex 'beds_rows E06000055') rows, Luton E06000032 $(ex 'beds_rows E06000032'), Milton Keynes E06000042 $(ex 'beds_rows E06000042');"
has "$tmp/mk-beds-run.err" "are these the right force's files?"

# csa rates likewise: no rates of 0 written
stops bedford-rates 1 "$csa" rates --crimes "$d"/police/*.csv --imd "$d/imd-three.csv" \
    --population "$d/pop-three.csv" --la E06000055 --out "$tmp/rates-bedford"
has "$tmp/bedford-rates.err" "--crimes: none of Bedford's $nbed LSOAs (E06000055) has a row in Oct 2018 to Dec 2018: the files cover Thames Valley Police"
[ ! -e "$tmp/rates-bedford" ] || FAIL "csa rates wrote outputs for an area its files do not cover"
stops mk-rates 1 "$csa" rates --crimes "$beds" --imd "$d/imd-three.csv" \
    --population "$d/pop-three.csv" --la E06000042 --out "$tmp/rates-mk"
has "$tmp/mk-rates.err" "--crimes: $mk_without of Milton Keynes' $nmk LSOAs (E06000042) have no row in Oct 2018: the files cover Bedfordshire Police"

# without --la the area is every LSOA of the IMD file: Bedford's and Luton's too
stops all-rates 1 "$csa" rates --crimes "$d"/police/*.csv --imd "$d/imd-three.csv" \
    --population "$d/pop-three.csv" --out "$tmp/rates-all"
has "$tmp/all-rates.err" "--crimes: $((nbed + nlut)) of the IMD file's $((nbed + nlut + nmk)) LSOAs have no row in Oct 2018 to Dec 2018: the files cover Thames Valley Police (Milton Keynes E06000042 $(ex tv_rows) rows): give --la the code of the LA to count"

# ---- case 2: Luton as a comparator area with the Thames Valley files
sed -e 's/^comparator_code = .*/comparator_areas = E06000042 E06000032/' \
    "$d/base.ini" > "$d/luton.ini"
stops luton-run 1 "$csa" run "$d/luton.ini" --out "$tmp/out-luton"
has "$tmp/luton-run.err" "[input.police] none of Luton's $nlut LSOAs (E06000032) has a row in Oct 2018 to Dec 2018: the files cover Thames Valley Police (Milton Keynes E06000042 $(ex tv_rows) rows): add the files of the force that covers Luton to [input.police], or take E06000032 out of comparator_areas"

# ---- the real Milton Keynes sample is covered: no coverage warning
stops mk-run 0 "$csa" run "$d/base.ini" --out "$tmp/out-base"
# (its three months have no comparison period: that warning is no coverage one)
if grep "warning" "$tmp/mk-run.err" | grep -v "\[input.police\] has no rows for the comparison period" |
        grep -qv "\[input.survey\] has no lookup"; then FAIL "warning on the covered sample"; fi

# ---- partial: Luton's rows (the Bedfordshire sample's) for Oct and, copied
# by this test, Nov (luton-oct-nov.csv); none for Dec, which Milton Keynes has. The IMD gives
# Luton the sample's LSOAs only, so that every LSOA of it has rows.
/usr/bin/python3 - "$d" <<'PY'
import csv, sys
d = sys.argv[1]
la = {r["LSOA code (2011)"]: r["Local Authority District code (2019)"]
      for r in csv.DictReader(open(f"{d}/bedfordshire/imd2019-bedford-luton.csv", encoding="utf-8-sig"))}
rows = list(csv.reader(open(f"{d}/bedfordshire/2018-10-bedfordshire-street.csv", newline="")))
h = rows[0]
L, M = h.index("LSOA code"), h.index("Month")
luton = [r for r in rows[1:] if la.get(r[L]) == "E06000032"]
with open(f"{d}/luton-oct-nov.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(h)
    for m in ("2018-10", "2018-11"):
        w.writerows(r[:M] + [m] + r[M + 1:] for r in luton)
keep = {r[L] for r in luton}
lines = open(f"{d}/bedfordshire/imd2019-bedford-luton.csv", encoding="utf-8-sig").read().splitlines()
# and three Luton LSOAs the sample has no row for: 3 of 18 LSOAs, 17%
extra = [l for l in lines[1:] if la.get(l.split(",")[0]) == "E06000032" and l.split(",")[0] not in keep][:3]
with open(f"{d}/imd-part.csv", "w", encoding="utf-8") as f:
    f.write(open(f"{d}/imd2019-milton-keynes.csv", encoding="utf-8").read())
    f.writelines(l + "\n" for l in lines[1:] if l.split(",")[0] in keep)
with open(f"{d}/imd-share.csv", "w", encoding="utf-8") as f:
    f.write(open(f"{d}/imd-part.csv", encoding="utf-8").read())
    f.writelines(l + "\n" for l in extra)
PY
sed -e 's/^comparator_code = .*/comparator_areas = E06000042 E06000032/' \
    -e 's#^files = imd-three.csv#files = imd-part.csv#' \
    -e 's#^files = police/\*.csv#files = police/*.csv luton-oct-nov.csv#' "$d/base.ini" > "$d/partial.ini"
warning="Luton (E06000032) has no rows in Dec 2018, a month the files have for other areas: the figures count no crime there then, most likely missing data rather than none."
stops partial-run 0 "$csa" run "$d/partial.ini" --out "$tmp/out-partial"
has "$tmp/partial-run.err" "csa: warning: [input.police] $warning"
# on every indicator of the police input, and on no other: summary.csv,
# the workbook and the pack's pages
/usr/bin/python3 - "$d/partial.ini" "$tmp/out-partial" "$warning" <<'PY' || fail=1
import configparser, csv, subprocess, sys
ini, out, warning = sys.argv[1:]
cfg = configparser.ConfigParser(interpolation=None, comment_prefixes=(";", "#"))
cfg.read(ini)
police = {s.split(".", 1)[1] for s in cfg.sections()
          if s.startswith("indicator.") and cfg[s]["input"] == "police"}
titles = {cfg[f"indicator.{n}"]["title"] for n in police}
bad = []
rows = list(csv.DictReader(open(f"{out}/summary.csv", newline="")))
for r in rows:
    name = r.get("Indicator") or r.get("Name") or ""
    with_note = warning in " ".join(r.values())
    if with_note != (r.get("Title", name) in titles or name in police):
        bad.append(f"summary.csv {name}: note {'present' if with_note else 'missing'}")
pages = subprocess.run(["pdftotext", f"{out}/assessment-pack.pdf", "-"], capture_output=True,
                       text=True, check=True).stdout.split("\f")
flat = [" ".join(p.split()) for p in pages]
for t in titles:
    if not any(t in p and warning in p for p in flat):
        bad.append(f"pack: no page of {t} with the warning")
n = sum(p.count(warning) for p in flat)
if n < len(titles):
    bad.append(f"pack: the warning {n} times, {len(titles)} police indicators")
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
/usr/bin/python3 "$src/tests/golden/dump-workbook.py" "$tmp/out-partial/assessment.xlsx" \
    > "$tmp/partial.tsv"
[ "$(grep -cF "$warning" "$tmp/partial.tsv")" -ge 5 ] || FAIL "workbook: the warning on fewer than 5 cells"
# csa rates for Luton on the same files: the warning, and in rates.xlsx
stops partial-rates 0 "$csa" rates --crimes "$d"/police/*.csv "$d/luton-oct-nov.csv" --imd "$d/imd-part.csv" \
    --population "$d/pop-three.csv" --la E06000032 --out "$tmp/rates-partial"
has "$tmp/partial-rates.err" "csa: warning: --crimes: $warning"
/usr/bin/python3 "$src/tests/golden/dump-workbook.py" "$tmp/rates-partial/rates.xlsx" \
    > "$tmp/rates.tsv"
has "$tmp/rates.tsv" "$warning"

# more than 10% of an area's LSOAs without a row: a warning, not a stop
stops share-rates 0 "$csa" rates --crimes "$beds" --imd "$d/imd-share.csv" \
    --population "$d/pop-three.csv" --la E06000032 --out "$tmp/rates-share"
has "$tmp/share-rates.err" "csa: warning: --crimes: Luton (E06000032): 3 of its 18 LSOAs (17%) have no row in Oct 2018, more than 10%: the files may not cover all of it, and its figures count only the LSOAs they reach."

# ---- case 9: twenty identical "outside the period" warnings of one file
# are one line of the pack with a count; findings.csv and the workbook
# keep every row
cp -r "$src/data-samples" "$tmp/data9"
sample_real_months "$tmp/data9" # the months are this test's own
# (a month after the period: one before it would be history, read)
awk -F, 'BEGIN { OFS = "," } NR > 1 && NR <= 21 { $2 = "2019-01" } { print }' \
    "$src/data-samples/police/2018-10-milton-keynes-street.csv" \
    > "$tmp/data9/police/2018-10-milton-keynes-street.csv"
stops outside-run 0 "$csa" run "$tmp/data9/assessment.ini" --out "$tmp/out9"
message='Month "2019-01" is outside the period 2018-10 to 2018-12'
/usr/bin/python3 - "$tmp/out9" "$message" <<'PY' || fail=1
import csv, subprocess, sys
out, message = sys.argv[1:]
bad = []
rows = [r for r in csv.DictReader(open(f"{out}/findings.csv", newline="")) if r["Message"] == message]
if [int(r["Line"]) for r in rows] != list(range(2, 22)):
    bad.append(f"findings.csv: {len(rows)} rows of the message, expected lines 2 to 21")
text = " ".join(subprocess.run(["pdftotext", f"{out}/assessment-pack.pdf", "-"], capture_output=True,
                               text=True, check=True).stdout.split())
one = f"20 rows (lines 2, 3, 4 and more): {message}"
if text.count(one) != 1:
    bad.append(f"pack: {text.count(one)} times '{one}'")
if text.count(message) != 1:
    bad.append(f"pack: the message {text.count(message)} times, expected once")
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
/usr/bin/python3 "$src/tests/golden/dump-workbook.py" "$tmp/out9/assessment.xlsx" > "$tmp/out9.tsv"
[ "$(grep -cF "$message" "$tmp/out9.tsv")" = 20 ] || FAIL "workbook: not 20 cells of the message"

# ---- case 9: months missing listed against the whole period (three of six)
sed -e 's/^period = .*/period = 2018-10 to 2019-03\ncompare_with = none/' "$d/base.ini" > "$d/six.ini"
stops six-run 0 "$csa" run "$d/six.ini" --out "$tmp/out-six"
has "$tmp/out-six/data-quality.csv" "police,police-street,3,6094,6094,0,0,0,0,0,0,3,Oct 2018 to Dec 2018,Jan 2019 to Mar 2019,"
pdftotext "$tmp/out-six/assessment-pack.pdf" - | tr -s ' \n' '  ' > "$tmp/six.txt"
has "$tmp/six.txt" "missing: Jan 2019 to Mar 2019"

exit $fail
