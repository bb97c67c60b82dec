#!/bin/bash
# LSOA vintages and the row accounting (issue 14, case 4), on the Milton
# Keynes samples: with the ONS LSOA 2011 to 2021 lookup every located crime
# is used and split LSOAs have their children's residents; without it the
# crimes in LSOAs with no population row are stated (stderr, notes,
# headline, accounting); merged and complex 2021 LSOAs are shared among
# their parents. Every figure is recounted here from the sample files.
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
grep -q '^lsoa_lookup = lookup$' "$cfg" || FAIL "the sample config does not use the lookup"

# The independent recount: where every police row goes, by the rules of the
# issue (a 2021 code the IMD file lacks counts in its 2011 parents), and the
# residents of every IMD LSOA. Prints nothing; exits 1 with the differences.
cat > "$tmp/recount.py" <<'PY'
import csv, glob, re, subprocess, sys
from collections import Counter, defaultdict

data, out, lookup_used = sys.argv[1], sys.argv[2], sys.argv[3] == "yes"
PERIOD = ("2018-10", "2018-11", "2018-12")
TYPES = {"Violence and sexual offences": "violence", "Anti-social behaviour": "asb",
         "Burglary": "burglary", "Vehicle crime": "vehicle",
         "Criminal damage and arson": "damage"}
TERMS = ["Rows read", "Used", "No location", "No population", "Outside area",
         "Outside period", "Rejected"]
bad = []

imd = {r["LSOA code (2011)"] for r in csv.DictReader(open(f"{data}/imd2019-milton-keynes.csv", encoding="utf-8-sig"))
       if r["Local Authority District code (2019)"] == "E06000042"}
parents = defaultdict(list)
if lookup_used:
    for r in csv.DictReader(open(f"{data}/lsoa-lookup-milton-keynes.csv", newline="")):
        parents[r["LSOA21CD"]].append(r["LSOA11CD"])

def shares(code, known):
    """[(2011 LSOA, share)] for a code: itself unless it is a 2021 code the IMD lacks."""
    ps = parents.get(code) if code not in imd else None
    if not ps:
        return [(code, 1.0)]
    if len(ps) == 1:
        return [(ps[0], 1.0)]
    if all(known.get(p, 0) > 0 for p in ps):
        tot = sum(known[p] for p in ps)
        return [(p, known[p] / tot) for p in ps]
    return [(p, 1.0 / len(ps)) for p in ps]

pop_rows = [(r["lsoa"], int(r["Total"])) for r in csv.DictReader(open(f"{data}/population-milton-keynes.csv", newline=""))]
known = Counter()
for code, n in pop_rows:
    s = shares(code, {})
    if len(s) == 1:
        known[s[0][0]] += n
pop = Counter(known)
for code, n in pop_rows:
    s = shares(code, known)
    if len(s) > 1:
        for p, w in s:
            pop[p] += n * w
populated = {c for c in imd if pop.get(c, 0) > 0}

def place(row, state):
    """The term of a police row and the 2011 LSOA it counts in. A row of a
    2021 code with several parents goes whole to the parent furthest behind
    its share of the rows dealt so far in this count (the first on a tie)."""
    if row["Month"] not in PERIOD:
        return "Outside period", None
    if not row["LSOA code"]:
        return "No location", None
    s = shares(row["LSOA code"], known)
    best = 0
    if len(s) > 1:
        st = state.setdefault(row["LSOA code"], {"dealt": 0, "given": [0] * len(s)})
        st["dealt"] += 1
        for k in range(1, len(s)):
            if s[k][1] * st["dealt"] - st["given"][k] > s[best][1] * st["dealt"] - st["given"][best]:
                best = k
        st["given"][best] += 1
    p = s[best][0]
    if p not in imd:
        return "Outside area", None
    return ("Used" if p in populated else "No population"), p

