#!/bin/bash
# csa run on data-samples/assessment.ini: every CSV output and the
# workbook's cells against tests/golden/expected/run (CSA_UPDATE_GOLDEN=1
# rewrites them), figures checked independently of csa, config errors,
# an invalid input, --allow-invalid, a rolling-year re-run, two runs giving
# the same outputs, and a killed run leaving no partial output.
set -eu
csa=$(realpath "$1") src=$(realpath "$2")
expected="$src/tests/golden/expected/run"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
FAIL() { echo "FAIL: $*"; fail=1; }
export SOURCE_DATE_EPOCH=1700000000

# a private copy of the samples with fixed modification times (the data
# quality sheet shows them)
cp -r "$src/data-samples" "$tmp/data"
find "$tmp/data" -type f -exec touch -d '2019-01-15 09:30:00 UTC' {} +
cfg="$tmp/data/assessment.ini"

# ---- the sample assessment against the golden files
"$csa" run "$cfg" --out "$tmp/out" 2> "$tmp/stderr" || { cat "$tmp/stderr"; FAIL "sample run"; }
cat "$tmp/stderr"
/usr/bin/python3 "$src/tests/golden/dump-workbook.py" "$tmp/out/assessment.xlsx" > "$tmp/out.tsv"
# a hotspot grid's densities depend on PROJ's transformation of the map
# points (with or without the OSTN15 grid): tests/golden/maps.sh checks it
# by its total; its name is checked here
if [ "${CSA_UPDATE_GOLDEN:-}" = 1 ]; then
    rm -f "$expected"/*
    cp "$tmp"/out/*.csv "$expected/"
    for f in "$expected"/*-hotspot-grid.csv; do : > "$f"; done
    cp "$tmp/out.tsv" "$expected/workbook.tsv"
    echo "updated $expected"
fi
# the history tables' own columns, recomputed from their other columns: a
# month of the year's years are the months of the history in its place;
# a month breaks the outside-the-limits rule exactly when its SPC value is
# beyond a limit
/usr/bin/python3 - "$tmp/out" <<'PY' || FAIL "history tables: years or SPC rules"
import csv, glob, os, sys
names = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
for f in glob.glob(f"{sys.argv[1]}/*-over-time.csv"):
    head, *body = list(csv.reader(open(f)))
    if "SPC rules broken" not in head:
        continue
    # columns: Month, In period, the count, Days, per day, ...: the SPC
    # chart's values are the seasonally adjusted ones when there are any
    adj = [i for i, h in enumerate(head) if h.startswith("Seasonally adjusted")]
    key = adj[0] if adj else 4
    lo_c, hi_c, rules_c = head.index("SPC lower limit"), head.index("SPC upper limit"), head.index("SPC rules broken")
    for r in body:
        if not r[key] or not r[hi_c]:
            continue
        v, lo, hi = float(r[key]), float(r[lo_c]), float(r[hi_c])
        if (v > hi or v < lo) != ("A point outside the process limits" in r[rules_c]):
            sys.exit(f"{f}: {r[0]}: {v} against {lo} to {hi}, rules '{r[rules_c]}'")
    season = f.replace("-over-time.csv", "-by-month-of-the-year.csv")
    if not os.path.exists(season):
        continue
    for s in csv.DictReader(open(season)):
        want = sum(1 for r in body if r[2] and names[int(r[0][5:7]) - 1] == s["Month of the year"])
        if int(s["Years"]) != want:
            sys.exit(f"{season}: {s['Month of the year']}: {s['Years']} years, want {want}")
PY
(cd "$tmp/out" && ls *.csv) > "$tmp/got-csv"
(cd "$expected" && ls *.csv) | diff - "$tmp/got-csv" || FAIL "CSV outputs differ in name"
for f in "$expected"/*.csv; do
    [ "${f%-hotspot-grid.csv}" = "$f" ] || continue
    cmp -s "$f" "$tmp/out/$(basename "$f")" ||
        { diff "$f" "$tmp/out/$(basename "$f")" | head -5; FAIL "$(basename "$f") differs"; }
done
diff "$expected/workbook.tsv" "$tmp/out.tsv" | head -10
cmp -s "$expected/workbook.tsv" "$tmp/out.tsv" || FAIL "workbook cells differ"
for f in assessment.xlsx assessment-pack.pdf assessment.html manifest.json violence-spc.png violence-spc.svg \
         admissions-areas.svg feel_safe_night-groups.png violence-lorenz.svg violence-funnel.png \
         violence-deciles.png admissions-trend.png; do
    [ -s "$tmp/out/$f" ] || FAIL "no $f"
done
[ -z "$(ls -A "$tmp/out" | grep -v -E '\.(csv|png|svg|xlsx|pdf|html|json)$')" ] || FAIL "stray files in the output"

# the headline figures computed here from the raw files, not by csa
/usr/bin/python3 - "$tmp/data" "$tmp/out/summary.csv" <<'PY' || fail=1
import csv, sys
from math import isclose
data, summary = sys.argv[1], sys.argv[2]
imd = {r["LSOA code (2011)"]: r for r in csv.DictReader(open(f"{data}/imd2019-milton-keynes.csv", encoding="utf-8-sig"))}
# the population's 2021 LSOAs in their 2011 parents, by the lookup (Milton
# Keynes has only unchanged and split LSOAs: one parent each)
parent = {r["LSOA21CD"]: r["LSOA11CD"] for r in csv.DictReader(open(f"{data}/lsoa-lookup-milton-keynes.csv"))}
pop = {}
for r in csv.DictReader(open(f"{data}/population-milton-keynes.csv")):
    p = r["lsoa"] if r["lsoa"] in imd else parent[r["lsoa"]]
    pop[p] = pop.get(p, 0) + int(r["Total"])
area = [c for c in imd if c in pop]
assert len(area) == 152, len(area)
counts = {}
import glob
for f in sorted(glob.glob(f"{data}/police/*.csv")):
    for r in csv.DictReader(open(f)):
        if r["LSOA code"] in area:
            counts[r["Crime type"]] = counts.get(r["Crime type"], 0) + 1
residents = sum(pop[c] for c in area)
rows = {r["Indicator"]: r for r in csv.DictReader(open(summary))}
bad = []
for title, ctype in [("Violence and sexual offences", "Violence and sexual offences"),
                     ("Burglary", "Burglary"), ("Anti-social behaviour", "Anti-social behaviour")]:
    r = rows[title]
    if int(float(r["Count"])) != counts[ctype] or int(float(r["Denominator"])) != residents:
        bad.append(f"{title}: {r['Count']}/{r['Denominator']} vs {counts[ctype]}/{residents}")
    if not isclose(float(r["Value"]), counts[ctype] / residents * 1000, abs_tol=5e-5):
        bad.append(f"{title}: rate {r['Value']}")
print("independent counts:", {k: counts[k] for k in ("Violence and sexual offences", "Burglary")}, "residents", residents)
# the change on Oct to Dec 2017, from the generated history: the same
# residents, so the rate ratio is the ratio of the counts; log-normal
# interval (every count is over 10); significant when it excludes 1
from math import exp, sqrt
before = {}
for f in sorted(glob.glob(f"{data}/police-history/2017-1[012]-*.csv")):
    for r in csv.DictReader(open(f)):
        if r["LSOA code"] in area:
            before[r["Crime type"]] = before.get(r["Crime type"], 0) + 1
for title in ("Violence and sexual offences", "Anti-social behaviour", "Burglary", "Vehicle crime",
              "Criminal damage and arson"):
    r, now, was = rows[title], counts[title], before[title]
    rr, se = now / was, sqrt(1 / now + 1 / was)
    lo, hi = rr * exp(-1.959964 * se), rr * exp(1.959964 * se)
    got = (r["Count now"], r["Count before"], r["Rate ratio"], r["Rate ratio lower 95% CI"],
           r["Rate ratio upper 95% CI"])
    want = (str(now), str(was), f"{rr:.4f}", f"{lo:.4f}", f"{hi:.4f}")
    words = "a significant " + ("rise" if rr > 1 else "fall") if lo > 1 or hi < 1 else "no significant change"
    k = 3 if abs(lo - 1) < .005 or abs(hi - 1) < .005 else 2  # a limit never shows as 1.00
    if got != want or not r["Change"].endswith(f"against Oct 2017 to Dec 2017 ({(rr - 1) * 100:+.0f}%; rate "
                                               f"ratio {rr:.{k}f}, 95% CI {lo:.{k}f} to {hi:.{k}f}): {words}"):
        bad.append(f"{title}: change {got} {r['Change']}, expected {want} {words}")
    print(f"{title}: {now} against {was}: rate ratio {rr:.4f} ({lo:.4f} to {hi:.4f}): {words}")
if bad:
    print("FAIL:", *bad, sep="\n  ")
    sys.exit(1)
PY

# ---- the same inputs give the same outputs, wherever they are written
"$csa" run "$cfg" --out "$tmp/out2" --quiet 2> "$tmp/stderr2" || FAIL "second run"
# --quiet: no progress; the sample's one warning (its survey has no lookup) stays
[ "$(grep -v '^csa: warning: \[input.survey\] has no lookup' "$tmp/stderr2")" = "" ] &&
    [ "$(wc -l < "$tmp/stderr2")" = 1 ] || { cat "$tmp/stderr2"; FAIL "--quiet printed more than the warning"; }
for f in "$tmp"/out/*.csv "$tmp"/out/*.svg "$tmp"/out/manifest.json "$tmp"/out/*.pdf; do
    cmp -s "$f" "$tmp/out2/$(basename "$f")" || FAIL "$(basename "$f") differs between runs"
done
/usr/bin/python3 "$src/tests/golden/dump-workbook.py" "$tmp/out2/assessment.xlsx" | cmp -s - "$tmp/out.tsv" ||
    FAIL "workbook cells differ between runs"

# the checks up to the killed runs are not about maps (tests/golden/maps.sh
# checks them): their runs draw none, which keeps this test in its time
cp "$cfg" "$tmp/data/with-maps.ini"
sed -i '/^boundaries = /d' "$cfg"

# ---- config errors: exit 2, naming file, line and key
config_error() { # name, sed expression, expected message
    sed "$2" "$cfg" > "$tmp/data/bad.ini"
    set +e
    "$csa" run "$tmp/data/bad.ini" --out "$tmp/bad-out" 2> "$tmp/err"
    local st=$?
    set -e
    [ $st = 2 ] || FAIL "$1: exit $st, expected 2"
    grep -qF -- "$3" "$tmp/err" || { cat "$tmp/err"; FAIL "$1: message lacks: $3"; }
    [ ! -e "$tmp/bad-out" ] || FAIL "$1: wrote an output folder"
}
config_error "unknown key" 's/^harm = 60$/harms = 60/' \
    "bad.ini:78: unknown key 'harms' in an [indicator.NAME] section"
config_error "bad period" 's/^period = .*/period = 2018-13 to 2019-02/' \
    "bad.ini:15: period must be a financial year (2018/19)"
