#!/bin/bash
# csa run with populations per year (issue 15): the population input gives
# mid-2017 and mid-2018 (2018 = 1.1 x 2017 in every LSOA), by a year column
# or by two files; 2018/19's rates are per mid-2018 residents and 2017/18's
# per mid-2017, so crimes that did not change fall 9% as a rate. Every
# figure is recomputed here from the files (Python stdlib): the rates, the
# rate ratio (crimes now / residents now) / (crimes before / residents
# before) and its 95% interval, log-normal, or exact conditional below 10
# events (Clopper-Pearson on the binomial, as R's poisson.test(c(x1, x2),
# c(T1, T2))), and the note. The nearest year when the input lacks one, a
# single year as before, and a repeated LSOA and year refused.
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
sed -i 's/^period = .*/period = 2018\/19/' "$tmp/data/assessment.ini"
# a rare crime: the exact interval
cat >> "$tmp/data/assessment.ini" <<'INI'

[indicator.weapons]
title = Possession of weapons
theme = Crime
input = police
crime_types = Possession of weapons
INI

# 24 months, Apr 2017 to Mar 2019, each the sample month it cycles to (so
# both years have the same crimes), with possession of weapons kept only in
# the first 9 rows of Apr 2017 and 6 of Apr 2018
/usr/bin/python3 - "$src/data-samples/police" "$tmp/data/police" <<'PY'
import csv, glob, hashlib, sys
src, out = sys.argv[1:3]
samples = [list(csv.reader(open(f, newline=""))) for f in sorted(glob.glob(f"{src}/*.csv"))]
keep_weapons = {"2017-04": 9, "2018-04": 6}
for i in range(24):
    month = f"{2017 + (3 + i) // 12}-{(3 + i) % 12 + 1:02d}"
    head, *rows = samples[i % len(samples)]
    weapons = 0
    with open(f"{out}/{month}-milton-keynes-street.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(head)
        for k, r in enumerate(rows):
            if r[9] == "Possession of weapons":
                weapons += 1
                if weapons > keep_weapons.get(month, 0):
                    continue
            r = list(r)
            r[1] = month
            if r[0]:
                r[0] = hashlib.sha256(f"{month}/{k}".encode()).hexdigest()
            w.writerow(r)
PY

# populations by year from the sample's (mid-2017): YEAR:FACTOR each
/usr/bin/python3 - "$tmp/data/population-milton-keynes.csv" "$tmp" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
def write(name, header, years):
    with open(f"{sys.argv[2]}/{name}", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow([header, "la", "lsoa", "Total"])
        for y, k in years:
            for r in rows:
                w.writerow([y, r["la"], r["lsoa"], round(int(r["Total"]) * k)])
write("years.csv", "year", [(2017, 1.0), (2018, 1.1)])
write("mid2017.csv", "Mid-year", [(2017, 1.0)])
write("mid2018.csv", "Mid-year", [(2018, 1.1)])
write("gap.csv", "mid_year", [(2016, 0.9), (2018, 1.1)])
write("one.csv", "year", [(2018, 1.1)])
PY

# expect.py DATA OUT NOW_YEAR BEFORE_YEAR NOTE POPULATION_FILES...: each
# crime indicator's figures against summary.csv, and the LSOA and decile
# tables' residents those of the period's year
cat > "$tmp/expect.py" <<'PY'
import csv, glob, math, statistics, sys
data, out, y_now, y_before, note, *pop_files = sys.argv[1:]
TYPES = ["Violence and sexual offences", "Anti-social behaviour", "Burglary", "Vehicle crime",
         "Criminal damage and arson", "Possession of weapons"]
Z = statistics.NormalDist().inv_cdf(0.975)
imd = {r["LSOA code (2011)"] for r in csv.DictReader(open(f"{data}/imd2019-milton-keynes.csv", encoding="utf-8-sig"))
       if r["Local Authority District code (2019)"] == "E06000042"}
parent = {r["LSOA21CD"]: r["LSOA11CD"] for r in csv.DictReader(open(f"{data}/lsoa-lookup-milton-keynes.csv"))}
residents = {}
for f in pop_files:
    for r in csv.DictReader(open(f)):
        y = r.get("year") or r.get("Mid-year") or r.get("mid_year") or "one"
        if parent.get(r["lsoa"], r["lsoa"]) in imd:
            residents[y] = residents.get(y, 0) + int(r["Total"])
t1, t2 = residents[y_now], residents[y_before]
area = imd | {c for c, p in parent.items() if p in imd}
counts = {}
for f in sorted(glob.glob(f"{data}/police/*.csv")):
    for r in csv.DictReader(open(f)):
        if r["LSOA code"] in area:
            k = (r["Crime type"], r["Month"] >= "2018-04")
            counts[k] = counts.get(k, 0) + 1

def cdf(k, n, p):  # P(X <= k), X ~ Binomial(n, p)
    return sum(math.comb(n, i) * p ** i * (1 - p) ** (n - i) for i in range(k + 1))
def solve(f, target):  # f falls from 1 to 0 on (0, 1)
    lo, hi = 0.0, 1.0
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if f(mid) > target else (lo, mid)
    return (lo + hi) / 2
def exact(x, y, t1=t1, t2=t2):  # poisson.test(c(x, y), c(t1, t2))$conf.int: x | x + y ~ Bin(n, RR t1 / (RR t1 + t2))
    n = x + y
    pl = 0 if x == 0 else solve(lambda p: cdf(x - 1, n, p), 0.975)
    pu = solve(lambda p: cdf(x, n, p), 0.025)
    return pl / (1 - pl) * t2 / t1, pu / (1 - pu) * t2 / t1
# R: poisson.test(c(30, 20), c(1000, 1200))$conf.int, as tests/unit/test_trend.c has it
assert all(abs(a - b) < 1e-12 for a, b in zip(exact(30, 20, 1000, 1200), (0.98895827907709466, 3.3441051683550804)))
def places(v):
    return 1 if v >= 10 else 2 if v >= 1 else 3
def fmt(v, d):
    return f"{v:,.{d}f}"

summary = {r["Indicator"]: r for r in csv.DictReader(open(f"{out}/summary.csv"))}
bad = []
for t in TYPES:
    x, y = counts.get((t, True), 0), counts.get((t, False), 0)
    rr = (x / t1) / (y / t2)
    small = x < 10 or y < 10
    lo, hi = exact(x, y) if small else (rr * math.exp(-Z * math.sqrt(1 / x + 1 / y)),
                                        rr * math.exp(Z * math.sqrt(1 / x + 1 / y)))
    sig = lo > 1 or hi < 1
    a, b = x / t1 * 1000, y / t2 * 1000
    d = places(max(a, b))
    rp = 3 if sig and (abs(lo - 1) < 0.005 or abs(hi - 1) < 0.005) else 2
    if abs(rr - 1.2) < 0.005 or abs(rr - 0.8) < 0.005:  # the trend bands' edges: which side
        rp = 3
    pct = (rr - 1) * 100
    words = ("a significant rise" if rr > 1 else "a significant fall") if sig else "no significant change"
    want = (f"{'rose' if rr > 1 else 'fell'} from {fmt(b, d)} to {fmt(a, d)} per 1,000 residents "
            f"against Apr 2017 to Mar 2018 ({pct:+.{1 if 0 < abs(pct) < 1 or abs(abs(pct) - 20) < 0.5 else 0}f}%; rate ratio "
            f"{rr:.{rp}f}, 95% CI {lo:.{rp}f} to {hi:.{rp}f}): {words}")
    if fmt(a, d) == fmt(b, d) and not sig:  # equal as shown: unchanged, the % as it is
        pp = 0 if abs(pct) >= 1 else 1
        while pp < 4 and abs(pct) * 10 ** pp < 0.5:
            pp += 1
        p = "0%" if abs(pct) * 10 ** pp < 0.5 else f"{pct:+.{pp}f}%"
        want = (f"held at {fmt(a, d)} per 1,000 residents against "
                f"Apr 2017 to Mar 2018 ({p}; rate ratio {rr:.{rp}f}, 95% CI {lo:.{rp}f} to "
                f"{hi:.{rp}f}): {words}")
    s = summary[t]
    print(f"{t}: {x} per {t1} against {y} per {t2}: rate ratio {rr:.4f} ({lo:.4f} to {hi:.4f}{', exact' if small else ''})")
    if s["Change"] != want:
        bad.append(f"{t}: change\n    got  {s['Change']}\n    want {want}")
    for col, v in [("Count now", x), ("Count before", y), ("Count", x), ("Denominator", t1)]:
        if s[col] != str(v):
            bad.append(f"{t}: {col} {s[col]}, expected {v}")
    for col, v in [("Rate ratio", rr), ("Rate ratio lower 95% CI", lo), ("Rate ratio upper 95% CI", hi),
                   ("Value now", a), ("Value before", b), ("Value", a)]:
        if abs(float(s[col]) - v) > 6e-5:
            bad.append(f"{t}: {col} {s[col]}, expected {v:.4f}")
    if not s["Note"].startswith(note):
        bad.append(f"{t}: note\n    got  {s['Note']}\n    want {note}")
    if t == "Burglary":
        for name in ("by-lsoa", "by-deprivation-decile"):
            got = sum(int(r["Population"] or 0) for r in csv.DictReader(open(f"{out}/burglary-{name}.csv")))
            if (name == "by-lsoa" and got != t1) or (name != "by-lsoa" and got != t1):
                bad.append(f"{name}: residents {got}, expected the period's {t1}")
if bad:
    print("FAIL:", *bad, sep="\n  ")
    sys.exit(1)
PY

run() { # name, population files...: data in $tmp/NAME.d, output in $tmp/NAME
    local name=$1
    shift
    cp -r "$tmp/data" "$tmp/$name.d"
    rm "$tmp/$name.d/population-milton-keynes.csv"
    local files=""
    for f in "$@"; do cp "$f" "$tmp/$name.d/"; files="$files $(basename "$f")"; done
    sed -i "s|^files = population-milton-keynes.csv|files =$files|" "$tmp/$name.d/assessment.ini"
    "$csa" run "$tmp/$name.d/assessment.ini" --out "$tmp/$name" 2> "$tmp/$name.err"
}
expect() { # name, now year, before year, note, population files...
    local name=$1
    shift
    /usr/bin/python3 "$tmp/expect.py" "$tmp/$name.d" "$tmp/$name" "$@" || FAIL "$name: figures"
}
TWO="Rates per residents of mid-2018 (period) and mid-2017 (comparison)"

# ---- a year column: one file, two years
run years "$tmp/years.csv" || { cat "$tmp/years.err"; FAIL "years: run failed"; }
expect years 2018 2017 "$TWO" "$tmp/years.csv"
grep -qF "152 of them with a population (mid-2018; mid-2017 for the comparison period)" "$tmp/years.err" ||
    FAIL "years: the run does not say which years"
pdftotext "$tmp/years/assessment-pack.pdf" - | tr '\n' ' ' | tr -s ' ' > "$tmp/years.txt"
grep -qF "estimate of the year the period's middle month falls in" "$tmp/years.txt" ||
    FAIL "years: the method notes do not state the year rule"

# ---- two files, one year each: the same figures
run files "$tmp/mid2017.csv" "$tmp/mid2018.csv" || { cat "$tmp/files.err"; FAIL "files: run failed"; }
expect files 2018 2017 "$TWO" "$tmp/mid2017.csv" "$tmp/mid2018.csv"
cmp -s "$tmp/years/summary.csv" "$tmp/files/summary.csv" || FAIL "files: not the figures of one file"

# ---- no mid-2017: the comparison takes mid-2016 (as near as mid-2018, and earlier), said so
run gap "$tmp/gap.csv" || { cat "$tmp/gap.err"; FAIL "gap: run failed"; }
expect gap 2018 2016 "Rates per residents of mid-2018 (period) and mid-2016 (comparison)" "$tmp/gap.csv"
grep -qF "The population input has no mid-2017 estimate (the year of the comparison period's middle month): its rate is per the residents of mid-2016, the nearest year it has." \
    "$tmp/gap/summary.csv" || FAIL "gap: no note on the nearest year"

# ---- one year in a year column: the same residents for both, as before
run one "$tmp/one.csv" || { cat "$tmp/one.err"; FAIL "one: run failed"; }
expect one 2018 2018 "Both periods' rates are per the same residents (the population input gives one year), so the change in the rate is the change in the count" "$tmp/one.csv"

# ---- an LSOA given twice for one year is refused, by file, line, column and value
cp "$tmp/years.csv" "$tmp/dup.csv"
sed -n 5p "$tmp/years.csv" >> "$tmp/dup.csv"
lsoa=$(sed -n 5p "$tmp/years.csv" | cut -d, -f3)
lines=$(wc -l < "$tmp/dup.csv")
if run dup "$tmp/dup.csv"; then FAIL "dup: a repeated LSOA and year ran"; fi
grep -qF "dup.csv:$lines:3: area code \"$lsoa\" appears more than once for year 2017 [duplicate-id]" "$tmp/dup.err" ||
    { cat "$tmp/dup.err"; FAIL "dup: the repeat is not named by file, line and column"; }
# ... and across two files, with both lines
sed -n '1p;5p' "$tmp/mid2018.csv" > "$tmp/again.csv"
lsoa=$(sed -n 5p "$tmp/mid2018.csv" | cut -d, -f3)
if run again "$tmp/mid2018.csv" "$tmp/again.csv"; then FAIL "again: a repeated LSOA and year ran"; fi
d="$tmp/again.d"
grep -qF "again.csv:2: \"$d/mid2018.csv\" and \"$d/again.csv\" share 1 area code and year pair; the first, \"$lsoa (year 2018)\", is on line 5 of \"$d/mid2018.csv\" and line 2 of \"$d/again.csv\" [shared-id]" "$tmp/again.err" ||
    { cat "$tmp/again.err"; FAIL "again: the repeat across files is not named"; }

# ---- several files need a year each: one without is refused, by name
cut -d, -f2- "$tmp/mid2018.csv" > "$tmp/undated.csv"
if run undated "$tmp/mid2017.csv" "$tmp/undated.csv"; then FAIL "undated: ran"; fi
grep -qF "undated.csv: [input.population] is 2 files, so each needs a year column" "$tmp/undated.err" ||
    { cat "$tmp/undated.err"; FAIL "undated: no message naming the file"; }

# ---- csa rates takes the year of the months it reads (Oct to Dec 2018:
# mid-2018), or the nearest the file has, and says which
for f in years mid2017; do
    "$csa" rates --crimes "$tmp"/data/police/2018-1[0-2]-*.csv \
        --imd "$tmp/data/imd2019-milton-keynes.csv" --population "$tmp/$f.csv" \
        --la E06000042 --out "$tmp/rates-$f" 2> "$tmp/rates-$f.err" ||
        { cat "$tmp/rates-$f.err"; FAIL "rates $f: failed"; }
done
grep -qxF "csa: population: mid-2018 estimates, of 2017, 2018 in $tmp/years.csv" "$tmp/rates-years.err" ||
    { cat "$tmp/rates-years.err"; FAIL "rates years: no line naming the year used"; }
grep -qxF "csa: population: mid-2017 estimates, of 2017 in $tmp/mid2017.csv (the nearest to the months read)" "$tmp/rates-mid2017.err" ||
    { cat "$tmp/rates-mid2017.err"; FAIL "rates mid2017: no line naming the nearest year"; }
# the residents of All crime's deciles are the year's, recomputed here
/usr/bin/python3 - "$tmp" <<'PY' || FAIL "rates: residents not those of the year used"
import csv, sys
tmp = sys.argv[1]
imd = {r["LSOA code (2011)"] for r in csv.DictReader(open(f"{tmp}/data/imd2019-milton-keynes.csv", encoding="utf-8-sig"))
       if r["Local Authority District code (2019)"] == "E06000042"}
for name, year, col in (("years", "2018", "year"), ("mid2017", "2017", "Mid-year")):
    want = sum(int(r["Total"]) for r in csv.DictReader(open(f"{tmp}/{name}.csv"))
               if r[col] == year and r["lsoa"] in imd)
    got = sum(int(r["Population"]) for r in csv.DictReader(open(f"{tmp}/rates-{name}/rates.csv"))
              if r["Crime type"] == "All crime")
    if got != want:
        sys.exit(f"rates {name}: residents {got}, want {want} (mid-{year})")
PY

[ $fail = 0 ] && echo "popyear: all checks passed"
exit $fail
