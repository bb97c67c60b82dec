#!/bin/bash
# This year against last at its edges (issue 15, the held-out rehearsal's
# cases): none in either period, none before and some now (the exact
# interval's lower limit judges it), some before and none now, a change too
# small to show ("held at", not "rose from 9.30 to 9.30 (+0.0%)"); the
# change's figures as numbers on the workbook's Summary and in the pack;
# a warning when the comparison period has no rows at all; and csa calc
# change on 0 and 0, 0 and 11, and a count that is not a whole number.
# Expected intervals are recomputed here (Python, math only): with every
# event in one period the Clopper-Pearson limit of poisson.test has a
# closed form, P(X >= n) = p^n = tail (all now) or P(X <= 0) = (1 - p)^n =
# tail (all before), and RR = p / (1 - p) * N2 / N1.
set -eu
csa=$(realpath "$1") src=$(realpath "$2")
. "$src/tests/golden/sample.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
FAIL() { echo "FAIL: $*"; fail=1; }
export SOURCE_DATE_EPOCH=1700000000

# the sample's three real months and two crime indicators, no maps, and
# four more indicators for the edges
cp -r "$src/data-samples" "$tmp/d"
sample_small "$tmp/d/assessment.ini" > "$tmp/d/edges.ini"
sample_without_maps "$tmp/d"
sed -i '/^boundaries = /d' "$tmp/d/edges.ini"
rm -rf "$tmp/d/police-history"
cat >> "$tmp/d/edges.ini" <<'INI'

[indicator.robbery]
title = Robbery
theme = Crime
input = police
crime_types = Robbery

[indicator.bicycle]
title = Bicycle theft
theme = Crime
input = police
crime_types = Bicycle theft

[indicator.drugs]
title = Drugs
theme = Crime
input = police
crime_types = Drugs

[indicator.violence]
title = Violence and sexual offences
theme = Crime
input = police
crime_types = Violence and sexual offences
INI

# ---- no comparison rows at all: a warning on stderr, as for one month
"$csa" run "$tmp/d/edges.ini" --out "$tmp/none" 2> "$tmp/none.err" ||
    { cat "$tmp/none.err"; FAIL "none: run failed"; }
grep -qF "warning: [input.police] has no rows for the comparison period (Oct 2017 to Dec 2017): no change figures for its indicators (its files cover Oct 2018 to Dec 2018)" \
    "$tmp/none.err" || { cat "$tmp/none.err"; FAIL "none: no warning of the missing comparison period"; }

# ---- the comparison months: each real month a year earlier, robbery in
# neither period, bicycle theft now only, drugs before only, and the
# first violence row of the area given twice in Oct 2017 (a ratio of V / (V + 1))
/usr/bin/python3 - "$tmp/d" <<'PY'
import csv, glob, hashlib, sys
d = sys.argv[1]
imd = {r["LSOA code (2011)"] for r in csv.DictReader(open(f"{d}/imd2019-milton-keynes.csv", encoding="utf-8-sig"))
       if r["Local Authority District code (2019)"] == "E06000042"}
