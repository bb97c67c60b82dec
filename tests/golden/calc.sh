#!/bin/bash
# csa calc: published reference values, groups, a table of thousands of rows
# checked against Byar's formula computed here independently, and bad input
# named by file, line and column.
set -u
csa=$(realpath "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
fail=0
check() { [ "$1" = "$2" ] || { echo "FAIL: $3"; echo " got: $1"; echo "want: $2"; fail=1; }; }

# PHEindicatormethods' published test values: 65 events, Byar 50.163187710459454 to
# 82.849138545939837 for the count; 5 events, exact 1.62348639 to 11.66833208
printf 'Area,Count,Population\nA,65,13000\nB,5,1000\nC,*,500\nD,0,0\n' > in.csv
out=$("$csa" calc rate --count Count --denominator Population --decimals 9 --level 95 in.csv)
check "$(echo "$out" | sed -n 2p)" "A,65,13000,5.000000000,3.858706747,6.373010657," "rate, 65 events"
check "$(echo "$out" | sed -n 3p)" "B,5,1000,5.000000000,1.623486390,11.668332079," "rate, 5 events (exact)"
check "$(echo "$out" | sed -n 4p)" "C,,500,,,,suppressed or missing input: no result" "suppressed count"
check "$(echo "$out" | sed -n 5p)" "D,0,0,,,,no denominator: no rate" "zero denominator"
# Wilson's closed form, computed here: 65 of 100 at 95%
want=$(/usr/bin/python3 -c '
from math import sqrt
from statistics import NormalDist
x, n = 65, 100
z = NormalDist().inv_cdf(0.975)
root = z * sqrt(z * z + 4 * x * (1 - x / n))
print("feel safe,65,100,65.0000,%.4f,%.4f," % (100 * (2 * x + z * z - root) / (2 * (n + z * z)),
                                               100 * (2 * x + z * z + root) / (2 * (n + z * z))))')
out=$(printf 'Q,Yes,N\nfeel safe,65,100\n' | "$csa" calc proportion --count Yes --denominator N --level 95 --decimals 4)
check "$(echo "$out" | sed -n 2p)" "$want" "proportion"
# groups are added up before the rate
printf 'Area,Month,Count,Population\nA,1,30,6500\nA,2,35,6500\nB,1,5,1000\n' > g.csv
out=$("$csa" calc rate --count Count --denominator Population --by Area --level 95 --decimals 6 g.csv)
check "$out" "Area,Count,Population,\"Rate per 1,000\",Lower 95% CI,Upper 95% CI,Note
A,65.000000,13000.000000,5.000000,3.858707,6.373011,
B,5.000000,1000.000000,5.000000,1.623486,11.668332," "--by"

# thousands of rows: every rate and Byar limit (counts of 10 or more) against the formula
/usr/bin/python3 -c '
import random
random.seed(7)
print("Ward,Crimes,Residents")
for i in range(5000):
    print(f"W{i:05d},{random.randint(10, 5000)},{random.randint(1000, 20000)}")
' > big.csv
"$csa" calc rate --count Crimes --denominator Residents --decimals 9 big.csv > big-out.csv || fail=1
/usr/bin/python3 - big-out.csv <<'PY' || fail=1
import csv, sys
from math import sqrt
from statistics import NormalDist
rows = list(csv.DictReader(open(sys.argv[1])))
bad = 0
for level in (95, 99.8):
    z = NormalDist().inv_cdf(1 - (1 - level / 100) / 2)
    for r in rows:
        o, n = float(r["Crimes"]), float(r["Residents"])
        lo = o * (1 - 1 / (9 * o) - z / (3 * sqrt(o))) ** 3 / n * 1000
        hi = (o + 1) * (1 - 1 / (9 * (o + 1)) + z / (3 * sqrt(o + 1))) ** 3 / n * 1000
        got_lo, got_hi = float(r[f"Lower {level:g}% CI"]), float(r[f"Upper {level:g}% CI"])
        if abs(got_lo - lo) > 1e-8 * max(1, lo) or abs(got_hi - hi) > 1e-8 * max(1, hi):
            bad += 1
if len(rows) != 5000 or bad:
    print(f"FAIL: {len(rows)} rows, {bad} limits off the formula")
    sys.exit(1)
PY

# spc: limits from the first 6 points of each ward's series, as computed here
printf 'Ward,Month,Crimes\n' > s.csv
for m in 1 2 3 4 5 6 7 8 9 10 11 12; do
    echo "A,$m,$((100 + m * 3))"; echo "B,$m,$((300 - m * 12 + (m % 2) * 5))"
done >> s.csv
"$csa" calc spc --value Crimes --by Ward --baseline 6 --decimals 6 s.csv > s-out.csv || fail=1
/usr/bin/python3 - s.csv s-out.csv <<'PY' || fail=1
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
out = list(csv.DictReader(open(sys.argv[2])))
bad = []
for ward in "AB":
    xs = [float(r["Crimes"]) for r in rows if r["Ward"] == ward][:6]
    mean = sum(xs) / 6
    mr = sum(abs(a - b) for a, b in zip(xs[1:], xs)) / 5
    for r in (o for o in out if o["Ward"] == ward):
        for col, want in (("Centre", mean), ("Lower limit", mean - 2.66 * mr),
                          ("Upper limit", mean + 2.66 * mr)):
            if abs(float(r[col]) - want) > 1e-6:
                bad.append(f"{ward} {col} {r[col]} != {want}")
# ward A rises every month from 103: the trend rule fires on every point
if any("rising, or falling" not in o["Rules"] for o in out if o["Ward"] == "A"):
    bad.append("ward A's rising run not marked")
for b in bad[:5]:
    print("FAIL: spc:", b)
sys.exit(1 if bad or len(out) != 24 else 0)
PY
# trend: five falling rates with large counts fall significantly; two points cannot be tested
printf 'Area,Year,Crimes,Residents\n' > t.csv
for y in 1 2 3 4 5; do echo "A,$y,$((5000 - y * 400)),100000"; echo "B,$y,$((100 + y % 2)),100000"; done >> t.csv
out=$("$csa" calc trend --count Crimes --denominator Residents --by Area --decimals 3 t.csv)
check "$(echo "$out" | cut -d, -f1-3 | sed -n 2,3p)" "A,5,Decreasing
B,5,No significant change" "trend markers"
out=$(printf 'Area,Crimes,Residents\nA,10,100\nA,12,100\n' | "$csa" calc trend --count Crimes --denominator Residents)
check "$(echo "$out" | sed -n 2p)" "2,Cannot be calculated,Not enough data points,,," "trend with two points"

# sii: the point SII is the population-weighted regression slope on the cumulative
# population midpoints (most deprived first), computed here; the limits repeat by seed
printf 'Crime type,IMD decile,Count,Population\n' > d.csv
for d in 1 2 3 4 5 6 7 8 9 10; do
    echo "All,$d,$((900 - d * 60)),$((14000 + d * 500))"; echo "Drugs,$d,$((60 - d * 4)),$((14000 + d * 500))"
done >> d.csv
"$csa" calc sii --count Count --denominator Population --by "Crime type" --decimals 9 d.csv > d-out.csv || fail=1
"$csa" calc sii --count Count --denominator Population --by "Crime type" --decimals 9 d.csv | cmp -s - d-out.csv \
    || { echo "FAIL: sii limits differ between runs with the same seed"; fail=1; }
/usr/bin/python3 - d.csv d-out.csv <<'PY' || fail=1
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
out = {r["Crime type"]: r for r in csv.DictReader(open(sys.argv[2]))}
bad = []
for kind in ("All", "Drugs"):
    q = [r for r in rows if r["Crime type"] == kind]
    pop = [float(r["Population"]) for r in q]
    rate = [float(r["Count"]) / p * 1000 for r, p in zip(q, pop)]
    total, cum, x = sum(pop), 0, []
    for p in pop:
        x.append((cum + p / 2) / total)
        cum += p
    w = [p / total for p in pop]
    mx = sum(wi * xi for wi, xi in zip(w, x)); my = sum(wi * yi for wi, yi in zip(w, rate))
    slope = sum(wi * (xi - mx) * (yi - my) for wi, xi, yi in zip(w, x, rate)) / \
            sum(wi * (xi - mx) ** 2 for wi, xi in zip(w, x))
    got = float(out[kind]["SII"])
    if abs(got - slope) > 1e-9 * max(1, abs(slope)):
        bad.append(f"{kind}: SII {got} != {slope}")
    if not float(out[kind]["SII lower 95% CI"]) < got < float(out[kind]["SII upper 95% CI"]):
        bad.append(f"{kind}: SII outside its interval")
for b in bad:
    print("FAIL: sii:", b)
sys.exit(1 if bad else 0)
PY

# survey: Kish effective sample size and design effect, computed here
printf 'id,Ward,Feel safe,Weight\n1,A,Yes,1.2\n2,A,No,0.8\n3,A,yes,1\n4,B,No,1.5\n5,B,,1\n6,B,1,0.5\n' > v.csv
out=$("$csa" calc survey --answer "Feel safe" --weight Weight --by Ward --level 95 --decimals 6 v.csv)
want=$(/usr/bin/python3 -c '
def kish(ws): return sum(ws) ** 2 / sum(w * w for w in ws)
for ward, ws, yes in (("A", [1.2, 0.8, 1.0], [1.2, 1.0]), ("B", [1.5, 0.5], [0.5])):
    n = kish(ws)
    print("%s,%d,%d,%.6f,%.6f,%.6f" % (ward, len(ws), len(yes), n, len(ws) / n, 100 * sum(yes) / sum(ws)))')
check "$(echo "$out" | sed -n '2,3p' | cut -d, -f1-6)" "$want" "survey: Kish n_eff, deff, weighted percent"
msg=$(printf 'id,Q,W\n1,maybe,1\n' | "$csa" calc survey --answer Q --weight W 2>&1 >/dev/null)
check "$msg" 'csa: <stdin>:2:2: Q "maybe" is not an answer (Yes, No, 1, 0 or blank)' "survey: bad answer"

# compare: Fingertips' rule, lower is better
out=$(printf 'Area,Value,Lower,Upper\nA,40.1,35.6,45.0\nB,50.2,48.0,52.5\nC,30,28,31\nD,,,\n' |
      "$csa" calc compare --value Value --lower Lower --upper Upper --comparator 44.9 --polarity low)
check "$out" "Area,Value,Lower,Upper,Compared with 44.9,RAG
A,40.1,35.6,45,Similar,amber
B,50.2,48,52.5,Worse,red
C,30,28,31,Better,green
D,,,,Not compared,neutral" "compare"

# dsr: Dobson's method with ESP2013 summed by hand to these bands (17100, 16400, 20500,
# 26500, 19500) and Byar's limits on the total, computed here
printf 'Area,Band,Count,Population\n' > dsr.csv
for b in "0 to 15:5:7:2000:2100" "16 to 29:20:25:1500:1600" "30 to 44:12:14:1800:1700" \
         "45 to 64:10:12:2500:2400" "65 and over:3:4:1200:1000"; do
    IFS=: read -r band cf cm pf pm <<< "$b"
    echo "A,F$band,$cf,$pf"; echo "A,M$band,$cm,$pm"
done >> dsr.csv
echo "B,0-4,2,500" >> dsr.csv; echo "B,5+,3,900" >> dsr.csv
out=$("$csa" calc dsr --count Count --denominator Population --band Band --by Area --level 95 --decimals 6 dsr.csv)
want=$(/usr/bin/python3 -c '
from math import sqrt
from statistics import NormalDist
w = [17100, 16400, 20500, 26500, 19500]
c = [12, 45, 26, 22, 7]; p = [4100, 3100, 3500, 4900, 2200]
W = sum(w); O = sum(c)
dsr = sum(wi * ci / pi for wi, ci, pi in zip(w, c, p)) / W * 100000
var = sum((wi / W) ** 2 * ci / pi ** 2 for wi, ci, pi in zip(w, c, p)) * 100000 ** 2
z = NormalDist().inv_cdf(0.975)
lo = O * (1 - 1 / (9 * O) - z / (3 * sqrt(O))) ** 3
hi = (O + 1) * (1 - 1 / (9 * (O + 1)) + z / (3 * sqrt(O + 1))) ** 3
k = sqrt(var / O)
print("A,%.6f,%.6f,%.6f,%.6f," % (O, dsr, dsr + (lo - O) * k, dsr + (hi - O) * k))
print("B,5.000000,,,,fewer than 10 events: suppressed")')
check "$(echo "$out" | sed -n 2,3p)" "$want" "dsr"

# funnel (proportions): significance against Wilson limits around the average, computed here
printf 'Team,Yes,Asked\n' > f.csv
for i in 1 2 3 4 5 6 7 8; do echo "T$i,$((40 + i * i * 2)),200"; done >> f.csv
"$csa" calc funnel --kind proportion --count Yes --denominator Asked f.csv > f-out.csv || fail=1
/usr/bin/python3 - f.csv f-out.csv <<'PY' || fail=1
import csv, sys
from math import sqrt
from statistics import NormalDist
rows = list(csv.DictReader(open(sys.argv[1])))
out = list(csv.DictReader(open(sys.argv[2])))
avg = sum(float(r["Yes"]) for r in rows) / sum(float(r["Asked"]) for r in rows)
def wilson(p, n, level):
    z = NormalDist().inv_cdf(1 - (1 - level / 100) / 2)
    x = p * n
    root = z * sqrt(z * z + 4 * x * (1 - p))
    return (2 * x + z * z - root) / (2 * (n + z * z)), (2 * x + z * z + root) / (2 * (n + z * z))
bad = []
for r, o in zip(rows, out):
    p, n = float(r["Yes"]) / float(r["Asked"]), float(r["Asked"])
    (l95, u95), (l998, u998) = wilson(avg, n, 95), wilson(avg, n, 99.8)
    want = ("High (0.001)" if p > u998 else "Low (0.001)" if p < l998 else
            "High (0.025)" if p > u95 else "Low (0.025)" if p < l95 else "Not significant")
    if o["Significance"] != want:
        bad.append(f"{r['Team']}: {o['Significance']} != {want}")
    # the limits themselves are PHEindicatormethods' (their published outputs are in
    # tests/unit/test_methods.c); here they only need to hold the average between them
    if not float(o["Lower 95% limit"]) < 100 * avg < float(o["Upper 95% limit"]):
        bad.append(f"{r['Team']}: the 95% limits do not hold the average")
for b in bad:
    print("FAIL: funnel:", b)
sys.exit(1 if bad or len(out) != 8 else 0)
PY

# ratio: log-normal from 10 events in both, else exact (Clopper-Pearson limits of the
# conditional binomial turned into rate ratios), both computed here
printf 'Area,Count,Population,RefCount,RefPop\nA,120,50000,95,52000\nB,6,4000,3,4500\nC,0,1000,4,1000\nD,5,100,0,100\nE,*,100,3,100\n' > r.csv
"$csa" calc ratio --count Count --denominator Population --ref-count RefCount --ref-population RefPop \
    --decimals 12 r.csv > r-out.csv || fail=1
/usr/bin/python3 - r-out.csv <<'PY' || fail=1
import csv, sys
from math import comb, exp, log, sqrt
from statistics import NormalDist
def cdf(x, n, p): return sum(comb(n, k) * p ** k * (1 - p) ** (n - k) for k in range(x + 1))
def solve(f, target, rising):
    lo, hi = 0.0, 1.0
    for _ in range(200):
        mid = (lo + hi) / 2
        if (f(mid) < target) == rising: lo = mid
        else: hi = mid
    return (lo + hi) / 2
rows = list(csv.DictReader(open(sys.argv[1])))
want = {"A": (120, 50000, 95, 52000), "B": (6, 4000, 3, 4500), "C": (0, 1000, 4, 1000)}
bad = []
for r in rows:
    if r["Area"] not in want:
        continue
    o1, n1, o2, n2 = want[r["Area"]]
    rr = (o1 / n1) / (o2 / n2)
    for level in (95, 99.8):
        a = 1 - level / 100
        if o1 >= 10 and o2 >= 10:
            half = NormalDist().inv_cdf(1 - a / 2) * sqrt(1 / o1 + 1 / o2)
            lo, hi = rr * exp(-half), rr * exp(half)
        else:
            n = o1 + o2
            pl = 0 if o1 == 0 else solve(lambda p: 1 - cdf(o1 - 1, n, p), a / 2, True)
            pu = solve(lambda p: cdf(o1, n, p), a / 2, False)
            lo, hi = pl / (1 - pl) * n2 / n1, pu / (1 - pu) * n2 / n1
        for col, w in (("Rate ratio", rr), (f"Lower {level:g}% CI", lo), (f"Upper {level:g}% CI", hi)):
            if abs(float(r[col]) - w) > 1e-9 * max(1, abs(w)):
                bad.append(f"{r['Area']} {col} {r[col]} != {w}")
notes = [r["Note"] for r in rows]
if notes != ["", "fewer than 10 events: exact interval", "fewer than 10 events: exact interval",
             "no events in the reference: no ratio", "suppressed or missing input: no result"]:
    bad.append(f"notes {notes}")
for b in bad:
    print("FAIL: ratio:", b)
sys.exit(1 if bad else 0)
PY

# difference: (O1/N1 - O2/N2) x 1,000 with the normal interval, var O1/N1^2 + O2/N2^2, computed here
"$csa" calc difference --count Count --denominator Population --ref-count RefCount \
    --ref-population RefPop --decimals 12 r.csv > diff-out.csv || fail=1
/usr/bin/python3 - diff-out.csv <<'PY' || fail=1
import csv, sys
from math import sqrt
from statistics import NormalDist
bad = []
for r in csv.DictReader(open(sys.argv[1])):
    if r["Count"] == "":
        if r["Note"] != "suppressed or missing input: no result":
            bad.append(f"{r['Area']}: note {r['Note']!r}")
        continue
    o1, n1, o2, n2 = (float(r[c]) for c in ("Count", "Population", "RefCount", "RefPop"))
    d = (o1 / n1 - o2 / n2) * 1000
    se = sqrt(o1 / n1 ** 2 + o2 / n2 ** 2) * 1000
    want = {"Rate difference per 1,000": d}
    for level in (95, 99.8):
        z = NormalDist().inv_cdf(1 - (1 - level / 100) / 2)
        want[f"Lower {level:g}% CI"], want[f"Upper {level:g}% CI"] = d - z * se, d + z * se
    for col, w in want.items():
        if abs(float(r[col]) - w) > 1e-9 * max(1, abs(w)):
            bad.append(f"{r['Area']} {col}: {r[col]} != {w}")
for b in bad:
    print("FAIL: difference:", b)
sys.exit(1 if bad else 0)
PY

# isr: PHEindicatormethods' own test data (testdata_DSR_ISR.xlsx, sheets testdata_multiarea
# and refdata: 19 age bands, one blank count in the tiny area) and its published results
# (sheet testresults_ISR, rows 8-10 ratio x 1, rows 11-13 x 100); the expected events are
# also summed here from the reference rates
/usr/bin/python3 - > isr.csv <<'PY'
pop = [636, 558, 609, 543, 384, 594, 669, 843, 660, 576, 606, 522, 426, 273, 300, 288, 153, 123, 207]
areas = {"Big": [127, 25, 18, 21, 12, 27, 48, 27, 29, 32, 32, 34, 45, 65, 38, 68, 74, 82, 91],
         "Small": [12, 4, 3, 2, 3, 4, 8, 2, 2, 3, 4, 5, 6, 8, 5, 6, 5, 5, 4],
         "Tiny": [0, 0, "", 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 2, 3]}
rc = [10303, 2824, 0, 3615, 3641, 3490, 3789, 3213, 3031, 2771, 3089, 3490, 3595, 4745, 5514, 7125,
      5694, 6210, 5757]
rp = [50520, 57173, 60213, 54659, 44345, 50128, 62163, 67423, 62899, 55463, 60479, 49974, 44140,
      40888, 37239, 30819, 18136, 15325, 13918]
print("Area,Age,Count,Population,RefCount,RefPop")
for name, c in areas.items():
    for i in range(19):
        print(f"{name},{5 * i},{c[i]},{pop[i]},{rc[i]},{rp[i]}")
PY
isr="--count Count --denominator Population --ref-count RefCount --ref-population RefPop --by Area --decimals 12"
"$csa" calc isr $isr isr.csv > isr-1.csv && "$csa" calc isr $isr --per 100 isr.csv > isr-100.csv || fail=1
/usr/bin/python3 - isr.csv isr-1.csv isr-100.csv <<'PY' || fail=1
import csv, sys
bands = list(csv.DictReader(open(sys.argv[1])))
expected = sum(float(b["Population"]) * float(b["RefCount"]) / float(b["RefPop"])
               for b in bands if b["Area"] == "Big")
published = {  # observed, value, lower 95, upper 95, lower 99.8, upper 99.8 (ratio x 1)
    "Big": (895, 1.0707232939020275, 1.0017147712553987, 1.143233287249895, 0.9635155619614437, 1.1860070415876287),
    "Small": (91, 0.10886683770400503, 0.08765040101829405, 0.1336657632841891, 0.07695425528392111, 0.14897920510466744),
    "Tiny": (9, 0.010767049882813684, 0.004923380825095776, 0.02043921455549973, 0.0029339306550682617, 0.02710589651469021)}
cols = ("Observed", None, "Lower 95% CI", "Upper 95% CI", "Lower 99.8% CI", "Upper 99.8% CI")
bad = []
for path, per, value in ((sys.argv[2], 1, "ISR"), (sys.argv[3], 100, "ISR x 100")):
    for r in csv.DictReader(open(path)):
        want = published[r["Area"]]
        if abs(float(r["Expected"]) - expected) > 1e-9 * expected:
            bad.append(f"{r['Area']} expected {r['Expected']} != {expected}")
        for col, w in zip(cols, want):
            w = w if col == "Observed" else w * per
            got = float(r[col or value])
            if abs(got - w) > 1e-9 * abs(w):
                bad.append(f"{r['Area']} {col or value} x {per}: {got} != {w}")
        if (r["Note"] == "") != (r["Area"] != "Tiny"):
            bad.append(f"{r['Area']} note {r['Note']!r}")
for b in bad:
    print("FAIL: isr:", b)
sys.exit(1 if bad else 0)
PY
# the same ratios from observed and expected events given
printf 'Area,Observed,Expected\nBig,895,835.8835612311743\nTiny,9,835.8835612311743\nNone,3,0\n' > isr-e.csv
out=$("$csa" calc isr --count Observed --expected Expected --by Area --level 95 --decimals 9 isr-e.csv | cut -d, -f1,4-)
check "$out" "Area,ISR,Lower 95% CI,Upper 95% CI,Note
Big,1.070723294,1.001714771,1.143233287,
Tiny,0.010767050,0.004923381,0.020439215,
None,,,,no expected events: no ratio" "isr from expected events"

# rolling: sums of the last 12 (and 3) months of each ward's series, computed here;
# ward B's blank month 5 blanks every window holding it
printf 'Ward,Month,Crimes\n' > roll.csv
for m in $(seq 1 15); do echo "A,$m,$((10 + m * m % 7))"; echo "B,$m,$([ "$m" = 5 ] || echo $((m * 3)))"; done >> roll.csv
for w in 12 3; do
    "$csa" calc rolling --value Crimes --by Ward --window $w --decimals 1 roll.csv > roll-$w.csv || fail=1
done
/usr/bin/python3 - roll.csv roll-12.csv roll-3.csv <<'PY' || fail=1
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
bad = []
for path, w in ((sys.argv[2], 12), (sys.argv[3], 3)):
    out = list(csv.DictReader(open(path)))
    for ward in "AB":
        xs = [r["Crimes"] for r in rows if r["Ward"] == ward]
        got = [o[f"Rolling sum of {w}"] for o in out if o["Ward"] == ward]
        for i, g in enumerate(got):
            win = xs[i - w + 1:i + 1] if i >= w - 1 else None
            want = "" if not win or "" in win else "%.1f" % sum(float(x) for x in win)
            if g != want:
                bad.append(f"window {w}, ward {ward}, month {i + 1}: {g!r} != {want!r}")
    if [o["Crimes"] for o in out] != [r["Crimes"] for r in rows]:
        bad.append(f"window {w}: the rows are not the input's, in order")
for b in bad[:5]:
    print("FAIL: rolling:", b)
sys.exit(1 if bad else 0)
PY

# survey with --yes: the answers counted, ignoring case; other text counts as no
printf 'id,Q,W\n1,Very safe,1.2\n2,fairly SAFE,0.8\n3,Fairly unsafe,1\n4,,1\n' > y.csv
out=$("$csa" calc survey --answer Q --weight W --yes "Very safe,Fairly safe" --level 95 --decimals 4 y.csv | cut -d, -f1-5)
check "$out" "Respondents,Answered yes,Effective sample size,Design effect,Percent yes
3,2,2.9221,1.0267,66.6667" "survey --yes"

# survey-change: Kish effective sizes, Wilson intervals on them, Newcombe's hybrid
# interval and the pooled z-test on effective sizes, computed here
printf 'id,Year,Ward,Safe,Weight\n' > sc.csv
/usr/bin/python3 - >> sc.csv <<'PY'
import random
random.seed(3)
for i in range(400):
    year, ward = 2023 + i % 2, "AB"[i // 2 % 2]
    yes = random.random() < (0.55 if year == 2023 else 0.68 if ward == "A" else 0.57)
    print(f"{i},{year},{ward},{'Yes' if yes else 'No'},{random.choice([0.6, 0.9, 1, 1.3, 2.1])}")
PY
"$csa" calc survey-change --answer Safe --weight Weight --wave Year --by Ward --decimals 12 sc.csv > sc-out.csv || fail=1
/usr/bin/python3 - sc.csv sc-out.csv <<'PY' || fail=1
import csv, sys
from math import sqrt
from statistics import NormalDist
rows = list(csv.DictReader(open(sys.argv[1])))
out = {r["Ward"]: r for r in csv.DictReader(open(sys.argv[2]))}
def wave(ward, year):
    ws = [(float(r["Weight"]), r["Safe"] == "Yes") for r in rows if r["Ward"] == ward and r["Year"] == year]
    W = sum(w for w, _ in ws)
    return sum(w for w, y in ws if y) / W, W * W / sum(w * w for w, _ in ws)
def wilson(p, n, z):
    root = z * sqrt(z * z + 4 * n * p * (1 - p))
    return (2 * n * p + z * z - root) / (2 * (n + z * z)), (2 * n * p + z * z + root) / (2 * (n + z * z))
bad = []
for ward in "AB":
    (p1, n1), (p2, n2) = wave(ward, "2023"), wave(ward, "2024")
    r = out[ward]
    want = {"Percent yes before": 100 * p1, "Percent yes after": 100 * p2,
            "Change (percentage points)": 100 * (p2 - p1)}
    for level in (95, 99.8):
        z = NormalDist().inv_cdf(1 - (1 - level / 100) / 2)
        (l1, u1), (l2, u2) = wilson(p1, n1, z), wilson(p2, n2, z)
        want[f"Change lower {level:g}% CI"] = 100 * (p2 - p1 - sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2))
        want[f"Change upper {level:g}% CI"] = 100 * (p2 - p1 + sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2))
    pool = (n1 * p1 + n2 * p2) / (n1 + n2)
    want["z"] = (p2 - p1) / sqrt(pool * (1 - pool) * (1 / n1 + 1 / n2))
    want["p-value"] = 2 * (1 - NormalDist().cdf(abs(want["z"])))
    for col, w in want.items():
        if abs(float(r[col]) - w) > 1e-9 * max(1, abs(w)):
            bad.append(f"{ward} {col}: {r[col]} != {w}")
    for level in (95, 99.8):
        if r[f"Significant at {level:g}%"] != ("yes" if want["p-value"] < 1 - level / 100 else "no"):
            bad.append(f"{ward} significance at {level}")
    if (r["Before"], r["After"]) != ("2023", "2024"):
        bad.append(f"{ward} waves {r['Before']}, {r['After']}")
for b in bad:
    print("FAIL: survey-change:", b)
sys.exit(1 if bad else 0)
PY
msg=$(printf 'id,Wave,Q,W\n1,a,Yes,1\n2,b,No,1\n3,c,Yes,1\n' | "$csa" calc survey-change --answer Q --weight W --wave Wave 2>&1 >/dev/null); st=$?
check "$st $msg" '1 csa: <stdin>:4:2: Wave "c" is a third wave after "a" and "b": survey-change compares two' "survey-change: a third wave"

# bad input: named by file, line, column and value; a data problem exits 1, bad usage 2
printf 'Area,Count,Population\nA,10,100\nB,12a,100\n' > bad.csv
msg=$("$csa" calc rate --count Count --denominator Population bad.csv 2>&1 >/dev/null); st=$?
check "$st $msg" '1 csa: bad.csv:3:2: Count "12a" is not a number' "bad number"
msg=$(printf 'Area,Count,Population\nA,-3,10\n' | "$csa" calc rate --count Count --denominator Population 2>&1 >/dev/null)
check "$msg" 'csa: <stdin>:2:2: Count "-3" is negative' "negative count"
msg=$(printf 'Area,Count,Population\nA,2.5,10\n' | "$csa" calc rate --count Count --denominator Population 2>&1 >/dev/null)
check "$msg" 'csa: <stdin>:2: a count must be a whole number of 0 or more, not 2.5' "fractional count"
msg=$(printf 'Area,Yes,N\nA,12,10\n' | "$csa" calc proportion --count Yes --denominator N 2>&1 >/dev/null)
check "$msg" 'csa: <stdin>:2: a proportion needs 0 <= numerator (12) <= denominator (10)' "numerator over denominator"
msg=$(printf 'Team,Yes,Asked\nA,5,10\nB,12,10\n' | "$csa" calc funnel --kind proportion --count Yes --denominator Asked 2>&1 >/dev/null)
check "$(echo "$msg" | cut -c1-14)" 'csa: <stdin>:3' "funnel: a bad row is named by line"
msg=$(printf 'Area,Count\nA,1\n' | "$csa" calc rate --count Count --denominator Population 2>&1 >/dev/null)
check "$msg" 'csa: <stdin>:1: missing column "Population"' "missing column"
msg=$("$csa" calc frobnicate 2>&1); st=$?
check "$st" 2 "unknown method exits 2"
msg=$("$csa" calc rate --count Count --denominator Population --window 3 in.csv 2>&1); st=$?
check "$st $(echo "$msg" | head -1)" "2 csa: calc: rate takes no --window" "an option the method does not take"
msg=$("$csa" calc isr --count Count in.csv 2>&1); st=$?
check "$st $(echo "$msg" | head -1)" "2 csa: calc isr needs --count COL and --expected COL, or --count COL, --denominator COL, --ref-count COL and --ref-population COL" "isr's two sets of inputs"
msg=$("$csa" calc rate --count Count --denominator Population no-such.csv 2>&1); st=$?
check "$st" 2 "a file that cannot be read exits 2"
# the help is made from the rows: every method, with its reference
for m in rate proportion ratio difference dsr isr compare funnel spc trend rolling sii survey survey-change; do
    "$csa" help calc | grep -q "^  $m\b" || { echo "FAIL: csa help calc lists $m"; fail=1; }
done
"$csa" help calc | grep -q "calculate_ISRatio" || { echo "FAIL: csa help calc names isr's reference"; fail=1; }
"$csa" help calc | cmp -s - <("$csa" calc --help) || { echo "FAIL: calc --help is csa help calc"; fail=1; }
"$csa" calc --help | grep -q "Byar's interval" || { echo "FAIL: calc --help names the method"; fail=1; }
exit $fail
