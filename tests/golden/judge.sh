#!/bin/bash
# csa run on police series the sample months are made into (issue 14
# cases 6, 7 and 8): crime types matched in any case and under police.uk's
# names before May 2013; a period the files cover in part, with and
# without annualise; and no trend judgement from fewer months than SPC
# limits need. Figures are recomputed here from the files, not read from
# csa.
set -eu
csa=$(realpath "$1") src=$(realpath "$2")
. "$src/tests/golden/sample.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
FAIL() { echo "FAIL: $*"; fail=1; }
export SOURCE_DATE_EPOCH=1700000000

cp -r "$src/data-samples" "$tmp/data"
sample_real_months "$tmp/data" # the months are this test's own
sample_without_maps "$tmp/data"
cfg="$tmp/data/assessment.ini"

# make-months.py DIR MONTH... : police files for more months, made of the
# sample's rows (each month from the sample month it cycles to) with the
# month and fresh Crime IDs written in; VIOLENCE=a,b,... sets how many
# Violence and sexual offences rows each month has (rows repeat as needed)
cat > "$tmp/make-months.py" <<'PY'
import csv, glob, hashlib, os, sys
src, out, months = sys.argv[1], sys.argv[2], sys.argv[3:]
violence = [int(v) for v in os.environ.get("VIOLENCE", "").split(",") if v]
samples = [list(csv.reader(open(f, newline=""))) for f in sorted(glob.glob(f"{src}/*.csv"))]
os.makedirs(out, exist_ok=True)
for i, month in enumerate(months):
    head, *rows = samples[i % len(samples)]
    if violence:
        v = [r for r in rows if r[9] == "Violence and sexual offences"]
        rows = [r for r in rows if r[9] != "Violence and sexual offences"]
        rows += [v[k % len(v)] for k in range(violence[i])]
    with open(f"{out}/{month}-milton-keynes-street.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(head)
        for k, r in enumerate(rows):
            r = list(r)
            r[1] = month
            if r[0]:
                r[0] = hashlib.sha256(f"{month}/{k}".encode()).hexdigest()
            w.writerow(r)
PY
months() { # first month (YYYY-MM), how many
    /usr/bin/python3 -c 'import sys
y, m = map(int, sys.argv[1].split("-"))
for k in range(int(sys.argv[2])):
    print(f"{y + (m - 1 + k) // 12}-{(m - 1 + k) % 12 + 1:02d}")' "$1" "$2"
}

# the area's crimes of one type by month, and its residents, from the files
cat > "$tmp/recount.py" <<'PY'
import csv, glob
def recount(data, police, ctypes):
    imd = {r["LSOA code (2011)"] for r in csv.DictReader(open(f"{data}/imd2019-milton-keynes.csv", encoding="utf-8-sig"))
           if r["Local Authority District code (2019)"] == "E06000042"}
    # the config's LSOA lookup takes 2021 codes (population, some crimes)
    # back to their 2011 parents, so every 2011 LSOA of the area counts
    parent = {r["LSOA21CD"]: r["LSOA11CD"] for r in csv.DictReader(open(f"{data}/lsoa-lookup-milton-keynes.csv"))}
    pop = {r["lsoa"]: int(r["Total"]) for r in csv.DictReader(open(f"{data}/population-milton-keynes.csv"))}
    area = imd | {c for c, p in parent.items() if p in imd}
    by_month = {}
    for f in sorted(glob.glob(f"{police}/*.csv")):
        for r in csv.DictReader(open(f)):
            if r["LSOA code"] in area and r["Crime type"] in ctypes:
                by_month[r["Month"]] = by_month.get(r["Month"], 0) + 1
    return by_month, sum(n for c, n in pop.items() if parent.get(c, c) in imd)
PY

run() { # name, config; stderr in $tmp/name.err
    "$csa" run "$2" --out "$tmp/$1" 2> "$tmp/$1.err" || { cat "$tmp/$1.err"; FAIL "$1: run failed"; }
}
summary() { # out dir, indicator title, column
    /usr/bin/python3 -c 'import csv, sys
print(next(r for r in csv.DictReader(open(sys.argv[1] + "/summary.csv")) if r["Indicator"] == sys.argv[2])[sys.argv[3]])' \
        "$1" "$2" "$3"
}

# ---- case 6: crime types in any case, police.uk's old names, absent types
run base "$cfg"
sed 's/^crime_types = Violence and sexual offences$/crime_types = violent crime/' "$cfg" > "$tmp/data/old.ini"
run old "$tmp/data/old.ini"
for col in Count Value "Lower 95% CI" "Upper 95% CI"; do
    [ "$(summary "$tmp/old" "Violence and sexual offences" "$col")" = \
      "$(summary "$tmp/base" "Violence and sexual offences" "$col")" ] ||
        FAIL "violent crime: $col differs from Violence and sexual offences"
done
/usr/bin/python3 - "$tmp" <<'PY' || fail=1
import sys
sys.path.insert(0, sys.argv[1])
from recount import recount
t = sys.argv[1]
by_month, residents = recount(f"{t}/data", f"{t}/data/police", {"Violence and sexual offences"})
want = sum(by_month.values())
print("violent crime: independent count", want)
import csv
got = next(r for r in csv.DictReader(open(f"{t}/old/summary.csv")) if r["Indicator"] == "Violence and sexual offences")
if int(got["Count"]) != want:
    print("FAIL: violent crime counts", got["Count"], "expected", want)
    sys.exit(1)
PY
summary "$tmp/old" "Violence and sexual offences" Note |
    grep -qF "'violent crime' is police.uk's name before May 2013: counted as today's Violence and sexual offences" ||
    FAIL "violent crime: no mapping note"

# rows under the old name count too
cp -r "$tmp/data" "$tmp/oldrows.d"
sed -i '2,101s/,Violence and sexual offences,/,Violent crime,/' "$tmp/oldrows.d/police/2018-10-milton-keynes-street.csv"
n=$(grep -c ',Violent crime,' "$tmp/oldrows.d/police/2018-10-milton-keynes-street.csv")
run oldrows "$tmp/oldrows.d/assessment.ini"
[ "$(summary "$tmp/oldrows" "Violence and sexual offences" Count)" = \
  "$(summary "$tmp/base" "Violence and sexual offences" Count)" ] || FAIL "old-name rows are not counted"
summary "$tmp/oldrows" "Violence and sexual offences" Note |
    grep -qF "$n rows under 'Violent crime', police.uk's name before May 2013, are counted as Violence and sexual offences" ||
    FAIL "old-name rows: no note"

# a period from before May 2013 says the categories changed within it
cp -r "$tmp/data" "$tmp/y2013.d"
rm "$tmp/y2013.d"/police/*.csv
/usr/bin/python3 "$tmp/make-months.py" "$tmp/data/police" "$tmp/y2013.d/police" 2013-03 2013-04 2013-05
sed -i 's/^period = .*/period = 2013-03 to 2013-05/' "$tmp/y2013.d/assessment.ini"
run y2013 "$tmp/y2013.d/assessment.ini"
summary "$tmp/y2013" Burglary Note | grep -qF "Months before May 2013 are in police.uk's older categories" ||
    FAIL "2013: no note on the change of categories"
summary "$tmp/base" Burglary Note | grep -qF "May 2013" && FAIL "2018: a note on the 2013 categories"

# (a misspelt type, a config error with "did you mean": run.sh's config errors)

# a known type with no rows in the period warns, on stderr and the page
cp -r "$tmp/data" "$tmp/norob.d"
sed -i '/,Robbery,/d' "$tmp"/norob.d/police/*.csv
sed -i 's/^crime_types = Burglary$/crime_types = Robbery/' "$tmp/norob.d/assessment.ini"
run norob "$tmp/norob.d/assessment.ini"
grep -qF "warning: [indicator.burglary] crime type 'Robbery' has no rows in October 2018 to December 2018" \
    "$tmp/norob.err" || { cat "$tmp/norob.err"; FAIL "absent type: no warning"; }
summary "$tmp/norob" Burglary Note | grep -qF "No rows of crime type 'Robbery' in the police files in the period" ||
    FAIL "absent type: no note"

# ---- case 7: 2018/19 with 6 of its 12 months (Oct 2018 to Mar 2019)
cp -r "$tmp/data" "$tmp/half.d"
/usr/bin/python3 "$tmp/make-months.py" "$tmp/data/police" "$tmp/half.d/police" 2019-01 2019-02 2019-03
sed -i 's/^period = .*/period = 2018\/19/' "$tmp/half.d/assessment.ini"
run half "$tmp/half.d/assessment.ini"
grep -qF "warning: [input.police] has rows for 6 of the 12 months of April 2018 to March 2019 (Apr 2018 to Sep 2018 missing)" \
    "$tmp/half.err" || { cat "$tmp/half.err"; FAIL "half year: no warning on stderr"; }
/usr/bin/python3 "$src/tests/golden/dump-workbook.py" "$tmp/half/assessment.xlsx" > "$tmp/half.tsv"
/usr/bin/python3 - "$tmp" <<'PY' || fail=1
import sys
sys.path.insert(0, sys.argv[1])
from recount import recount
t = sys.argv[1]
by_month, residents = recount(f"{t}/half.d", f"{t}/half.d/police", {"Violence and sexual offences"})
rate = sum(by_month.values()) / residents * 1000
places = 1 if rate >= 10 else 2 if rate >= 1 else 3
want = (f"Violence and sexual offences: {rate:.{places}f} per 1,000 residents over 6 of 12 months "
        "(Apr 2018 to Sep 2018 missing); 6 months: too few to judge a trend.")
print("half year:", want)
if want not in open(f"{t}/half.tsv").read():
    print("FAIL: half year: the workbook's headline is not", want)
    sys.exit(1)
PY
pdftotext "$tmp/half/assessment-pack.pdf" - | tr '\n' ' ' | grep -qF "over 6 of 12 months" ||
    FAIL "half year: the pack's headline lacks 6 of 12 months"
[ "$(summary "$tmp/half" "Violence and sexual offences" "Compared with comparator")" = "Not compared" ] ||
    FAIL "half year: compared with the whole-period comparator_value"
[ -z "$(summary "$tmp/half" "Violence and sexual offences" "Comparator value")" ] ||
    FAIL "half year: comparator value shown"
summary "$tmp/half" "Violence and sexual offences" Note |
    grep -qF "Not compared with England (7.1): that value is for the whole period and this rate covers 6 of its 12 months" ||
    FAIL "half year: no reason for not comparing"
grep -q '^[0-9]*,Violence and sexual offences,No comparator,3.00,' "$tmp/half/priorities.csv" ||
    FAIL "half year: volume scored against the whole-period comparator"

sed 's/^comparator_value = 7.1$/&\nannualise = yes/' "$tmp/half.d/assessment.ini" > "$tmp/half.d/annual.ini"
run annual "$tmp/half.d/annual.ini"
/usr/bin/python3 - "$tmp" <<'PY' || fail=1
import csv, sys
sys.path.insert(0, sys.argv[1])
from recount import recount
t = sys.argv[1]
by_month, residents = recount(f"{t}/half.d", f"{t}/half.d/police", {"Violence and sexual offences"})
count = sum(by_month.values())
want = count / residents * 1000 * 12 / 6
r = next(r for r in csv.DictReader(open(f"{t}/annual/summary.csv")) if r["Indicator"] == "Violence and sexual offences")
print(f"annualised: {count} crimes in {len(by_month)} months, {residents} residents: {want:.4f}")
bad = []
if len(by_month) != 6 or int(r["Count"]) != count:
    bad.append(f"count {r['Count']}, {len(by_month)} months")
if f"{want:.4f}" != r["Value"]:
    bad.append(f"value {r['Value']}, expected {want:.4f}")
if r["Unit"] != "per 1,000 residents, annualised from 6 of 12 months (Apr 2018 to Sep 2018 missing)":
    bad.append(f"unit {r['Unit']}")
if r["Comparator value"] != "7.1000" or r["Compared with comparator"] not in ("Better", "Worse", "Similar"):
    bad.append(f"comparison {r['Comparator value']} {r['Compared with comparator']}")
if bad:
    print("FAIL: annualised:", *bad, sep="\n  ")
    sys.exit(1)
PY

# comparator areas are counted over the same months: still compared (here
# the area itself, so the rates must be equal and similar)
sed -e '/^comparator_value = /d' -e 's/^comparator = England$/comparator = Milton Keynes\ncomparator_areas = E06000042/' \
    "$tmp/half.d/assessment.ini" > "$tmp/half.d/areas.ini"
run areas "$tmp/half.d/areas.ini"
[ "$(summary "$tmp/areas" "Violence and sexual offences" "Compared with comparator")" = Similar ] &&
[ "$(summary "$tmp/areas" "Violence and sexual offences" "Comparator value")" = \
  "$(summary "$tmp/areas" "Violence and sexual offences" Value)" ] ||
    FAIL "half year: comparator areas over the same months should be compared"

# ---- case 8: too few months for a judgement, and enough
for n in 3 5; do
    cp -r "$tmp/data" "$tmp/m$n.d"
    rm "$tmp/m$n.d"/police/*.csv
    /usr/bin/python3 "$tmp/make-months.py" "$tmp/data/police" "$tmp/m$n.d/police" $(months 2018-10 $n)
    sed -i "s/^period = .*/period = 2018-10 to $(months 2018-10 $n | tail -1)/" "$tmp/m$n.d/assessment.ini"
    run m$n "$tmp/m$n.d/assessment.ini"
    for title in "Violence and sexual offences" "Anti-social behaviour" Burglary "Vehicle crime" \
                 "Criminal damage and arson"; do
        [ "$(summary "$tmp/m$n" "$title" Trend)" = \
          "$n months: too few to judge a trend (SPC control limits need 12 months)" ] ||
            FAIL "$n months: $title: $(summary "$tmp/m$n" "$title" Trend)"
        # (issue 15: the trend criterion scores the change on last year, which
        # these files do not have)
        grep -q "^[0-9]*,$title,[^,]*,[0-9.]*,[0-9.]*,\"No judgement, neutral: no change figures: the police files have no rows for the comparison period, Oct 2017 to [A-Z][a-z]* 201[78]\",3.00," \
            "$tmp/m$n/priorities.csv" || FAIL "$n months: $title: priority trend not neutral"
    done
    pdftotext "$tmp/m$n/assessment-pack.pdf" - | tr '\n' ' ' |
        grep -qF "$n months: too few to judge a trend" || FAIL "$n months: the pack does not say why"
done

# 24 months, violence stepping up by half in the second year: a judgement
cp -r "$tmp/data" "$tmp/m24.d"
rm "$tmp/m24.d"/police/*.csv
VIOLENCE=$(/usr/bin/python3 -c 'import random
g = random.Random(14)
print(",".join(str((500 if k < 12 else 750) + g.randint(-30, 30)) for k in range(24)))')
VIOLENCE=$VIOLENCE /usr/bin/python3 "$tmp/make-months.py" "$tmp/data/police" "$tmp/m24.d/police" $(months 2017-01 24)
sed -i 's/^period = .*/period = 2017-01 to 2018-12/' "$tmp/m24.d/assessment.ini"
run m24 "$tmp/m24.d/assessment.ini"
/usr/bin/python3 - "$tmp" <<'PY' || fail=1
import calendar, csv, sys
sys.path.insert(0, sys.argv[1])
from recount import recount
t = sys.argv[1]
by_month, residents = recount(f"{t}/m24.d", f"{t}/m24.d/police", {"Violence and sexual offences"})
months = sorted(by_month)
per_day = [by_month[m] / calendar.monthrange(*map(int, m.split("-")))[1] for m in months]
mean = sum(per_day) / len(per_day)
mr = sum(abs(a - b) for a, b in zip(per_day, per_day[1:])) / (len(per_day) - 1)
upper = mean + 2.66 * mr
bad = []
rows = list(csv.DictReader(open(f"{t}/m24/violence-by-month.csv")))
for m, r, v in zip(months, rows, per_day):
    if r["Month"] != m or f"{v:.4f}" != r["Crimes per day"]:
        bad.append(f"{r['Month']}: {r['Crimes per day']} per day, expected {v:.4f}")
# the last month is above the upper limit computed here
want = "Latest month above SPC limits" if per_day[-1] > upper else "?"
s = next(r for r in csv.DictReader(open(f"{t}/m24/summary.csv")) if r["Indicator"] == "Violence and sexual offences")
p = next(r for r in csv.DictReader(open(f"{t}/m24/priorities.csv")) if r["Indicator"] == "Violence and sexual offences")
print(f"24 months: mean {mean:.3f}/day, mean moving range {mr:.3f}, upper limit {upper:.3f}, last {per_day[-1]:.3f}")
if "latest month above SPC limits: getting worse" not in s["Trend"]:
    bad.append(f"trend {s['Trend']}")
# the priority scores the change on last year (issue 15): 2018 against
# 2017, the months both have, log-normal interval
import math
now = sum(n for m, n in by_month.items() if m.startswith("2018"))
before = sum(n for m, n in by_month.items() if m.startswith("2017"))
rr, se = now / before, math.sqrt(1 / now + 1 / before)
lo, hi = rr * math.exp(-1.959964 * se), rr * math.exp(1.959964 * se)
want = f"{rr:.2f} (95% CI {lo:.2f} to {hi:.2f}): a significant rise, getting worse"
print(f"24 months: 2018 {now} against 2017 {before}: rate ratio {rr:.4f} ({lo:.4f} to {hi:.4f})")
if (p["Trend: value"], p["Trend: score"]) != (want, "5.00"):
    bad.append(f"priority trend {p['Trend: value']} {p['Trend: score']}, expected {want}")
if bad:
    print("FAIL: 24 months:", *bad, sep="\n  ")
    sys.exit(1)
PY

[ $fail = 0 ] && echo "judge: all checks passed"
exit $fail