config_error "missing file" 's#^files = imd2019-milton-keynes.csv#files = imd2019.csv#' \
    "bad.ini:31: input file $tmp/data/imd2019.csv not found"
config_error "bad crime type" 's/^crime_types = Burglary$/crime_types = Burgalry/' \
    "bad.ini:76: [indicator.burglary]: 'Burgalry' is not a police.uk crime type: did you mean Burglary?"
config_error "unknown input" 's/^input = health$/input = hospital/' "no input 'hospital'"
config_error "stray key" 's/^indicator_id = 11201$/&\nmultiplier = 100000/' \
    "[indicator.admissions]: multiplier does not apply to a fingertips input"
config_error "file twice" 's#^files = police/\*.csv#files = police/*.csv police/2018-10*.csv#' \
    "[input.police] names $tmp/data/police/2018-10-milton-keynes-street.csv twice"
config_error "indented key" 's/^harm = 60$/  harm = 60/' \
    "bad.ini:78: this indented line continues 'comparator_value' above, which is not a list"
config_error "key twice" 's/^harm = 60$/harm = 60\nharm = 70/' "bad.ini:79: 'harm' is given twice"
config_error "key twice apart" 's/^comparator = England$/&\nperiod = 2018\/19/' \
    "'period' is given twice in [assessment] (first on line 15)"
