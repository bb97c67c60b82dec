#!/bin/bash
# csa run and csa calc change on this year against last (issue 15): a
# 24-month history where all crime falls 27% reads as a significant fall in
# the headline, the pack, the workbook and the priorities; "significant"
# exactly when the 95% interval excludes 1; like months only when the
# comparison period is missing months; compare_with = none; and calc
# change against the exact conditional and log-normal intervals. Every
# expected figure is recomputed here from the files (Python stdlib).
set -eu
csa=$(realpath "$1") src=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
FAIL() { echo "FAIL: $*"; fail=1; }
export SOURCE_DATE_EPOCH=1700000000

cp -r "$src/data-samples" "$tmp/data"
# the months are this test's own: the sample's generated history is left out
rm -r "$tmp/data/police-history"
sed -i 's# police-history/\*\.csv##' "$tmp/data/assessment.ini"
rm "$tmp"/data/police/*.csv
# an all-crime indicator beside the sample's crime types
cat >> "$tmp/data/assessment.ini" <<'INI'

[indicator.all]
title = All crime
theme = Crime
input = police
INI
sed -i 's/^period = .*/period = 2018\/19/' "$tmp/data/assessment.ini"

# make-history.py SRC OUT FIRST N KEEP_BEFORE KEEP_AFTER SPLIT: police files
# for N months from FIRST (YYYY-MM), each made of the sample month it
# cycles to, with the month and fresh Crime IDs written in; a month keeps
# the share KEEP_BEFORE of its rows before month SPLIT and KEEP_AFTER from
# it (the rows where the running share passes a whole number)
cat > "$tmp/make-history.py" <<'PY'
import csv, glob, hashlib, os, sys
src, out, first, n, kb, ka, split = sys.argv[1:8]
n, kb, ka, split = int(n), float(kb), float(ka), int(split)
samples = [list(csv.reader(open(f, newline=""))) for f in sorted(glob.glob(f"{src}/*.csv"))]
y, m = map(int, first.split("-"))
os.makedirs(out, exist_ok=True)
for i in range(n):
    month = f"{y + (m - 1 + i) // 12}-{(m - 1 + i) % 12 + 1:02d}"
    head, *rows = samples[i % len(samples)]
    keep = kb if i < split else ka
    with open(f"{out}/{month}-milton-keynes-street.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(head)
        for k, r in enumerate(rows):
            if int((k + 1) * keep) == int(k * keep):
                continue
            r = list(r)
            r[1] = month
            if r[0]:
                r[0] = hashlib.sha256(f"{month}/{k}".encode()).hexdigest()
            w.writerow(r)
PY

# expect.py DATA OUT: each crime indicator's change recomputed from the
# files: the area's crimes (2021 LSOAs through the lookup to their 2011
# parents) in the like months of 2018/19 and 2017/18, the same residents,
# the rate ratio with its log-normal (or, below 10, exact) 95% interval,
# and the sentence; checked against summary.csv and priorities.csv
cat > "$tmp/expect.py" <<'PY'
import csv, glob, math, statistics, sys
data, out = sys.argv[1], sys.argv[2]
TYPES = {"Violence and sexual offences": "Violence and sexual offences",
         "Anti-social behaviour": "Anti-social behaviour", "Burglary": "Burglary",
         "Vehicle crime": "Vehicle crime", "Criminal damage and arson": "Criminal damage and arson",
         "All crime": None}
Z = statistics.NormalDist().inv_cdf(0.975)
imd = {r["LSOA code (2011)"] for r in csv.DictReader(open(f"{data}/imd2019-milton-keynes.csv", encoding="utf-8-sig"))
       if r["Local Authority District code (2019)"] == "E06000042"}
parent = {r["LSOA21CD"]: r["LSOA11CD"] for r in csv.DictReader(open(f"{data}/lsoa-lookup-milton-keynes.csv"))}
pop = {r["lsoa"]: int(r["Total"]) for r in csv.DictReader(open(f"{data}/population-milton-keynes.csv"))}
area = imd | {c for c, p in parent.items() if p in imd}
residents = sum(n for c, n in pop.items() if parent.get(c, c) in imd)
counts = {}  # (title, month) -> crimes
months = set()
for f in sorted(glob.glob(f"{data}/police/*.csv")):
    for r in csv.DictReader(open(f)):
        months.add(r["Month"])
        if r["LSOA code"] not in area:
            continue
        for title, t in TYPES.items():
            if t is None or r["Crime type"] == t:
                counts[title, r["Month"]] = counts.get((title, r["Month"]), 0) + 1
now_m = [f"{2018 + (k + 3) // 12}-{(k + 3) % 12 + 1:02d}" for k in range(12)]
before_m = [f"{2017 + (k + 3) // 12}-{(k + 3) % 12 + 1:02d}" for k in range(12)]
like = [(a, b) for a, b in zip(now_m, before_m) if a in months and b in months]

def places(v):  # the pack's headline rule
    return 1 if v >= 10 else 2 if v >= 1 else 3

def fmt(v, d):
    return f"{v:,.{d}f}"

summary = {r["Indicator"]: r for r in csv.DictReader(open(f"{out}/summary.csv"))}
prio = {r["Indicator"]: r for r in csv.DictReader(open(f"{out}/priorities.csv"))}
bad = []
sig_seen = set()
for title in TYPES:
    now = sum(counts.get((title, a), 0) for a, _ in like)
    before = sum(counts.get((title, b), 0) for _, b in like)
    rr = now / before
    se = math.sqrt(1 / now + 1 / before)
    lo, hi = rr * math.exp(-Z * se), rr * math.exp(Z * se)
    assert now >= 10 and before >= 10  # the log-normal interval
    sig = lo > 1 or hi < 1
    sig_seen.add(sig)
    a, b = now / residents * 1000, before / residents * 1000
    d = places(max(a, b))
    rp = 3 if sig and (abs(lo - 1) < 0.005 or abs(hi - 1) < 0.005) else 2
    pct = (rr - 1) * 100
    words = ("a significant rise" if rr > 1 else "a significant fall") if sig else "no significant change"
    part = "" if len(like) == 12 else f" over the {len(like)} months both periods have"
    want = (f"{'rose' if rr > 1 else 'fell'} from {fmt(b, d)} to {fmt(a, d)} per 1,000 residents{part} "
            f"against Apr 2017 to Mar 2018 ({pct:+.{1 if 0 < abs(pct) < 1 else 0}f}%; rate ratio {rr:.{rp}f}, 95% CI "
            f"{lo:.{rp}f} to {hi:.{rp}f}): {words}")
    s = summary[title]
    print(f"{title}: {now} against {before}, rate ratio {rr:.4f} ({lo:.4f} to {hi:.4f})")
    if s["Change"] != want:
        bad.append(f"{title}: change\n    got  {s['Change']}\n    want {want}")
    for col, v in [("Count now", now), ("Count before", before)]:
        if s[col] != str(v):
            bad.append(f"{title}: {col} {s[col]}, expected {v}")
    for col, v in [("Rate ratio", rr), ("Rate ratio lower 95% CI", lo), ("Rate ratio upper 95% CI", hi),
                   ("Value now", a), ("Value before", b)]:
        if abs(float(s[col]) - v) > 6e-5:
            bad.append(f"{title}: {col} {s[col]}, expected {v:.4f}")
    if not s["Note"].startswith("Both periods' rates are per the same residents") and len(like) == 12:
        bad.append(f"{title}: no note on the one population: {s['Note']}")
    if title in prio:  # candidates only (the config's priority)
        p = prio[title]
        score = "3.00" if not sig else ("1.00" if rr <= 1 / 1.2 else "2.00") if rr < 1 else ("5.00" if rr >= 1.2 else "4.00")
        judge = "" if not sig else ", getting better" if rr < 1 else ", getting worse"
        pv = f"{rr:.{rp}f} (95% CI {lo:.{rp}f} to {hi:.{rp}f}): {words}{judge}"
        if (p["Trend: value"], p["Trend: score"]) != (pv, score):
            bad.append(f"{title}: priority trend {p['Trend: value']} {p['Trend: score']}, expected {pv} {score}")
print("significant seen:", sorted(sig_seen))
if bad:
    print("FAIL:", *bad, sep="\n  ")
    sys.exit(1)
PY

run() { # name: data in $tmp/NAME.d, output in $tmp/NAME, stderr in $tmp/NAME.err
    "$csa" run "$tmp/$1.d/assessment.ini" --out "$tmp/$1" 2> "$tmp/$1.err" ||
        { cat "$tmp/$1.err"; FAIL "$1: run failed"; }
}
history() { # name, keep before, keep after: 24 months, Apr 2017 to Mar 2019
    cp -r "$tmp/data" "$tmp/$1.d"
    /usr/bin/python3 "$tmp/make-history.py" "$tmp/data-samples-police" "$tmp/$1.d/police" \
        2017-04 24 "$2" "$3" 12
}
cp -r "$src/data-samples/police" "$tmp/data-samples-police"

# ---- the issue's case: all crime falls 27%: a significant fall everywhere
history fall 1 0.73
run fall
/usr/bin/python3 "$tmp/expect.py" "$tmp/fall.d" "$tmp/fall" || fail=1
pdftotext "$tmp/fall/assessment-pack.pdf" - | tr '\n' ' ' | tr -s ' ' > "$tmp/fall.txt"
grep -qE "All crime: fell from [0-9.]+ to [0-9.]+ per 1,000 residents against Apr 2017 to Mar 2018 \(-2[67]%; rate ratio 0\.7[0-9], 95% CI 0\.[0-9]+ to 0\.[0-9]+\): a significant fall\. In April 2018 to March 2019:" \
    "$tmp/fall.txt" || FAIL "pack: the all-crime reading does not lead with a significant fall"
grep -qF "Change on Apr 2017 to Mar 2018" "$tmp/fall.txt" || FAIL "pack: no change in the headline box"
grep -qF "Clopper-Pearson" "$tmp/fall.txt" || FAIL "pack: method notes do not state the interval's rule"
/usr/bin/python3 "$src/tests/golden/dump-workbook.py" "$tmp/fall/assessment.xlsx" > "$tmp/fall.tsv"
/usr/bin/python3 - "$tmp/fall/summary.csv" "$tmp/fall.tsv" <<'PY' || fail=1
import csv, sys
s = next(r for r in csv.DictReader(open(sys.argv[1])) if r["Indicator"] == "All crime")
cells = open(sys.argv[2]).read()
# the workbook's Summary and the indicator's sheet (its reading) say it too
if cells.count(s["Change"]) < 2:
    print("FAIL: workbook: the change sentence is not on the Summary and the Crime sheet")
    sys.exit(1)
PY
# history rows are used (they make the comparison), none outside the period
/usr/bin/python3 - "$tmp/fall/summary.csv" <<'PY' || fail=1
import csv, sys
s = next(r for r in csv.DictReader(open(sys.argv[1])) if r["Indicator"] == "All crime")
if s["Outside period"] != "0" or int(s["Used"]) < int(s["Count now"]) + int(s["Count before"]):
    print("FAIL: row accounting", s["Used"], s["Outside period"])
    sys.exit(1)
PY

# the comparison period's rows are read, not warned as outside the period
grep -q ",outside-period," "$tmp/fall/findings.csv" && FAIL "fall: comparison rows warned as outside the period"

# ---- no change: 1% fewer, within chance for every type and all crime
history flat 1 0.99
run flat
/usr/bin/python3 "$tmp/expect.py" "$tmp/flat.d" "$tmp/flat" || fail=1
grep -c "no significant change" "$tmp/flat/summary.csv" | grep -qx 6 ||
    FAIL "flat: not every crime indicator reads no significant change"

# ---- 7% fewer: significant for the larger counts only (both kinds checked)
history some 1 0.93
run some
/usr/bin/python3 "$tmp/expect.py" "$tmp/some.d" "$tmp/some" | tee "$tmp/some.out" || fail=1
grep -qxF "significant seen: [False, True]" "$tmp/some.out" || FAIL "some: not a mix of significant and not"

# ---- three years: the year before the comparison is history the month
# charts use, not rows outside the period; its missing month is found, and
# a row older than the run's 240 months of history is outside
cp -r "$tmp/data" "$tmp/old.d"
/usr/bin/python3 "$tmp/make-history.py" "$tmp/data-samples-police" "$tmp/old.d/police" \
    2016-04 36 1 1 0
rm "$tmp/old.d/police/2016-07-milton-keynes-street.csv"
f="$tmp/old.d/police/2016-08-milton-keynes-street.csv"
sed -n 2p "$f" | sed 's/,2016-08,/,1998-03,/' >> "$f"
run old
grep -c ",outside-period," "$tmp/old/findings.csv" | grep -qx 1 ||
    FAIL "old: history rows warned as outside the period"
grep -qF 'outside-period,warning,1998-03,"Month ""1998-03"" is outside 1999-04 to 2019-03, the period and its history"' \
    "$tmp/old/findings.csv" || FAIL "old: the row before the history is not named"
grep -qF "police,,,,missing-month,warning,2016-07,no rows for 2016-07" "$tmp/old/findings.csv" ||
    FAIL "old: the history's missing month is not found"
pdftotext "$tmp/old/assessment-pack.pdf" - | tr '\n' ' ' | tr -s ' ' > "$tmp/old.txt"
grep -qF "Milton Keynes, Apr 2016 to Mar 2019; XmR limits from Apr 2017 to Mar 2018 (large moving ranges screened out)" \
    "$tmp/old.txt" || FAIL "old: the SPC chart is not over the 36 months with last year's limits"

# ---- a comparison period missing two months: like months only, said so
history part 1 0.73
rm "$tmp/part.d/police/2017-06-milton-keynes-street.csv" "$tmp/part.d/police/2017-07-milton-keynes-street.csv"
run part
grep -qF "warning: [input.police] has no rows for Jun 2017 to Jul 2017 of the comparison period (Apr 2017 to Mar 2018): change is over the months both periods have" \
    "$tmp/part.err" || { cat "$tmp/part.err"; FAIL "part: no warning"; }
/usr/bin/python3 "$tmp/expect.py" "$tmp/part.d" "$tmp/part" || fail=1
# validation finds the comparison period's missing months as the period's
for m in 2017-06 2017-07; do
    grep -qF "police,,,,missing-month,warning,$m,no rows for $m" "$tmp/part/findings.csv" ||
        FAIL "part: validation does not find $m missing"
done
grep -qF "The change compares the 10 of 12 months that both the period and Apr 2017 to Mar 2018 have rows for (like months only); the comparison period has no rows for Jun 2017 to Jul 2017." \
    "$tmp/part/summary.csv" || FAIL "part: no note on like months"

# ---- compare_with = none: no change figures, a neutral trend score
cp -r "$tmp/fall.d" "$tmp/none.d"
sed -i 's/^period = .*/&\ncompare_with = none/' "$tmp/none.d/assessment.ini"
run none
/usr/bin/python3 - "$tmp/none" <<'PY' || fail=1
import csv, sys
s = next(r for r in csv.DictReader(open(sys.argv[1] + "/summary.csv")) if r["Indicator"] == "Burglary")
p = next(r for r in csv.DictReader(open(sys.argv[1] + "/priorities.csv")) if r["Indicator"] == "Burglary")
want = "Not compared with an earlier period (compare_with = none)"
if s["Change"] != want or s["Rate ratio"] != "" or p["Trend: score"] != "3.00" or \
        p["Trend: value"] != "No judgement, neutral: not compared with an earlier period (compare_with = none)":
    print("FAIL: compare_with = none:", s["Change"], s["Rate ratio"], p["Trend: value"], p["Trend: score"])
    sys.exit(1)
PY
# a comparison period of another length is refused
sed 's/^compare_with = none/compare_with = 2017-01 to 2017-03/' "$tmp/none.d/assessment.ini" > "$tmp/none.d/short.ini"
if "$csa" run "$tmp/none.d/short.ini" --out "$tmp/short" 2> "$tmp/short.err"; then
    FAIL "a 3-month comparison for a 12-month period ran"
fi
grep -qF "compare_with must be 12 months long, as the period (April 2018 to March 2019) is" "$tmp/short.err" ||
    { cat "$tmp/short.err"; FAIL "short comparison: no message"; }

# ---- csa calc change against independently computed intervals
cat > "$tmp/change.csv" <<'CSV'
area,year,crimes,population
A,2017,20,1000
A,2018,11,1000
B,2017,7,500
B,2018,2,500
C,2017,7616,270000
C,2018,5548,270000
D,2017,0,800
D,2018,3,800
A,2017,5,1000
CSV
"$csa" calc change --count crimes --denominator population --period year --by area \
    "$tmp/change.csv" > "$tmp/change.out" || FAIL "calc change failed"
/usr/bin/python3 - "$tmp/change.out" <<'PY' || fail=1
# Exact: R's poisson.test(c(x, y), c(t1, t2)) conditions on x + y: x is
# binomial with p = RR t1 / (RR t1 + t2); Clopper-Pearson limits for p
# (binom.test) give RR = p / (1 - p) * t2 / t1. Log-normal: exp(ln RR +- z
# sqrt(1/x + 1/y)). Difference: (x/t1 - y/t2) * 1000 +- z sqrt(x/t1^2 +
# y/t2^2) * 1000. Group A adds its two 2017 rows up (25 of 2,000).
import csv, math, statistics, sys
def cdf(k, n, p):  # P(X <= k), X ~ Binomial(n, p)
    return sum(math.comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(k + 1))
def solve(f, target):  # f falls from 1 to 0 on (0, 1)
    lo, hi = 0.0, 1.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if f(mid) > target else (lo, mid)
    return (lo + hi) / 2
def exact(x, t1, y, t2, level):
    a, n = (1 - level / 100) / 2, x + y
    pl = 0 if x == 0 else solve(lambda p: cdf(x - 1, n, p), 1 - a)  # P(X >= x) = a
    pu = solve(lambda p: cdf(x, n, p), a)
    return pl / (1 - pl) * t2 / t1, pu / (1 - pu) * t2 / t1
rows = {r["area"]: r for r in csv.DictReader(open(sys.argv[1]))}
data = {"A": (11, 1000, 25, 2000), "B": (2, 500, 7, 500), "C": (5548, 270000, 7616, 270000)}
bad = []
for area, (x, t1, y, t2) in data.items():
    r = rows[area]
    rr = (x / t1) / (y / t2)
    small = x < 10 or y < 10
    for level in (95, 99.8):
        z = statistics.NormalDist().inv_cdf(1 - (1 - level / 100) / 2)
        if small:
            lo, hi = exact(x, t1, y, t2, level)
        else:
            se = math.sqrt(1 / x + 1 / y)
            lo, hi = rr * math.exp(-z * se), rr * math.exp(z * se)
        d = (x / t1 - y / t2) * 1000
        half = z * math.sqrt(x / t1 ** 2 + y / t2 ** 2) * 1000
        want = {"Rate ratio": rr, f"Rate ratio lower {level:g}% CI": lo,
                f"Rate ratio upper {level:g}% CI": hi, "Rate difference per 1,000": d,
                f"Rate difference lower {level:g}% CI": d - half,
                f"Rate difference upper {level:g}% CI": d + half}
        for col, v in want.items():
            if abs(float(r[col]) - v) > 2e-6 * max(1, abs(v)):
                bad.append(f"{area} {col}: {r[col]}, expected {v:.6f}")
    if r["Ratio interval"] != ("exact conditional" if small else "log-normal"):
        bad.append(f"{area}: method {r['Ratio interval']}")
    print(f"{area}: rate ratio {rr:.6f} ({r['Ratio interval']})")
if rows["D"]["Note"] != "no events before: no ratio" or rows["D"]["Rate ratio"] != "":
    bad.append(f"D: {rows['D']['Note']} {rows['D']['Rate ratio']}")
if bad:
    print("FAIL: calc change:", *bad, sep="\n  ")
    sys.exit(1)
PY

[ $fail = 0 ] && echo "change: all checks passed"
exit $fail