acc = {"police": Counter()}
lsoa_count = defaultdict(Counter)
unpopulated = defaultdict(set)
states = defaultdict(dict)
for f in sorted(glob.glob(f"{data}/police/*.csv")):
    for row in csv.DictReader(open(f, newline="")):
        ind = TYPES.get(row["Crime type"])
        for k in ["police"] + ([ind] if ind else []):
            term, p = place(row, states[k])
            acc.setdefault(k, Counter())
            acc[k]["Rows read"] += 1
            acc[k][term] += 1
            if term == "Used" and k != "police":
                lsoa_count[k][p] += 1
            if term == "No population":
                unpopulated[k].add(p)

dq = {r["Input"]: r for r in csv.DictReader(open(f"{out}/data-quality.csv"))}
summary = {r["Indicator"]: r for r in csv.DictReader(open(f"{out}/summary.csv"))}
titles = {v: k for k, v in {"Violence and sexual offences": "violence",
          "Anti-social behaviour": "asb", "Burglary": "burglary", "Vehicle crime": "vehicle",
          "Criminal damage and arson": "damage"}.items()}

def got_terms(r):
    return [int(r[t]) for t in TERMS]

# every input's and every crime indicator's terms add up to its rows read
for name, r in list(dq.items()) + [(k, v) for k, v in summary.items() if v["Rows read"]]:
    t = got_terms(r)
    if t[0] != sum(t[1:]):
        bad.append(f"{name}: rows read {t[0]} != {sum(t[1:])} (the terms added up)")
want = [acc["police"][t] for t in TERMS]
if got_terms(dq["police"]) != want:
    bad.append(f"police accounting {got_terms(dq['police'])}, recounted {want}")
# the other inputs: every data row read, all used
for name, path in [("imd", "imd2019-milton-keynes.csv"), ("population", "population-milton-keynes.csv"),
                   ("survey", "survey/community-survey-2018.csv")] + \
                  ([("lookup", "lsoa-lookup-milton-keynes.csv")] if lookup_used else []):
    n = sum(1 for _ in csv.DictReader(open(f"{data}/{path}", encoding="utf-8-sig", newline="")))
    if got_terms(dq[name]) != [n, n, 0, 0, 0, 0, 0]:
        bad.append(f"{name} accounting {got_terms(dq[name])}, expected {n} read and used")
residents = sum(pop[c] for c in populated)
for ind, title in titles.items():
    r = summary[title]
    want = [acc[ind][t] for t in TERMS]
    if got_terms(r) != want:
        bad.append(f"{title} accounting {got_terms(r)}, recounted {want}")
    if float(r["Count"]) != sum(lsoa_count[ind].values()) or abs(float(r["Denominator"]) - residents) > 1e-6:
        bad.append(f"{title}: {r['Count']}/{r['Denominator']}, recounted {sum(lsoa_count[ind].values())}/{residents}")
    # by LSOA: crimes and residents of every populated LSOA
    for row in csv.DictReader(open(f"{out}/{ind}-by-lsoa.csv")):
        c = row["LSOA code"]
        if float(row["Crimes"]) != lsoa_count[ind][c] or abs(float(row["Population"]) - pop[c]) > 1e-4:
            bad.append(f"{ind}-by-lsoa {c}: {row['Crimes']}/{row['Population']}, recounted {lsoa_count[ind][c]}/{pop[c]}")
    unpop = acc[ind]["No population"]
    if unpop:
        share = 100 * unpop / (unpop + acc[ind]["Used"])
        k = len(unpopulated[ind])
        note = f"{unpop:,} crimes ({share:.1f}% of the area's) are in {k} LSOA{'s' if k > 1 else ''} with no population row"
        if note not in r["Note"]:
            bad.append(f"{title}: note lacks '{note}': {r['Note']}")
    elif "no population row" in r["Note"]:
        bad.append(f"{title}: a no-population note with none: {r['Note']}")

