#!/bin/bash
# Named places (issue 16) on the Milton Keynes samples' three real months:
# the top LSOAs by count and by rate, the top police.uk locations and the
# share at repeat locations, rates per MSOA (the sample's lookup derived
# from the IMD names), LSOA names in every by-LSOA table, the pack's top
# ten and the funnel's named outliers. Every figure is recounted here from
# the sample files, not read from csa.
set -eu
csa=$(realpath "$1") src=$(realpath "$2")
. "$src/tests/golden/sample.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
FAIL() { echo "FAIL: $*"; fail=1; }
export SOURCE_DATE_EPOCH=1700000000
cp -r "$src/data-samples" "$tmp/data"
sample_real_months "$tmp/data"
cfg="$tmp/data/places.ini"
cat > "$cfg" <<'INI'
[assessment]
area = Milton Keynes
la_code = E06000042
period = 2018-10 to 2018-12
compare_with = none
output = ../out
deprivation = imd
population = population
lsoa_lookup = lookup
higher_area = msoa
higher_area_label = MSOA

[input.police]
spec = police-street
files = police/*.csv

[input.imd]
spec = imd
files = imd2019-milton-keynes.csv

[input.population]
spec = population
files = population-milton-keynes.csv

[input.lookup]
spec = lsoa-lookup
files = lsoa-lookup-milton-keynes.csv

[input.msoa]
spec = area-lookup
files = msoa-lookup-milton-keynes.csv

[indicator.violence]
title = Violence and sexual offences
input = police
crime_types = Violence and sexual offences
comparator_value = 7.1

[indicator.burglary]
title = Burglary
input = police
crime_types = Burglary
comparator_value = 1.8
INI
"$csa" run "$cfg" --quiet 2> "$tmp/stderr" || { cat "$tmp/stderr"; FAIL "places run"; }
out="$tmp/out"
pdftotext -layout "$out/assessment-pack.pdf" "$tmp/pack.txt"

/usr/bin/python3 - "$tmp/data" "$out" "$tmp/pack.txt" <<'PY' || fail=1
import csv, glob, math, re, sys
from collections import Counter, defaultdict

data, out, pack = sys.argv[1:4]
bad = []
checks = 0
def check(ok, what):
    global checks
    checks += 1
    if not ok:
        bad.append(what)

imd = {r["LSOA code (2011)"]: r["LSOA name (2011)"]
       for r in csv.DictReader(open(f"{data}/imd2019-milton-keynes.csv", encoding="utf-8-sig"))}
parent = {r["LSOA21CD"]: r["LSOA11CD"] for r in csv.DictReader(open(f"{data}/lsoa-lookup-milton-keynes.csv"))}
pop = Counter()
for r in csv.DictReader(open(f"{data}/population-milton-keynes.csv")):
    pop[r["lsoa"] if r["lsoa"] in imd else parent[r["lsoa"]]] += int(r["Total"])
msoa = {code: name[:-1] for code, name in imd.items()}  # "Milton Keynes 030A" is in "Milton Keynes 030"
rows = [r for f in sorted(glob.glob(f"{data}/police/*.csv")) for r in csv.DictReader(open(f))]

def poisson_cdf(k, lam):
    term = total = math.exp(-lam)
    for i in range(1, k + 1):
        term *= lam / i
        total += term
    return total

def solve(f, lo, hi):  # f rises from lo to hi; the root by bisection
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if f(mid) < 0 else (lo, mid)
    return (lo + hi) / 2

def interval(o):
    """95% limits of a count: exact Poisson below 10, Byar's from 10."""
    z = 1.959963984540054
    if o < 10:
        lower = 0 if o == 0 else solve(lambda lam: (1 - poisson_cdf(o - 1, lam)) - 0.025, 0, 100)
        upper = solve(lambda lam: 0.025 - poisson_cdf(o, lam), 0, 100)
        return lower, upper
    o1 = o + 1
    return (o * (1 - 1 / (9 * o) - z / (3 * math.sqrt(o))) ** 3,
            o1 * (1 - 1 / (9 * o1) + z / (3 * math.sqrt(o1))) ** 3)

def near(text, value, places=4):
    return text != "" and abs(float(text) - value) <= 1.1 * 10 ** -places

def top(items):
    """[(rank, item)] of [(value, key, item)] sorted: ties with the tenth all
    listed up to 15 rows, else the list stops before the tie."""
    items = sorted(items, key=lambda t: (-t[0], t[1]))
    ranked = []
    for i, (v, k, it) in enumerate(items):
        rank = ranked[-1][0] if i and v == items[i - 1][0] else i + 1
        ranked.append((rank, it))
    take = [x for x in ranked if x[0] <= 10]
    if len(take) > 15:
        take = [x for x in take if x[0] != take[-1][0]]
    return take

def read(name):
    return list(csv.DictReader(open(f"{out}/{name}")))

for ind, ctype in (("violence", "Violence and sexual offences"), ("burglary", "Burglary")):
    mine = [r for r in rows if r["Crime type"] == ctype and r["LSOA code"] in imd]
    count = Counter(r["LSOA code"] for r in mine)
    total = sum(count.values())
    rate_col = "Rate per 1,000 residents"

    # top LSOAs by count: rank, name, MSOA, crimes, share, rate and interval
    got = read(f"{ind}-top-lsoas-by-count.csv")
    want = top([(n, c, c) for c, n in count.items() if n > 0])
    check([(int(g["Rank"]), g["LSOA code"]) for g in got] == want,
          f"{ind} top by count: {[(g['Rank'], g['LSOA code']) for g in got]} != {want}")
    for g in got:
        c = g["LSOA code"]
        lo, hi = interval(count[c])
        check(g["LSOA name"] == imd[c] and g["MSOA"] == msoa[c], f"{ind} {c} names")
        check(int(g["Crimes"]) == count[c] and near(g["Share of the area's crimes (%)"], 100 * count[c] / total),
              f"{ind} {c} crimes and share")
        if pop[c]:
            check(near(g[rate_col], 1000 * count[c] / pop[c]) and near(g["Lower 95% CI"], 1000 * lo / pop[c])
                  and near(g["Upper 95% CI"], 1000 * hi / pop[c]), f"{ind} {c} rate {g}")

    # top LSOAs by rate, flagged under 10 crimes or 1,000 residents
    got = read(f"{ind}-top-lsoas-by-rate.csv")
    want = top([(count[c] / pop[c], c, c) for c in count if pop[c] > 0])
    check([(int(g["Rank"]), g["LSOA code"]) for g in got] == want,
          f"{ind} top by rate: {[(g['Rank'], g['LSOA code']) for g in got]} != {want}")
    for g in got:
        c = g["LSOA code"]
        lo, hi = interval(count[c])
        flag = "; ".join(f for f, on in (("Under 10 crimes", count[c] < 10),
                                         ("under 1,000 residents" if count[c] < 10 else "Under 1,000 residents",
                                          pop[c] < 1000)) if on)
        check(g["Flag"] == flag, f"{ind} {c} flag {g['Flag']!r} != {flag!r}")
        check(near(g[rate_col], 1000 * count[c] / pop[c]) and near(g["Lower 95% CI"], 1000 * lo / pop[c])
              and near(g["Upper 95% CI"], 1000 * hi / pop[c]), f"{ind} {c} rate by rate {g}")
    if ind == "burglary":
        check(any(g["Flag"] == "Under 10 crimes" for g in got), "burglary: no rate from under 10 crimes flagged")

    # top locations: a location within its LSOA; the share at repeat locations
    at = Counter((r["Location"], r["LSOA code"]) for r in mine)
    got = read(f"{ind}-top-locations.csv")
    want = top([(n, f"{loc}\0{c}", (loc, c)) for (loc, c), n in at.items()])
    check([(int(g["Rank"]), (g["Location"], g["LSOA code"])) for g in got] == want,
          f"{ind} top locations: {[(g['Rank'], g['Location'], g['LSOA code']) for g in got]} != {want}")
    for g in got:
        n = at[(g["Location"], g["LSOA code"])]
        check(int(g["Crimes"]) == n and near(g["Share of the area's crimes (%)"], 100 * n / total),
              f"{ind} location {g}")
    repeat = sum(n for n in at.values() if n >= 2)
    (g,) = read(f"{ind}-repeat-locations.csv")
    check(int(g["Crimes in the area"]) == total and int(g["Locations"]) == len(at)
          and int(g["Repeat locations (2 or more crimes)"]) == sum(1 for n in at.values() if n >= 2)
          and int(g["Crimes at repeat locations"]) == repeat
          and near(g["Share at repeat locations (%)"], 100 * repeat / total), f"{ind} repeat share {g}")

    # every MSOA's rate and interval, and its judgement against the area
    got = {g["MSOA"]: g for g in read(f"{ind}-by-msoa.csv")}
    check(len(got) == len(set(msoa.values())), f"{ind}: {len(got)} MSOAs")
    area = sum(count[c] for c in imd if pop[c]) / sum(pop[c] for c in imd if pop[c]) * 1000
    for m in set(msoa.values()):
        o = sum(count[c] for c in imd if msoa[c] == m)
        p = sum(pop[c] for c in imd if msoa[c] == m)
        lo, hi = interval(o)
        g = got[m]
        check(int(g["Crimes"]) == o and int(g["Population"]) == p and near(g[rate_col], 1000 * o / p)
              and near(g["Lower 95% CI"], 1000 * lo / p) and near(g["Upper 95% CI"], 1000 * hi / p),
              f"{ind} {m}: {g}")
        judged = "Worse" if 1000 * lo / p > area else "Better" if 1000 * hi / p < area else "Similar"
        check(g["Against Milton Keynes"] == judged, f"{ind} {m} judged {g['Against Milton Keynes']}")
    check([float(g[rate_col]) for g in read(f"{ind}-by-msoa.csv")] ==
          sorted((float(g[rate_col]) for g in got.values()), reverse=True), f"{ind} MSOAs not highest first")

# every by-LSOA table names its LSOAs
for f in sorted(glob.glob(f"{out}/*.csv")):
    t = list(csv.DictReader(open(f)))
    if t and "LSOA code" in t[0]:
        check("LSOA name" in t[0] and all(r["LSOA name"] == imd[r["LSOA code"]] for r in t),
              f"{f}: LSOAs without their names")

# the pack: violence's top ten by count as csa's page shows it
text = open(pack).read()
count = Counter(r["LSOA code"] for r in rows if r["Crime type"] == "Violence and sexual offences")
total = sum(count.values())
part = text.split("Violence and sexual offences: top LSOAs by count", 1)[-1].split("The LSOAs with the most crimes", 1)[0]
shown = re.findall(r"^\s*(\d+)\s+(Milton Keynes \d{3}[A-Z])\s+(Milton Keynes \d{3})\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s*$", part, re.M)
name_of = {v: k for k, v in imd.items()}
want = [(str(rank), imd[c], msoa[c], str(count[c]), f"{100 * count[c] / total:.2f}", f"{1000 * count[c] / pop[c]:.2f}")
        for rank, c in top([(n, c, c) for c, n in count.items()])]
check(shown == want, f"pack top ten by count: {shown} != {want}")

# the funnel names the five LSOAs furthest outside the 99.8% limits (by
# (O - E) / sqrt(E) around the area's rate) and counts the rest
area = sum(count[c] for c in imd if pop[c]) / sum(pop[c] for c in imd if pop[c])
z = sorted(((abs(count[c] - area * pop[c]) / math.sqrt(area * pop[c]), c) for c in imd if pop[c]), reverse=True)
page = next(p for p in text.split("\f") if "Violence and sexual offences by neighbourhood" in p)
named = set(re.findall(r"Milton Keynes \d{3}[A-Z]", page))
check(named == {imd[c] for _, c in z[:5]}, f"funnel names {sorted(named)} != {sorted(imd[c] for _, c in z[:5])}")
check(re.search(r"and \d+ more outside the 99\.8% limits", page) is not None, "funnel: no count of the rest")

print(f"places: checked {checks} figures and names", file=sys.stderr)
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY

# a lookup with ward codes and names: the higher areas are wards by default,
# known by code; an LSOA it lacks is in no ward's rate, and said
/usr/bin/python3 - "$tmp/data" <<'PY'
import csv, sys
data = sys.argv[1]
rows = list(csv.DictReader(open(f"{data}/msoa-lookup-milton-keynes.csv")))
ward = {m: f"E05{100000 + i:06d}" for i, m in enumerate(sorted({r["MSOA11NM"] for r in rows}))}
with open(f"{data}/wards.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["LSOA11CD", "LSOA11NM", "WD22CD", "WD22NM", "LAD22CD"])
    for r in rows[1:]:  # not E01016710 (Milton Keynes 030A)
        w.writerow([r["LSOA11CD"], r["LSOA11NM"], ward[r["MSOA11NM"]], "Ward " + r["MSOA11NM"][-3:], r["LAD19CD"]])
PY
sed -e 's/^higher_area = msoa$/higher_area = wards/' -e '/^higher_area_label/d' "$cfg" > "$tmp/data/wards.ini"
printf '\n[input.wards]\nspec = area-lookup\nfiles = wards.csv\n' >> "$tmp/data/wards.ini"
"$csa" run "$tmp/data/wards.ini" --quiet --out "$tmp/out-wards" 2> "$tmp/err-wards" || { cat "$tmp/err-wards"; FAIL "wards run"; }
grep -q "does not place 1 of the area's 152 LSOAs: their crimes are in no ward's rate" "$tmp/err-wards" ||
    { cat "$tmp/err-wards"; FAIL "wards: the unplaced LSOA is not said"; }
/usr/bin/python3 - "$tmp/data" "$tmp/out-wards" <<'PY' || fail=1
import csv, glob, sys
from collections import Counter
data, out = sys.argv[1:3]
look = {r["LSOA11CD"]: r for r in csv.DictReader(open(f"{data}/wards.csv"))}
count = Counter(r["LSOA code"] for f in glob.glob(f"{data}/police/*.csv") for r in csv.DictReader(open(f))
                if r["Crime type"] == "Violence and sexual offences")
got = {g["Ward code"]: g for g in csv.DictReader(open(f"{out}/violence-by-ward.csv"))}
want = Counter(look[c]["WD22CD"] for c in look for _ in range(count[c]))
lsoas = Counter(r["WD22CD"] for r in look.values())
bad = [w for w in lsoas if int(got[w]["Crimes"]) != want[w] or int(got[w]["LSOAs"]) != lsoas[w]
       or got[w]["Ward"] != look[next(c for c in look if look[c]["WD22CD"] == w)]["WD22NM"]]
if bad or len(got) != len(lsoas):
    print("FAIL: wards:", bad, len(got))
    sys.exit(1)
PY
pdftotext "$tmp/out-wards/assessment-pack.pdf" - | tr '\n' ' ' | grep -q "1 of the area's LSOAs (18 crimes) is in no ward of the lookup" ||
    FAIL "wards: the pack does not say which crimes are in no ward"

# a lookup that also gives a ward LSOAs outside the area (two of
# Bedford's): the ward's figures are of the area's LSOAs only, as without
# them, and the run says so on stderr, in the pack and on the map
head -2 "$tmp/data/wards.csv" | tail -1 | awk -F, -v OFS=, '{
    print "E01017539", "Bedford 001A", $3, $4, "E06000055"
    print "E01017540", "Bedford 001B", $3, $4, "E06000055" }' > "$tmp/extra.csv"
ward=$(head -2 "$tmp/data/wards.csv" | tail -1 | cut -d, -f4)
cat "$tmp/data/wards.csv" "$tmp/extra.csv" > "$tmp/data/wards-beyond.csv"
sed 's/^files = wards.csv$/files = wards-beyond.csv/' "$tmp/data/wards.ini" > "$tmp/data/beyond.ini"
"$csa" run "$tmp/data/beyond.ini" --quiet --out "$tmp/out-beyond" 2> "$tmp/err-beyond" ||
    { cat "$tmp/err-beyond"; FAIL "wards beyond the area: run"; }
said="1 ward reaches beyond the area in [input.wards]: $ward (2 LSOAs outside the area); its figures are of the area's LSOAs only"
grep -qF "warning: $said" "$tmp/err-beyond" || { cat "$tmp/err-beyond"; FAIL "wards beyond the area: not said"; }
cmp -s "$tmp/out-wards/violence-by-ward.csv" "$tmp/out-beyond/violence-by-ward.csv" ||
    FAIL "wards beyond the area: the ward figures changed"
pdftotext "$tmp/out-beyond/assessment-pack.pdf" - | tr '\n' ' ' | tr -s ' ' | grep -qF "$said" ||
    FAIL "wards beyond the area: the pack does not say so"
grep -q "reaches beyond" "$tmp/err-wards" && FAIL "wards: the area's own lookup said to reach beyond it"

# csa rates names the LSOAs it leaves out for want of a population
"$csa" rates --crimes "$tmp"/data/police/*.csv --imd "$tmp/data/imd2019-milton-keynes.csv" \
    --population "$tmp/data/population-milton-keynes.csv" --la E06000042 --out "$tmp/rates" \
    2> "$tmp/err-rates" || { cat "$tmp/err-rates"; FAIL "csa rates"; }
/usr/bin/python3 - "$tmp/data" "$tmp/rates/rates.xlsx" <<'PY' || fail=1
import csv, sys, openpyxl
imd = {r["LSOA code (2011)"]: r["LSOA name (2011)"]
       for r in csv.DictReader(open(f"{sys.argv[1]}/imd2019-milton-keynes.csv", encoding="utf-8-sig"))}
rows = list(openpyxl.load_workbook(sys.argv[2])["No population"].iter_rows(values_only=True))
head = rows.index(("LSOA code", "LSOA name", "Crimes left out"))
named = [(r[0], r[1]) for r in rows[head + 1:] if r[0]]
if len(named) != 9 or any(imd[c] != n for c, n in named):
    print("FAIL: csa rates' LSOAs with no population are not named:", named)
    sys.exit(1)
PY

# a lookup of another vintage places none of the area's LSOAs: a clear stop
sed -i 's/^E0101/E0109/; s/^E0103/E0108/' "$tmp/data/msoa-lookup-milton-keynes.csv"
if "$csa" run "$cfg" --quiet --out "$tmp/out2" 2> "$tmp/err2"; then
    FAIL "a lookup placing no LSOA did not stop the run"
else
    grep -q "places none of the area's 152 LSOAs" "$tmp/err2" || { cat "$tmp/err2"; FAIL "lookup message"; }
    [ ! -e "$tmp/out2" ] || FAIL "a stopped run left outputs"
fi
exit $fail
