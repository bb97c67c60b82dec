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
"$csa" calc --help | grep -q "Byar's interval" || { echo "FAIL: calc --help names the method"; fail=1; }
exit $fail