# every problem of the config in one run, in line order: the unknown key is
# not hidden behind the missing file above it
sed -e 's#^files = imd2019-milton-keynes.csv#files = imd2019.csv#' -e 's/^harm = 60$/harms = 60/' \
    "$cfg" > "$tmp/data/bad.ini"
set +e
"$csa" run "$tmp/data/bad.ini" --out "$tmp/bad-out" 2> "$tmp/err"
st=$?
set -e
[ $st = 2 ] || FAIL "two config problems: exit $st, expected 2"
printf 'csa: %s\ncsa: %s\n' "$tmp/data/bad.ini:31: input file $tmp/data/imd2019.csv not found" \
    "$tmp/data/bad.ini:78: unknown key 'harms' in an [indicator.NAME] section ('csa help run')" |
    diff - "$tmp/err" || FAIL "two config problems: not both, in line order"

# ---- a period the police files do not reach: a data problem, exit 1
sed 's/^period = .*/period = 2019-01 to 2019-03/' "$cfg" > "$tmp/data/bad.ini"
set +e
"$csa" run "$tmp/data/bad.ini" --out "$tmp/bad-out" 2> "$tmp/err"
st=$?
set -e
[ $st = 1 ] || FAIL "no rows in the period: exit $st, expected 1"
grep -qF "[input.police] has no rows in the period, January 2019 to March 2019 (its files cover Jan 2016 to Dec 2018)" \
    "$tmp/err" || { cat "$tmp/err"; FAIL "no rows in the period: message"; }

