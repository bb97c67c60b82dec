#!/bin/bash
# csa run and csa calc change on this year against last (issue 15): a
# 24-month history where all crime falls 27% reads as a significant fall in
# the headline, the pack, the workbook and the priorities; "significant"
# exactly when the 95% interval excludes 1; like months only when the
# comparison period is missing months; compare_with = none; and calc
# change against the exact conditional and log-normal intervals; the
# history's months in the "over time" and "by month of the year" tables,
# CSV and workbook, with their native charts (as LibreOffice prints them).
# Every expected figure is recomputed here from the files (Python stdlib).
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
    if abs(rr - 1.2) < 0.005 or abs(rr - 0.8) < 0.005:  # the trend bands' edges: which side
        rp = 3
    pct = (rr - 1) * 100
    words = ("a significant rise" if rr > 1 else "a significant fall") if sig else "no significant change"
    part = "" if len(like) == 12 else f" over the {len(like)} months both periods have"
    want = (f"{'rose' if rr > 1 else 'fell'} from {fmt(b, d)} to {fmt(a, d)} per 1,000 residents{part} "
            f"against Apr 2017 to Mar 2018 ({pct:+.{1 if 0 < abs(pct) < 1 or abs(abs(pct) - 20) < 0.5 else 0}f}%; rate ratio {rr:.{rp}f}, 95% CI "
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
        # a fall of 20% or more (to 0.80) scores 1; one of 18% scores 2
        score = "3.00" if not sig else ("1.00" if rr <= 0.8 else "2.00") if rr < 1 else ("5.00" if rr >= 1.2 else "4.00")
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

# ---- another force's file for one month of the period only (its rows in
# the area's LSOAs): its crimes would count on one side of the change; said
# on stderr and in the note of every crime indicator, with its rows in the
# area recounted
history oneside 1 1
n=$(/usr/bin/python3 - "$tmp/oneside.d" <<'PY'
import csv, hashlib, sys
d = sys.argv[1]
head, *rows = list(csv.reader(open(f"{d}/police/2018-11-milton-keynes-street.csv", newline="")))
area = {r["LSOA code (2011)"] for r in csv.DictReader(open(f"{d}/imd2019-milton-keynes.csv", encoding="utf-8-sig"))
        if r["Local Authority District code (2019)"] == "E06000042"}
rows = [r for r in rows if r[0] and r[7] in area][:40]
with open(f"{d}/police/2018-11-hampshire-street.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(head)
    for k, r in enumerate(rows):
        w.writerow([hashlib.sha256(f"hampshire/{k}".encode()).hexdigest(), r[1],
                    "Hampshire Constabulary", "Hampshire Constabulary"] + r[4:])
print(len(rows))
PY
)
run oneside
said="Hampshire Constabulary's files hold months of the period but none of the comparison period, and $n of the area's rows are in it: the change counts them on one side only (give that force's files for both periods, or for neither)"
grep -qF "warning: [input.police] $said" "$tmp/oneside.err" || { cat "$tmp/oneside.err"; FAIL "oneside: not warned"; }
[ "$(grep -cF "$said" "$tmp/oneside/summary.csv")" = 6 ] || FAIL "oneside: not on the six crime indicators' notes"
grep -q "one side only" "$tmp/fall.err" && FAIL "fall: one force's files said to be on one side"

# ---- 18% fewer: a significant fall of less than 20% (a rate ratio of
# 0.82, above 0.80), which the trend criterion scores 2, not 1
history band 1 0.82
run band
/usr/bin/python3 "$tmp/expect.py" "$tmp/band.d" "$tmp/band" || fail=1
grep -q '^[0-9]*,Violence and sexual offences,[^"]*,"0\.8[1-9] (95% CI [^)]*): a significant fall, getting better",2\.00,' \
    "$tmp/band/priorities.csv" || FAIL "band: an 18% fall does not score 2"

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
# the history repeats the sample's three months, so its last two years are
# alike month by month (r = 1), and with no full year before the baseline
# (2016-07 is missing) that is a seasonal pattern it cannot adjust for:
# the SPC chart over the 36 months, with no limits and no judgement
grep -qF "Milton Keynes, Apr 2016 to Mar 2019; no control limits: a seasonal pattern (r = 1.00) that cannot be adjusted for" \
    "$tmp/old.txt" || FAIL "old: the SPC chart is not over the 36 months, unjudged as seasonal"

# ---- the history in the tables and the workbook: 48 months (Apr 2015 to
# Mar 2019) with Aug 2015 missing and a few months short of some rows (so
# the years differ), the period 20% down: every crime indicator's "over time" and "by month of the year"
# tables (CSV and workbook cells) against crimes per day, the same month a
# year earlier, the rolling 12 months, the seasonal relatives of the
# full years before the period but not the baseline's, the SPC limits and the month-of-year
# profile, all recomputed here from the files
cp -r "$tmp/data" "$tmp/over.d"
/usr/bin/python3 "$tmp/make-history.py" "$tmp/data-samples-police" "$tmp/over.d/police" \
    2015-04 48 1 0.8 36
rm "$tmp/over.d/police/2015-08-milton-keynes-street.csv"
for short in 2016-05:40 2016-11:100 2017-06:60 2017-09:80 2018-01:150; do
    f="$tmp/over.d/police/${short%:*}-milton-keynes-street.csv"
    head -n "-${short#*:}" "$f" > "$f.tmp" && mv "$f.tmp" "$f"
done
run over
/usr/bin/python3 "$src/tests/golden/dump-workbook.py" "$tmp/over/assessment.xlsx" > "$tmp/over.tsv"
/usr/bin/python3 - "$tmp/over.d" "$tmp/over" "$tmp/over.tsv" <<'PY' || fail=1
import calendar, csv, glob, re, sys, zipfile
data, out, tsv = sys.argv[1:4]
TYPES = {"violence": "Violence and sexual offences", "asb": "Anti-social behaviour",
         "burglary": "Burglary", "vehicle": "Vehicle crime", "damage": "Criminal damage and arson",
         "all": None}
imd = {r["LSOA code (2011)"] for r in csv.DictReader(open(f"{data}/imd2019-milton-keynes.csv", encoding="utf-8-sig"))
       if r["Local Authority District code (2019)"] == "E06000042"}
parent = {r["LSOA21CD"]: r["LSOA11CD"] for r in csv.DictReader(open(f"{data}/lsoa-lookup-milton-keynes.csv"))}
area = imd | {c for c, p in parent.items() if p in imd}
months = [f"{2015 + (m + 3) // 12}-{(m + 3) % 12 + 1:02d}" for m in range(48)]
present = set()
counts = {}
for f in sorted(glob.glob(f"{data}/police/*.csv")):
    for r in csv.DictReader(open(f)):
        present.add(r["Month"])
        if r["LSOA code"] in area:
            for name, t in TYPES.items():
                if t is None or r["Crime type"] == t:
                    counts[name, r["Month"]] = counts.get((name, r["Month"]), 0) + 1
assert "2015-08" not in present and len(present) == 47
N, P = 48, 36  # months, the period's first
days = [calendar.monthrange(int(m[:4]), int(m[5:]))[1] for m in months]
NAN = float("nan")
def isnan(v):
    return v != v
def num(v):  # as the CSV writes it
    return "" if isnan(v) else f"{v:.4f}"
cells = {}
for line in open(tsv, encoding="utf-8"):
    sheet, cell, value, _ = line.rstrip("\n").split("\t")
    cells[sheet, cell] = value
def col_letter(c):
    return chr(ord("A") + c)
def find(sheet, text):  # the row of the cell in column A holding text
    for (s, c), v in cells.items():
        if s == sheet and c[0] == "A" and c[1:].isdigit() and v == text:
            return int(c[1:])
    return None
bad = []
for name in TYPES:
    count = [counts.get((name, m), 0) if m in present else NAN for m in months]
    pd = [c / d for c, d in zip(count, days)]
    same = [pd[i - 12] if i >= P else NAN for i in range(N)]
    roll = [NAN] * N
    for i in range(11, N):
        w = range(i - 11, i + 1)
        if not any(isnan(count[j]) for j in w):
            c = d = 0.0
            for j in w:
                c += count[j]
            for j in w:
                d += days[j]
            roll[i] = c / d
    # seasonal relatives: the full years before the period that are not
    # the baseline's (months 24 to 35), latest first
    rel_sum, years = [0.0] * 12, 0
    for start in (12, 0):
        ys = pd[start:start + 12]
        if any(isnan(v) for v in ys):
            continue
        mean = 0.0
        for v in ys:
            mean += v / 12
        for k, v in enumerate(ys):
            rel_sum[k] += v / mean
        years += 1
    assert years == 1, years  # 2015/16 lacks Aug 2015
    rel = [s / years for s in rel_sum]
    # the months to the end of that year are fitted to the relatives: the
    # SPC chart starts after them (month 24), neither drawn nor judged
    F = 24
    adj = [pd[i] / rel[i % 12] if i >= F else NAN for i in range(N)]
    # XmR limits from the year before the period, moving ranges of 3.267 x
    # their mean or more screened out
    base = adj[24:36]
    centre = sum(base) / 12
    mr = [abs(base[k] - base[k - 1]) for k in range(1, 12)]
    amr = sum(mr) / len(mr)
    kept = [x for x in mr if x < 3.267 * amr]
    amr = sum(kept) / len(kept)
    lo, hi = centre - 2.66 * amr, centre + 2.66 * amr
    assert lo < centre < hi, (name, centre, amr)  # limits, not a flat baseline
    want = [["Month", "In period", "Crimes", "Days", "Crimes per day",
             "Same month a year earlier (crimes per day)", "Rolling 12 months (crimes per day)",
             "Seasonally adjusted crimes per day", "SPC centre line", "SPC lower limit",
             "SPC upper limit", "SPC rules broken"]]
    # the four run rules, on the months with a value (a missing month is
    # skipped, not a break)
    rules = [set() for _ in range(N)]
    idx = [i for i in range(N) if not isnan(adj[i])]
    x = [adj[i] for i in idx]
    M = len(x)
    side = [(v > centre) - (v < centre) for v in x]
    for k in range(M):
        if x[k] > hi or x[k] < lo:
            rules[idx[k]].add(0)
    i = 0
    while i < M:  # seven or more in a row on one side; the mean ends a run
        j = i
        while j + 1 < M and side[j + 1] == side[i]:
            j += 1
        if side[i] and j - i + 1 >= 7:
            for k in range(i, j + 1):
                rules[idx[k]].add(1)
        i = j + 1
    step = [(x[k + 1] > x[k]) - (x[k + 1] < x[k]) for k in range(M - 1)]
    i = 0
    while i < M - 1:  # seven or more points each rising, or each falling
        j = i
        while j + 1 < M - 1 and step[j + 1] == step[i]:
            j += 1
        if step[i] and j - i + 2 >= 7:
            for k in range(i, j + 2):
                rules[idx[k]].add(2)
        i = j + 1
    t_lo, t_hi = centre - 2 / 3 * 2.66 * amr, centre + 2 / 3 * 2.66 * amr
    near = [not (x[k] > hi or x[k] < lo) and (x[k] > t_hi or x[k] < t_lo) for k in range(M)]
    for i in range(M - 2):  # two of three in a row near a limit, all on one side
        w = range(i, i + 3)
        if side[i] and all(side[k] == side[i] for k in w) and sum(near[k] for k in w) >= 2:
            for k in w:
                if near[k]:
                    rules[idx[k]].add(3)
    names = ["A point outside the process limits", "Seven points in a row on one side of the mean",
             "Seven points in a row rising, or falling",
             "Two of three points in a row close to a process limit"]
    for i in range(N):
        want.append([months[i], "yes" if i >= P else "no",
                     "" if isnan(count[i]) else str(count[i]), str(days[i]), num(pd[i]),
                     num(same[i]), num(roll[i]), num(adj[i]), *([num(centre), num(lo), num(hi)]
                                                                if i >= F else ["", "", ""]),
                     "; ".join(names[k] for k in sorted(rules[i])) if i >= F else
                     "Not judged: the SPC chart starts after the months that set the seasonal "
                     "relatives"])
    got = list(csv.reader(open(f"{out}/{name}-over-time.csv", newline="")))
    for i, (g, w) in enumerate(zip(got, want)):
        if g != w:
            bad.append(f"{name}-over-time.csv row {i}:\n    got  {g}\n    want {w}")
    if len(got) != len(want):
        bad.append(f"{name}-over-time.csv: {len(got)} rows, expected {len(want)}")
    # the month-of-year profile: years from April, the period the fourth
    mean, low, high = [], [], []
    for k in range(12):
        vs = [pd[y * 12 + k] for y in range(4) if not isnan(pd[y * 12 + k])]
        s = 0.0
        for v in vs:
            s += v
        mean.append(s / len(vs)), low.append(min(vs)), high.append(max(vs))
    want_s = [["Month of the year", "Mean (crimes per day)", "Lowest (crimes per day)",
               "Highest (crimes per day)", "Assessment period (crimes per day)", "Years"]]
    for k in range(12):
        want_s.append([calendar.month_abbr[(k + 3) % 12 + 1], num(mean[k]), num(low[k]),
                       num(high[k]), num(pd[P + k]),
                       str(sum(1 for y in range(4) if not isnan(pd[y * 12 + k])))])
    got_s = list(csv.reader(open(f"{out}/{name}-by-month-of-the-year.csv", newline="")))
    if got_s != want_s:
        bad.append(f"{name}-by-month-of-the-year.csv:\n    got  {got_s[:3]}\n    want {want_s[:3]}")

    # the workbook's cells: full precision, blanks left empty
    title = "All crime" if name == "all" else TYPES[name]
    top = find("Crime", f"{title} over time")
    if top is None:
        bad.append(f"workbook: no table '{title} over time' on the Crime sheet")
        continue
    header = [cells.get(("Crime", f"{col_letter(c)}{top + 1}")) for c in range(12)]
    if header != want[0]:
        bad.append(f"workbook {name}: header {header}")
    def cell(c, i):
        return cells.get(("Crime", f"{col_letter(c)}{top + 2 + i}"))
    def val(v):  # as dump-workbook.py prints it (a whole number read as one)
        return None if isnan(v) else str(int(v)) if v == int(v) else repr(round(v, 10))
    for i in range(N):
        row = [cell(c, i) for c in range(12)]
        w = [months[i], "yes" if i >= P else "no", None if isnan(count[i]) else str(count[i]),
             str(days[i]), val(pd[i]), val(same[i]), val(roll[i]), val(adj[i]),
             *([val(centre), val(lo), val(hi)] if i >= F else [None, None, None]),
             want[i + 1][11] or None]
        if row != w:
            bad.append(f"workbook {name} {months[i]}:\n    got  {row}\n    want {w}")
    if name == "violence":
        # the cases the issue names, stated once more by hand
        may18 = months.index("2018-05")
        print(f"violence 2018-05: {count[may18]} crimes in 31 days = {pd[may18]:.4f} a day; "
              f"2017-05 {same[may18]:.4f}; rolling 12 months {roll[may18]:.4f}")
        if cell(2, 4) is not None or cell(4, 4) is not None or cell(6, 15) is not None \
                or cell(6, 16) is None:
            bad.append("workbook: Aug 2015 and the rolling year over it are not blank")

# the native chart beside the table: crimes per day, the rolling line and
# last year's months, over the table's rows
with zipfile.ZipFile(f"{out}/assessment.xlsx") as z:
    charts = [z.read(n).decode() for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
top = find("Crime", "Violence and sexual offences over time")
c = [x for x in charts if "Violence and sexual offences over time" in x]
refs = re.findall(r"<c:f>([^<]*)</c:f>", c[0]) if c else []
r0, r1 = top + 2, top + 1 + N
want = [f"Crime!${L}${top + 1}" if k == 0 else f"Crime!$A${r0}:$A${r1}" if k == 1 else f"Crime!${L}${r0}:${L}${r1}"
        for L in "EGF" for k in range(3)]
if len(c) != 1 or refs != want or "<c:lineChart>" not in c[0]:
    bad.append(f"workbook: the over-time chart's series {refs}, expected {want}")
elif "<a:t>Crimes per day</a:t>" not in c[0] or "triangle" not in c[0]:
    bad.append("workbook: the over-time chart's value axis or overlay markers")
if bad:
    print("FAIL:", *bad[:12], sep="\n  ")
    sys.exit(1)
print("over: every over-time and month-of-year table as recomputed")
PY
# LibreOffice draws the native charts: each over-time table's rolling and
# last year's columns are named in the printed workbook in the table's
# header and again in its chart's legend (twice when a page break cuts it)
if soffice=$(command -v soffice || command -v libreoffice); then
    timeout 150 "$soffice" "-env:UserInstallation=file://$tmp/lo-profile" --headless \
        --convert-to pdf --outdir "$tmp/over-lo" "$tmp/over/assessment.xlsx" > /dev/null 2>&1 ||
        FAIL "over: LibreOffice did not print the workbook"
    pdftotext "$tmp/over-lo/assessment.pdf" "$tmp/over-lo.txt"
    for s in "Rolling 12 months (crimes per day)" "Same month a year earlier (crimes per day)" \
             "Assessment period (crimes per day)"; do
        [ "$(grep -cF "$s" "$tmp/over-lo.txt")" -ge 12 ] ||
            FAIL "over: LibreOffice shows '$s' $(grep -cF "$s" "$tmp/over-lo.txt") times, not 12 or more (6 tables and their charts)"
    done
else
    FAIL "over: soffice not found: install libreoffice-calc-nogui (see README)"
fi

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
grep -qF "The change compares the 10 of 12 months that both the period and Apr 2017 to Mar 2018 have rows for (like months only): the comparison period has no rows for Jun 2017 to Jul 2017; a month is compared only where both periods have rows for it." \
    "$tmp/part/summary.csv" || FAIL "part: no note on like months"
# and a month missing from each: both named
cp -r "$tmp/part.d" "$tmp/part2.d"
rm "$tmp/part2.d/police/2018-11-milton-keynes-street.csv"
run part2
/usr/bin/python3 "$tmp/expect.py" "$tmp/part2.d" "$tmp/part2" || fail=1
grep -qF "The change compares the 9 of 12 months that both the period and Apr 2017 to Mar 2018 have rows for (like months only): the period has no rows for Nov 2018 and the comparison period none for Jun 2017 to Jul 2017; a month is compared only where both periods have rows for it." \
    "$tmp/part2/summary.csv" || FAIL "part2: the note does not name both periods' missing months"

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
# D: none before, 3 now: no ratio, but the exact interval's lower limit
# (P(X >= 3) = p^3 = 0.025 with every event now) and no upper one
p = 0.025 ** (1 / 3)
if rows["D"]["Note"] != "no events before: no ratio; the exact interval's upper limit is infinite" \
        or rows["D"]["Rate ratio"] != "" or rows["D"]["Rate ratio upper 95% CI"] != "inf" \
        or abs(float(rows["D"]["Rate ratio lower 95% CI"]) - p / (1 - p)) > 2e-6:
    bad.append(f"D: {rows['D']['Note']} {rows['D']['Rate ratio']} {rows['D']['Rate ratio lower 95% CI']}")
if bad:
    print("FAIL: calc change:", *bad, sep="\n  ")
    sys.exit(1)
PY

[ $fail = 0 ] && echo "change: all checks passed"
exit $fail