with open(f"{out}/recount.txt", "w") as fh:  # for the shell: expected sentences
    u, used = acc["police"]["No population"], acc["police"]["Used"]
    if u:
        fh.write(f"stderr\t[input.police] {u:,} of the area's {u + used:,} crimes in the period ({100 * u / (u + used):.1f}%)\n")
    for ind, title in titles.items():
        u = acc[ind]["No population"]
        if u and 100 * u / (u + acc[ind]["Used"]) > 2:
            fh.write(f"headline\t{title}:\t{u:,} crimes ({100 * u / (u + acc[ind]['Used']):.1f}%) in LSOAs with no population row are not counted.\n")
    for c in sorted(imd):
        fh.write(f"pop\t{c}\t{pop.get(c, 0)}\n")
if bad:
    print("FAIL:", *bad, sep="\n  ")
    sys.exit(1)
PY

# ---- with the lookup: every located crime used, split LSOAs summed back
"$csa" run "$cfg" --out "$tmp/with" 2> "$tmp/with.err" || { cat "$tmp/with.err"; FAIL "run with the lookup"; }
/usr/bin/python3 "$tmp/recount.py" "$tmp/data" "$tmp/with" yes || FAIL "with the lookup: recount"
grep -q '^police,police-street,3,6094,6094,0,0,0,0,0,' "$tmp/with/data-quality.csv" ||
    { cat "$tmp/with/data-quality.csv"; FAIL "with the lookup: not all 6,094 crimes used"; }
! grep -q "no population row" "$tmp/with.err" "$tmp/with/summary.csv" ||
    FAIL "with the lookup: crimes still left out for no population"
# the 9 split LSOAs: their residents are their children's, summed here
/usr/bin/python3 - "$tmp/data" "$tmp/with/violence-by-lsoa.csv" <<'PY' || FAIL "split LSOAs' residents"
import csv, sys
data, got = sys.argv[1], sys.argv[2]
pop = {r["lsoa"]: int(r["Total"]) for r in csv.DictReader(open(f"{data}/population-milton-keynes.csv", newline=""))}
kids = {}
for r in csv.DictReader(open(f"{data}/lsoa-lookup-milton-keynes.csv", newline="")):
    if r["CHGIND"] == "S":
        kids.setdefault(r["LSOA11CD"], []).append(r["LSOA21CD"])
want = {p: sum(pop[k] for k in ks) for p, ks in kids.items()}
rows = {r["LSOA code"]: r for r in csv.DictReader(open(got))}
have = {p: int(rows[p]["Population"]) for p in want if p in rows}
print("split LSOAs:", len(want), "residents", sum(want.values()))
assert len(want) == 9 and have == want, (want, have)
PY
pdftotext "$tmp/with/assessment-pack.pdf" - | tr -s ' \n' '  ' > "$tmp/with.txt"
grep -qF "LSOA vintages: figures are on the deprivation input's LSOAs (2011)." "$tmp/with.txt" ||
    FAIL "with the lookup: no method note on LSOA vintages"
grep -qF "No 2021 LSOA of the population input has several 2011 parents." "$tmp/with.txt" ||
    FAIL "with the lookup: the method note does not say how LSOAs were shared"

# ---- without it: the crimes left out are stated everywhere they matter
sed -e '/^lsoa_lookup = /d' "$cfg" > "$tmp/data/nolookup.ini"
"$csa" run "$tmp/data/nolookup.ini" --out "$tmp/without" 2> "$tmp/without.err" ||
    { cat "$tmp/without.err"; FAIL "run without the lookup"; }
/usr/bin/python3 "$tmp/recount.py" "$tmp/data" "$tmp/without" no || FAIL "without the lookup: recount"
grep -q '^police,police-street,3,6094,5671,0,423,0,0,0,' "$tmp/without/data-quality.csv" ||
    FAIL "without the lookup: accounting should show 423 crimes with no population"
want=$(grep '^stderr' "$tmp/without/recount.txt" | cut -f2)
[ "$want" = "[input.police] 423 of the area's 6,094 crimes in the period (6.9%)" ] ||
    FAIL "recount: $want"
grep -qF "warning: $want are in 9 LSOAs with no population row" "$tmp/without.err" ||
    { cat "$tmp/without.err"; FAIL "without the lookup: stderr does not state the crimes left out"; }