# ---- an input with errors stops the run (exit 1), listing them, writing nothing
cp -r "$tmp/data" "$tmp/bad"
sed -i '5s/,[0-9.]*,\([^,]*\),\([^,]*\),/,heavy,\1,\2,/' "$tmp/bad/survey/community-survey-2018.csv"
set +e
"$csa" run "$tmp/bad/assessment.ini" --out "$tmp/bad-out" 2> "$tmp/err"
st=$?
set -e
cat "$tmp/err"
[ $st = 1 ] || FAIL "invalid input: exit $st, expected 1"
grep -qF "community-survey-2018.csv:5:" "$tmp/err" || FAIL "invalid input: no line 5 error"
grep -qF "[input.survey] has 1 error: the run stops" "$tmp/err" || FAIL "invalid input: no stop message"
[ ! -e "$tmp/bad-out" ] || FAIL "invalid input: wrote outputs"

# ---- --allow-invalid leaves it out and says so on what it affects
"$csa" run "$tmp/bad/assessment.ini" --out "$tmp/allow-out" --allow-invalid survey 2> "$tmp/err" ||
    { cat "$tmp/err"; FAIL "--allow-invalid run"; }
grep -qF "[input.survey] has 1 error and is left out (--allow-invalid)" "$tmp/err" ||
    FAIL "--allow-invalid: no warning"
grep -q '^Feel safe outside after dark,.*Not computed: input survey was left out' \
    "$tmp/allow-out/summary.csv" || FAIL "--allow-invalid: summary lacks the note"
grep -q '^survey,survey,.*Left out (--allow-invalid)$' "$tmp/allow-out/data-quality.csv" ||
    FAIL "--allow-invalid: data quality lacks the exclusion"
grep -q '^[0-9]*,Violence and sexual offences,.*,No linked question' "$tmp/allow-out/priorities.csv" ||
    FAIL "--allow-invalid: concern should have no value"