added = False
for f in sorted(glob.glob(f"{d}/police/2018-*.csv")):
    rows = list(csv.reader(open(f, newline="")))
    head, body = rows[0], rows[1:]
    t = head.index("Crime type")
    now = [r for r in body if r[t] not in ("Robbery", "Drugs")]
    before = []
    for r in body:
        if r[t] in ("Robbery", "Bicycle theft"):
            continue
        twice = r[t] == "Violence and sexual offences" and not added and r[1] == "2018-10" \
            and r[head.index("LSOA code")] in imd
        for copy in range(2 if twice else 1):
            r = list(r)
            r[1] = "2017" + r[1][4:]
            if r[0]:
                r[0] = hashlib.sha256(f"2017/{copy}/{r[0]}".encode()).hexdigest()
            before.append(r)
        added |= twice
    for path, out in ((f, now), (f.replace("/2018-", "/2017-"), before)):
        with open(path, "w", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows([head] + out)
assert added
PY
"$csa" run "$tmp/d/edges.ini" --out "$tmp/o" 2> "$tmp/o.err" || { cat "$tmp/o.err"; FAIL "edges: run failed"; }
grep -q "comparison period" "$tmp/o.err" && FAIL "edges: a comparison warning with every month there"

pdftotext "$tmp/o/assessment-pack.pdf" - | tr '\n' ' ' | tr -s ' ' > "$tmp/o.txt"
/usr/bin/python3 "$src/tests/golden/dump-workbook.py" "$tmp/o/assessment.xlsx" > "$tmp/o.tsv"
/usr/bin/python3 - "$tmp/d" "$tmp/o" "$tmp/o.txt" "$tmp/o.tsv" <<'PY' || fail=1
import csv, glob, math, sys
d, out, pack, tsv = sys.argv[1:5]
pack = open(pack).read()
imd = {r["LSOA code (2011)"] for r in csv.DictReader(open(f"{d}/imd2019-milton-keynes.csv", encoding="utf-8-sig"))
       if r["Local Authority District code (2019)"] == "E06000042"}
parent = {r["LSOA21CD"]: r["LSOA11CD"] for r in csv.DictReader(open(f"{d}/lsoa-lookup-milton-keynes.csv"))}
pop = {r["lsoa"]: int(r["Total"]) for r in csv.DictReader(open(f"{d}/population-milton-keynes.csv"))}
area = imd | {c for c, p in parent.items() if p in imd}
residents = sum(n for c, n in pop.items() if parent.get(c, c) in imd)
count = {}
for f in glob.glob(f"{d}/police/*.csv"):
    for r in csv.DictReader(open(f)):
        if r["LSOA code"] in area:
            k = (r["Crime type"], r["Month"][:4])
            count[k] = count.get(k, 0) + 1
def places(v):
    return 1 if v >= 10 or v == 0 else 2 if v >= 1 else 3
def rate(n):
    return n / residents * 1000
summary = {r["Indicator"]: r for r in csv.DictReader(open(f"{out}/summary.csv"))}
prio = {r["Indicator"]: r for r in csv.DictReader(open(f"{out}/priorities.csv"))}
cells = {}
for line in open(tsv, encoding="utf-8"):
    sheet, cell, value, fmt = line.rstrip("\n").split("\t")
    cells[sheet, cell] = (value, fmt)
def split(c):
    letters = c.rstrip("0123456789")
    return letters, c[len(letters):]
head = {v: split(c)[0] for (s, c), (v, _) in cells.items() if s == "Summary" and split(c)[1] == "5"}
rowof = {v: split(c)[1] for (s, c), (v, _) in cells.items() if s == "Summary" and split(c)[0] == "A"}
bad = []
def want(title, col, text):
    if summary[title][col] != text:
        bad.append(f"{title} {col}:\n    got  {summary[title][col]}\n    want {text}")
SPAN = "against Oct 2017 to Dec 2017"

# none in either period: said plainly, neutral
want("Robbery", "Change", "no crimes in either period (Oct 2018 to Dec 2018 against Oct 2017 to Dec 2017): no change to judge")
if prio["Robbery"]["Trend: score"] != "3.00" or not prio["Robbery"]["Trend: value"].startswith("No judgement, neutral: no crimes in either period"):
    bad.append(f"Robbery priority: {prio['Robbery']['Trend: value']} {prio['Robbery']['Trend: score']}")

# none before, k now: no ratio, the exact lower limit tail^(1/k) / (1 - ...)
k = count[("Bicycle theft", "2018")]
p = 0.025 ** (1 / k)
lo = p / (1 - p)
assert lo > 1, (k, lo)  # a significant rise, as the data has it
a = rate(k)
want("Bicycle theft", "Change", f"rose from 0 to {a:,.{places(a)}f} per 1,000 residents {SPAN} (none in the "
     f"comparison period, so no rate ratio or percentage; 95% CI of the rate ratio {lo:.2f} to infinity): a significant rise")
s = summary["Bicycle theft"]
if s["Rate ratio"] != "" or abs(float(s["Rate ratio lower 95% CI"]) - lo) > 6e-5 or s["Rate ratio upper 95% CI"] != "inf":
    bad.append(f"Bicycle theft ratio: {s['Rate ratio']} {s['Rate ratio lower 95% CI']} {s['Rate ratio upper 95% CI']}")
pv = f"no ratio, none before (95% CI {lo:.2f} to infinity): a significant rise, getting worse"
if (prio["Bicycle theft"]["Trend: value"], prio["Bicycle theft"]["Trend: score"]) != (pv, "5.00"):
    bad.append(f"Bicycle theft priority: {prio['Bicycle theft']['Trend: value']} {prio['Bicycle theft']['Trend: score']}")
print(f"bicycle theft: {k} now, 0 before: 95% CI {lo:.6f} to infinity")

# k before, none now: ratio 0, upper limit from (1 - p)^k = tail
k = count[("Drugs", "2017")]
p = 1 - 0.025 ** (1 / k)
hi = p / (1 - p)
assert hi < 1, (k, hi)
b = rate(k)
want("Drugs", "Change", f"fell from {b:,.{places(b)}f} to 0 per 1,000 residents {SPAN} (-100%; rate ratio 0.00, "
     f"95% CI 0.00 to {hi:.2f}): a significant fall")
if prio["Drugs"]["Trend: score"] != "1.00":
    bad.append(f"Drugs priority score {prio['Drugs']['Trend: score']}")
print(f"drugs: 0 now, {k} before: 95% CI 0 to {hi:.6f}")

# V now, V + 1 before: the rates show the same, so "held at", with
# the percentage as it is
v_now, v_before = count[("Violence and sexual offences", "2018")], count[("Violence and sexual offences", "2017")]
assert v_before == v_now + 1
a, b = rate(v_now), rate(v_before)
d = places(max(a, b))
assert f"{a:.{d}f}" == f"{b:.{d}f}", (a, b)  # the case: equal as shown
rr = v_now / v_before
se = math.sqrt(1 / v_now + 1 / v_before)
z = 1.959963984540054
lo, hi = rr * math.exp(-z * se), rr * math.exp(z * se)
pct = (rr - 1) * 100  # as it is, at the places that show it (as the figures beside it)
pp = 0 if abs(pct) >= 1 else 1
while pp < 4 and abs(pct) * 10 ** pp < 0.5:
    pp += 1
want("Violence and sexual offences", "Change", f"held at {a:,.{d}f} per 1,000 residents "
     f"{SPAN} ({pct:+.{pp}f}%; rate ratio {rr:.2f}, 95% CI {lo:.2f} to {hi:.2f}): no significant change")
print(f"violence: {v_now} now, {v_before} before: rate ratio {rr:.6f}")

# the workbook's Summary: the change's figures as numbers beside the sentence
cols = ["Count now", "Count before", "Value now", "Value before", "Change in value", "Change %"]
for c in cols:
    if c not in head:
        bad.append(f"workbook: no column {c} on the Summary")
if not bad:
    for title in ("Bicycle theft", "Drugs", "Violence and sexual offences", "Burglary"):
        s, r = summary[title], rowof[title]
        for c in cols:
            value, fmt = cells.get(("Summary", f"{head[c]}{r}"), (None, None))
            if s[c] == "":
                if value is not None:
                    bad.append(f"workbook {title} {c}: {value}, expected blank")
                continue
            if value is None or abs(float(value) - float(s[c])) > 6e-5 * max(1, abs(float(s[c]))):
                bad.append(f"workbook {title} {c}: {value}, summary.csv {s[c]}")
            want_fmt = "#,##0" if c.startswith("Count") else "#,##0.0" if c == "Change %" else \
                "#,##0." + "0" * places(max(float(s["Value now"]), float(s["Value before"])))
            if fmt != want_fmt:
                bad.append(f"workbook {title} {c}: format {fmt}, expected {want_fmt}")
    value, _ = cells.get(("Summary", f"{head['Rate ratio upper 95% CI']}{rowof['Bicycle theft']}"), (None, None))
    if value != "infinite":
        bad.append(f"workbook: bicycle theft's upper limit {value}, expected 'infinite'")

# the pack: each sentence, and the counts and change as numbers under it
for title in ("Robbery", "Bicycle theft", "Drugs", "Violence and sexual offences", "Burglary"):
    s = summary[title]
    if s["Change"] not in pack:
        bad.append(f"pack: {title}'s change sentence is not in the pack")
    a, b = float(s["Value now"]), float(s["Value before"])
    dv = float(s["Change in value"])
    sv = f"{abs(dv):,.{places(max(a, b))}f}"
    sv = sv if set(sv) <= set("0.,") else ("-" if dv < 0 else "+") + sv
    pc = "no percentage" if s["Change %"] == "" else f"{abs(float(s['Change %'])):.1f}"
    if s["Change %"] != "" and set(pc) - set("0."):
        pc = ("-" if float(s["Change %"]) < 0 else "+") + pc
    pc += "%" if s["Change %"] != "" else ""
    fig = f"Count {int(s['Count now']):,} against {int(s['Count before']):,}; change {sv} per 1,000 residents ({pc})"
    if s["Count now"] == s["Count before"] == "0":  # none in either: no change to give
        fig = "Count 0 in both periods"
    if fig not in pack:
        bad.append(f"pack: no '{fig}'")
    elif title == "Burglary":
        print("pack:", fig)
if bad:
    print("FAIL:", *bad, sep="\n  ")
    sys.exit(1)
PY

# ---- csa calc change at the edges
cat > "$tmp/edge.csv" <<'CSV'
area,year,crimes,population
A,2017,0,1000
A,2018,0,1000
B,2017,0,50000
B,2018,11,50000
C,2017,9,51000
C,2018,0,52000
CSV
"$csa" calc change --count crimes --denominator population --period year --by area \
    "$tmp/edge.csv" > "$tmp/edge.out" || FAIL "calc change (edges) failed"
/usr/bin/python3 - "$tmp/edge.out" <<'PY' || fail=1
import csv, sys
rows = {r["area"]: r for r in csv.DictReader(open(sys.argv[1]))}
bad = []
a = rows["A"]  # 0 and 0: a difference of 0 with no interval, no ratio
if a["Rate difference per 1,000"] != "0.000000" or any(a[c] for c in (
        "Rate difference lower 95% CI", "Rate difference upper 95% CI", "Rate ratio",
        "Rate ratio lower 95% CI", "Rate ratio upper 95% CI", "Ratio interval")):
    bad.append(f"A: {a}")
if a["Note"] != "no events in either period: no ratio, and no interval for the difference":
    bad.append(f"A note: {a['Note']}")
b = rows["B"]  # poisson.test(c(11, 0), c(50000, 50000)): 2.5098 to Inf
for col, v in (("Rate ratio lower 95% CI", 0.025 ** (1 / 11) / (1 - 0.025 ** (1 / 11))),
               ("Rate ratio lower 99.8% CI", 0.001 ** (1 / 11) / (1 - 0.001 ** (1 / 11)))):
    if abs(float(b[col]) - v) > 2e-6:
        bad.append(f"B {col}: {b[col]}, expected {v:.6f}")
if b["Rate ratio"] != "" or b["Rate ratio upper 95% CI"] != "inf" or b["Ratio interval"] != "exact conditional":
    bad.append(f"B: {b['Rate ratio']} {b['Rate ratio upper 95% CI']} {b['Ratio interval']}")
c = rows["C"]  # poisson.test(c(0, 9), c(52000, 51000)): 0 to 0.4969 (1 - p)^9 = 0.025
p = 1 - 0.025 ** (1 / 9)
if c["Rate ratio lower 95% CI"] != "0.000000" or abs(float(c["Rate ratio upper 95% CI"]) - p / (1 - p) * 51000 / 52000) > 2e-6:
    bad.append(f"C: {c['Rate ratio lower 95% CI']} {c['Rate ratio upper 95% CI']}")
if bad:
    print("FAIL: calc change edges:", *bad, sep="\n  ")
    sys.exit(1)
PY
# a count that is no whole number is named by file, line and column
printf 'Area,Year,Crimes,Residents\nA,2017,6,1000\nA,2018,5.5,1000\n' > "$tmp/half.csv"
if "$csa" calc change --count Crimes --denominator Residents --period Year "$tmp/half.csv" \
        > /dev/null 2> "$tmp/half.err"; then
    FAIL "calc change took a count of 5.5"
fi
grep -qxF "csa: $tmp/half.csv:3:3: Crimes \"5.5\" is not a whole number: a count must be a whole number of 0 or more" \
    "$tmp/half.err" || { cat "$tmp/half.err"; FAIL "calc change: 5.5 not named by line and column"; }

[ $fail = 0 ] && echo "change-edges: all checks passed"
exit $fail