grep -qF "give [assessment] lsoa_lookup" "$tmp/without.err" || FAIL "without the lookup: stderr says not what to do"
pdftotext "$tmp/without/assessment-pack.pdf" - | tr -s ' \n' '  ' > "$tmp/without.txt"
n=0
while IFS=$'\t' read -r _ title sentence; do
    n=$((n + 1))
    grep -qF "$title" "$tmp/without.txt" && grep -qF "$sentence" "$tmp/without.txt" ||
        FAIL "without the lookup: the pack's headline for $title lacks '$sentence'"
done < <(grep '^headline' "$tmp/without/recount.txt")
[ $n = 5 ] || FAIL "without the lookup: $n headlines above 2%, expected 5"
grep -qF "crimes (7.3% of the area's) are in 9 LSOAs with no population row" "$tmp/without.txt" ||
    FAIL "without the lookup: the violence page lacks its note"
grep -qF "No population" "$tmp/without.txt" || FAIL "without the lookup: the pack's accounting"
/usr/bin/python3 - "$tmp/without/assessment.xlsx" <<'PY' || FAIL "without the lookup: workbook accounting"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["Data quality"]
rows = [[c.value for c in r] for r in ws.iter_rows()]
police = next(r for r in rows if r[0] == "police" and r[2] == "police-street")
assert police[3:10] == [6094, 5671, 0, 423, 0, 0, 0], police
viol = next(r for r in rows if r[0] == "Violence and sexual offences")
assert viol[3] == sum(viol[4:10]) and viol[6] > 0, viol
PY

# ---- merged and complex 2021 LSOAs: shared among their parents
# E01016710 and E01016711 merge into E01099901 (neither parent has other
# residents: shared equally); E01016713 and E01016714 each keep a child of
# their own (1,000 and 3,000 residents) and share E01099902 (800): a
# quarter and three quarters. Crimes recorded in the new codes follow.
cp -r "$tmp/data" "$tmp/mx"
/usr/bin/python3 - "$tmp/mx" <<'PY'
import sys
d = sys.argv[1]
path = f"{d}/lsoa-lookup-milton-keynes.csv"
lines = open(path, newline="").read().split("\r\n")
swap = {"E01016710": ["E01016710,E01099901,M"], "E01016711": ["E01016711,E01099901,M"],
        "E01016713": ["E01016713,E01099903,X", "E01016713,E01099902,X"],
        "E01016714": ["E01016714,E01099904,X", "E01016714,E01099902,X"]}
out = []
for l in lines:
    out += swap.get(l.split(",")[0], [l])
open(path, "w", newline="").write("\r\n".join(out))
path = f"{d}/population-milton-keynes.csv"
lines = open(path, newline="").read().split("\r\n")
pop = {l.split(",")[1]: int(l.split(",")[2]) for l in lines[1:] if l}
keep = [l for l in lines if not l or l.split(",")[1] not in swap]
new = [("E01099901", pop["E01016710"] + pop["E01016711"]), ("E01099903", 1000),
       ("E01099904", 3000), ("E01099902", 800)]
add = [f"E06000042,{c},{n}," + ",".join([str(n)] + ["0"] * 9) for c, n in new]
open(path, "w", newline="").write("\r\n".join(keep[:-1] + add + keep[-1:]))
for month in ("10", "11", "12"):
    path = f"{d}/police/2018-{month}-milton-keynes-street.csv"
    text = open(path, newline="").read()
    text = text.replace(",E01016710,", ",E01099901,").replace(",E01016713,", ",E01099902,")
    open(path, "w", newline="").write(text)
PY
"$csa" run "$tmp/mx/assessment.ini" --out "$tmp/mx-out" 2> "$tmp/mx.err" ||
    { cat "$tmp/mx.err"; FAIL "merged and complex run"; }
/usr/bin/python3 "$tmp/recount.py" "$tmp/mx" "$tmp/mx-out" yes || FAIL "merged and complex: recount"
grep '^pop' "$tmp/mx-out/recount.txt" | grep -E 'E0101671[0-4]' > "$tmp/mx-pop"
printf 'pop\tE01016710\t%s\npop\tE01016711\t%s\npop\tE01016713\t1200.0\npop\tE01016714\t3600.0\n' \
    2307.5 2307.5 | diff - "$tmp/mx-pop" || FAIL "merged and complex: the recount's own residents"