# the finding's line and column are numbers in the workbook, not text
/usr/bin/python3 - "$tmp/allow-out/assessment.xlsx" <<'PY' || FAIL "--allow-invalid: finding's line and column are not numbers"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Data quality"]
rows = [[c.value for c in r] for r in ws.iter_rows()]
head = next(i for i, r in enumerate(rows) if r[:4] == ["Input", "File", "Line", "Column"])
found = [r for r in rows[head + 1:] if r[0] == "survey" and r[4] == "bad-number"]
assert found and found[0][2] == 5 and found[0][3] == 3, found
PY

# ---- a survey lookup: respondents in wards of another LA are out of scope
{
    echo "LSOA code,ward code,LA code"
    for w in $(seq 9406 9424); do
        la=E06000042; [ $w -gt 9414 ] && la=E06000099
        echo "E0109$w,E0500$w,$la"
    done
} > "$tmp/data/wards.csv"
sed -e 's#^\[input.survey\]#[input.wards]\nspec = area-lookup\nfiles = wards.csv\n\n[input.survey]\nlookup = wards#' \
    "$cfg" > "$tmp/data/lookup.ini"
"$csa" run "$tmp/data/lookup.ini" --out "$tmp/lookup" --quiet || FAIL "lookup run"
/usr/bin/python3 - "$tmp/data/survey/community-survey-2018.csv" "$tmp/lookup" <<'PY' || fail=1
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
inside = [r for r in rows if int(r["area code"][-4:]) <= 9414]
answered = sum(1 for r in inside if r["feel_safe_night"])
dq = {r["Input"]: r for r in csv.DictReader(open(f"{sys.argv[2]}/data-quality.csv"))}
s = {r["Indicator"]: r for r in csv.DictReader(open(f"{sys.argv[2]}/summary.csv"))}
got = (int(dq["survey"]["Outside area"]), int(dq["survey"]["Used"]),
       int(s["Feel safe outside after dark"]["Denominator"]))
want = (len(rows) - len(inside), len(inside), answered)
print("lookup: out of scope, used, answered", got)
if got != want:
    print("FAIL: lookup", got, "expected", want)
    sys.exit(1)
PY

# without a lookup no respondent is checked against the area: the sample
# run says so on stderr and in every survey indicator's note; with one, not
grep -qF "warning: [input.survey] has no lookup of its area codes to LAs: every respondent is taken to live in Milton Keynes, unchecked" \
    "$tmp/stderr" || FAIL "survey without a lookup: no warning"
[ "$(grep -c '^[^,]*,Public confidence,.*Every respondent is taken to live in Milton Keynes' "$tmp/out/summary.csv")" = \
  "$(grep -c '^[^,]*,Public confidence,' "$tmp/out/summary.csv")" ] || FAIL "survey without a lookup: not every survey indicator says so"
grep -qF "taken to live" "$tmp/lookup/summary.csv" && FAIL "survey with a lookup: says it is unchecked"

# ---- a comparator made of LAs: its rate comes from the same inputs (here
# the area itself, so each crime rate must equal its comparator's)
sed -e '/^comparator_value = /d' -e 's/^comparator = England$/comparator = Milton Keynes\ncomparator_areas = E06000042/' \
    "$cfg" > "$tmp/data/areas.ini"
"$csa" run "$tmp/data/areas.ini" --out "$tmp/areas" --quiet || FAIL "comparator areas run"
/usr/bin/python3 - "$tmp/areas/summary.csv" <<'PY' || fail=1
import csv, sys
crime = [r for r in csv.DictReader(open(sys.argv[1])) if r["Theme"] == "Crime"]
bad = [r["Indicator"] for r in crime
       if r["Comparator value"] != r["Value"] or r["Comparator"] != "Milton Keynes"
       or r["Compared with comparator"] != "Similar"]
if len(crime) != 5 or bad:
    print("FAIL: comparator areas:", len(crime), bad)
    sys.exit(1)
PY
sed 's/^comparator = England$/&\ncomparator_areas = E06000042 E06000099/' "$cfg" > "$tmp/data/bad.ini"
"$csa" run "$tmp/data/bad.ini" --out "$tmp/bad-out" 2> "$tmp/err" && FAIL "unknown comparator area"
grep -qF "comparator area E06000099 has no LSOA in the deprivation input" "$tmp/err" ||
    FAIL "comparator areas: message"