# (code, name, MSOA, crimes, population)
grep -Eq '^E01016713,[^,]*,[^,]*,[0-9.]*,1200(\.0+)?,' "$tmp/mx-out/violence-by-lsoa.csv" &&
    grep -Eq '^E01016714,[^,]*,[^,]*,[0-9.]*,3600(\.0+)?,' "$tmp/mx-out/violence-by-lsoa.csv" &&
    grep -q '^E01016710,[^,]*,[^,]*,[0-9.]*,2307.5000,' "$tmp/mx-out/violence-by-lsoa.csv" ||
    { grep -E '^E0101671[0-4]' "$tmp/mx-out/violence-by-lsoa.csv"; FAIL "merged and complex: residents"; }
grep -q '^police,police-street,3,6094,6094,0,0,0,0,0,' "$tmp/mx-out/data-quality.csv" ||
    FAIL "merged and complex: every crime is still used once"
pdftotext "$tmp/mx-out/assessment-pack.pdf" - | tr -s ' \n' '  ' > "$tmp/mx.txt"
grep -qF "2 2021 LSOAs of the population input have several 2011 parents (merged or complex changes): their residents are shared among the parents in proportion to the residents each has from LSOAs of one parent, or equally where a parent has none (1 of them)." "$tmp/mx.txt" &&
    grep -qF "each crime whole to the parent furthest behind its share" "$tmp/mx.txt" ||
    FAIL "merged and complex: the method note"

# ---- the spec: a change indicator outside U, S, M, X is an error
printf 'LSOA11CD,LSOA21CD,CHGIND\r\nE01016710,E01016710,U\r\nE01016711,E01016711,Q\r\n' > "$tmp/bad-lookup.csv"
set +e
"$csa" validate --spec lsoa-lookup "$tmp/bad-lookup.csv" > "$tmp/v.out" 2>&1
st=$?
set -e
[ $st = 1 ] || FAIL "bad CHGIND: exit $st, expected 1"
grep -qF 'bad-lookup.csv:3:3: error [not-in-list] CHGIND "Q"' "$tmp/v.out" || { cat "$tmp/v.out"; FAIL "bad CHGIND: message"; }
"$csa" validate --spec lsoa-lookup "$tmp/data/lsoa-lookup-milton-keynes.csv" > "$tmp/v.out" 2>&1 ||
    { cat "$tmp/v.out"; FAIL "the sample lookup does not validate"; }
# the ONS names and LAD columns are tolerated
printf 'LSOA11CD,LSOA11NM,LSOA21CD,LSOA21NM,CHGIND,LAD22CD,LAD22NM,LAD22NMW,ObjectId\r\nE01016710,Milton Keynes 030A,E01016710,Milton Keynes 030A,U,E06000042,Milton Keynes,,1\r\n' > "$tmp/ons.csv"
"$csa" validate --spec lsoa-lookup "$tmp/ons.csv" > "$tmp/v.out" 2>&1 || { cat "$tmp/v.out"; FAIL "ONS columns refused"; }
grep -qF "0 errors, 0 warnings" "$tmp/v.out" || { cat "$tmp/v.out"; FAIL "ONS columns: findings"; }
# a lookup input of another spec is a config error
sed 's/^spec = lsoa-lookup$/spec = area-lookup/' "$cfg" > "$tmp/data/bad.ini"
set +e
"$csa" run "$tmp/data/bad.ini" --out "$tmp/bad-out" 2> "$tmp/err"
st=$?
set -e
[ $st = 2 ] || FAIL "lookup of the wrong spec: exit $st, expected 2"
grep -qF "lsoa_lookup" "$tmp/err" && grep -qF "spec lsoa-lookup" "$tmp/err" || { cat "$tmp/err"; FAIL "lookup of the wrong spec: message"; }

[ $fail = 0 ] && echo "vintage: all checks passed"
exit $fail