# ---- an input nothing reads is named on stderr, once, and the run goes on
{ cat "$cfg"; printf '\n[input.spare]\nspec = indicator\nfiles = partners/fire-deliberate-fires-SYNTHETIC.csv\n'
  printf '\n[partner.fire_service]\norganisation = Fire\ncontact = a@b.c\ninputs = spare\ndue = 2019-01-31\n'; } \
    > "$tmp/data/spare.ini"
"$csa" run "$tmp/data/spare.ini" --out "$tmp/spare" --quiet 2> "$tmp/err" || FAIL "unused input: run"
[ "$(grep -c 'input.spare. is not used' "$tmp/err")" = 1 ] &&
    grep -qF "csa: warning: [input.spare] is not used: no indicator, lookup or key of [assessment] names it, so no indicator comes from it (it is read and checked all the same): name it in an indicator's input =, or remove it and its name from [partner.fire_service]'s inputs" \
    "$tmp/err" || { cat "$tmp/err"; FAIL "unused input: warning"; }

# ---- Fingertips rows for other sexes, ages and area types do not leak in
cp -r "$tmp/data" "$tmp/ft"
latest='2016/17 - 18/19,999,998,1000,997,1001,9990,10000,,,Worse,Worse,20160000,,,3y'
for who in 'E06000042,Milton Keynes,UA,Male,All ages,,' 'E06000042,Milton Keynes,UA,Persons,18+ yrs,,' \
           'E06000042,Milton Keynes,UA,Persons,All ages,Deprivation,Most deprived' \
           'E07000099,North Hertfordshire,District,Persons,All ages,,'; do
    echo "11201,Violent crime - hospital admissions for violence (including sexual violence),E12000008,South East region,$who,$latest"
done >> "$tmp/ft/health/fingertips-violence-mk.csv"
"$csa" run "$tmp/ft/assessment.ini" --out "$tmp/ft-out" --quiet || FAIL "fingertips breakdown run"
for f in summary.csv admissions-by-area.csv admissions-over-time.csv; do
    cmp -s "$tmp/out/$f" "$tmp/ft-out/$f" || FAIL "fingertips breakdown rows changed $f"
done

# ---- a path with a space, in double quotes
mkdir -p "$tmp/data/police files"
cp "$tmp"/data/police/*.csv "$tmp/data/police files/"
sed 's#^files = police/\*.csv#files = "police files/*.csv"#' "$cfg" > "$tmp/data/space.ini"
"$csa" run "$tmp/data/space.ini" --out "$tmp/space" --quiet || FAIL "quoted path run"
cmp -s "$tmp/out/summary.csv" "$tmp/space/summary.csv" || FAIL "quoted path: summary differs"
rm -r "$tmp/data/police files"

# ---- a config folder whose name looks like a glob
cp -r "$tmp/data" "$tmp/d[1]*"
"$csa" run "$tmp/d[1]*/assessment.ini" --out "$tmp/glob-out" --quiet || FAIL "glob-like folder run"
cmp -s "$tmp/out/summary.csv" "$tmp/glob-out/summary.csv" || FAIL "glob-like folder: summary differs"

# ---- an SPC baseline: limits from October and November judge December
sed 's/^period = .*/&\nbaseline = 2018-10 to 2018-11/' "$cfg" > "$tmp/data/baseline.ini"
"$csa" run "$tmp/data/baseline.ini" --out "$tmp/baseline" --quiet || FAIL "baseline run"
# (two baseline months are too few for control limits: no judgement)
grep -q '^Vehicle crime,.*,2 months in the baseline: too few to judge a trend (SPC control limits need 12 months),' \
    "$tmp/baseline/summary.csv" || FAIL "baseline: two months should set no limits"
# the default baseline given by hand (the 12 months before the period):
# the same limits and words as without it
sed 's/^period = .*/&\nbaseline = 2017-10 to 2018-09/' "$cfg" > "$tmp/data/base12.ini"
"$csa" run "$tmp/data/base12.ini" --out "$tmp/base12" --quiet || FAIL "baseline before the period"
cmp -s "$tmp/out/violence-over-time.csv" "$tmp/base12/violence-over-time.csv" ||
    FAIL "baseline = the year before the period: limits differ from the default's"
# one that ends after the period, and one before the files' first month
sed 's/^period = .*/&\nbaseline = 2018-11 to 2019-01/' "$cfg" > "$tmp/data/bad.ini"
st=0; "$csa" run "$tmp/data/bad.ini" --out "$tmp/bad-out" 2> "$tmp/err" || st=$?
[ $st = 2 ] || FAIL "baseline after the period: exit $st, expected 2"
grep -qF "baseline must end by the period's last month (October 2018 to December 2018)" "$tmp/err" ||
    FAIL "baseline after the period: message"
sed 's/^period = .*/&\nbaseline = 2014-01 to 2014-12/' "$cfg" > "$tmp/data/bad.ini"
st=0; "$csa" run "$tmp/data/bad.ini" --out "$tmp/bad-out" 2> "$tmp/err" || st=$?
[ $st = 2 ] || FAIL "baseline before the files: exit $st, expected 2"
grep -qF "the baseline starts in 2014-01, before the first month the police files hold (2016-01): give a baseline of months they hold" \
    "$tmp/err" || { cat "$tmp/err"; FAIL "baseline before the files: message"; }
[ ! -e "$tmp/bad-out" ] || FAIL "baseline: a stopped run left an output folder"

# ---- a rolling-year re-run: the months missing from the police files
# (without the generated history, which covers those months)
sed -e 's/^period = .*/period = 4 quarters to 2018-12/' -e 's# police-history/\*\.csv##' "$cfg" \
    > "$tmp/data/rolling.ini"
"$csa" run "$tmp/data/rolling.ini" --out "$tmp/rolling" --quiet || FAIL "rolling run"
grep -q '^police,police-street,3,6094,.*,Oct 2018 to Dec 2018,Jan 2018 to Sep 2018,' \
    "$tmp/rolling/data-quality.csv" || { cat "$tmp/rolling/data-quality.csv"; FAIL "rolling: missing months"; }
grep -q 'Partial period: input police has no rows for Jan 2018 to Sep 2018' \
    "$tmp/rolling/summary.csv" || FAIL "rolling: no partial-period note"
# months with no rows are missing, not months of no crime: no trend from them
! grep -q '^Violence and sexual offences,.*Increasing' "$tmp/rolling/summary.csv" ||
    FAIL "rolling: missing months read as zero crimes"
grep -q '^Violence and sexual offences,.*,3 months: too few to judge a trend ' "$tmp/rolling/summary.csv" ||
    FAIL "rolling: the trend should not be judged"
# the counts are the same crimes: the rolling year holds the three months
counts() { /usr/bin/python3 -c 'import csv, sys
for r in list(csv.DictReader(open(sys.argv[1])))[:3]: print(r["Indicator"], r["Count"], r["Denominator"])' "$1"; }
[ "$(counts "$tmp/out/summary.csv")" = "$(counts "$tmp/rolling/summary.csv")" ] || FAIL "rolling: counts differ"

# ---- killed midway: every output in place is a whole one, old or new
cp "$tmp/data/with-maps.ini" "$cfg"
cp -r "$tmp/out" "$tmp/kill"
for delay in 0.02 0.05 0.1 0.2 0.4; do
    SOURCE_DATE_EPOCH=1800000000 "$csa" run "$cfg" --out "$tmp/kill" --quiet &
    sleep $delay
    kill -9 $! 2>/dev/null || true
    wait $! 2>/dev/null || true
done
SOURCE_DATE_EPOCH=1800000000 "$csa" run "$cfg" --out "$tmp/new" --quiet
for f in "$tmp"/out/*; do
    b=$(basename "$f")
    cmp -s "$f" "$tmp/kill/$b" || cmp -s "$tmp/new/$b" "$tmp/kill/$b" || FAIL "killed run left a partial $b"
done

[ $fail = 0 ] && echo "run: all checks passed"
exit $fail
