#!/bin/bash
# Partners' data in csa run: the three SYNTHETIC partner extracts of
# data-samples/partners (deliberate fires as counts by LSOA and month,
# council ASB and A&E assaults as incident records) recounted here from the
# CSVs, independently of csa (python3 standard library and openpyxl), and
# checked in the run's CSVs and workbook cells: counts, rates per 1,000 and
# Byar's (or exact Poisson) 95% intervals, each month, the comparison
# year's count, deciles, the day-and-hour table and the venues. Then the
# disclosure control of the personal input (A&E): no count from 1 to 4 in
# any of its CSVs, workbook cells or PDF pages (the heat chart's labels are
# read from the pack, which draws it as the PNG and SVG are drawn), and no
# suppressed count recoverable from a total. Last, a partner file with a
# bad time stops the run with its line and column, and --allow-invalid
# leaves it out with the note on its outputs.
set -eu
csa=$(realpath "$1") src=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
d="$src/data-samples"
config() { # $1: the A&E file
    cat <<EOF
[assessment]
title = Partner test
area = Milton Keynes
la_code = E06000042
period = 2018-10 to 2018-12
comparator = England
output = out
deprivation = imd
population = population
lsoa_lookup = lookup
higher_area = msoa
higher_area_label = MSOA
[input.msoa]
spec = area-lookup
files = $d/msoa-lookup-milton-keynes.csv
[input.imd]
spec = imd
files = $d/imd2019-milton-keynes.csv
[input.population]
spec = population
files = $d/population-milton-keynes.csv
[input.lookup]
spec = lsoa-lookup
files = $d/lsoa-lookup-milton-keynes.csv
[input.fire]
spec = indicator
files = $d/partners/fire-deliberate-fires-SYNTHETIC.csv
[input.council_asb]
spec = partner-incidents
files = $d/partners/council-asb-SYNTHETIC.csv
[input.ae]
spec = partner-incidents
files = $1
personal = yes
[indicator.deliberate_fires]
title = Deliberate fires
input = fire
categories = deliberate primary fires, deliberate secondary fires
comparator_value = 0.4
[indicator.council_asb]
title = ASB reported to the council
input = council_asb
[indicator.ae_assaults]
title = Assault attendances at A&E
input = ae
comparator_value = 0.8
EOF
}
config "$d/partners/ae-assaults-SYNTHETIC.csv" > "$tmp/a.ini"
"$csa" run "$tmp/a.ini" --quiet 2> "$tmp/stderr" || { cat "$tmp/stderr"; exit 1; }
fail=0
/usr/bin/python3 - "$d" "$tmp/out" <<'PY' || fail=1
import csv, datetime, math, os, re, subprocess, sys
import openpyxl

d, out = sys.argv[1], sys.argv[2]
bad = []

def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))

mk = {r["LSOA code (2011)"]: int(r["Index of Multiple Deprivation (IMD) Decile"])
      for r in rows(f"{d}/imd2019-milton-keynes.csv")
      if r["Local Authority District code (2019)"] == "E06000042"}
pop = sum(int(r["Total"]) for r in rows(f"{d}/population-milton-keynes.csv"))
period = ["2018-10", "2018-11", "2018-12"]
before = ["2017-10", "2017-11", "2017-12"]
Z = 1.959963984540054

def poisson_cdf(k, mu):
    term = total = math.exp(-mu)
    for i in range(1, k + 1):
        term *= mu / i
        total += term
    return total

def solve(f, lo, hi):
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if f(mid) else (lo, mid)
    return (lo + hi) / 2

def interval(o):
    """Byar's 95% limits of a count, exact Poisson below 10."""
    if o >= 10:
        lo = o * (1 - 1 / (9 * o) - Z / (3 * math.sqrt(o))) ** 3
        hi = (o + 1) * (1 - 1 / (9 * (o + 1)) + Z / (3 * math.sqrt(o + 1))) ** 3
        return lo, hi
    lo = 0 if o == 0 else solve(lambda mu: 1 - poisson_cdf(o - 1, mu) < 0.025, 0, 100)
    hi = solve(lambda mu: poisson_cdf(o, mu) > 0.025, 0, 100)
    return lo, hi

def rate(n):
    lo, hi = interval(n)
    return n / pop * 1000, lo / pop * 1000, hi / pop * 1000

def close(got, want, places):
    return abs(float(got) - want) <= 0.5 * 10 ** -places + 1e-9

# the recount: by month of the timeline, LSOA decile, weekday and hour, venue
def recount(kind, path):
    c = {"month": {}, "decile": [0] * 10, "heat": {}, "heat3": {}, "venue": {}, "lsoa": {}}
    for r in rows(path):
        if kind == "counts":
            month, code, n = r["period"], r["area code"], int(r["count"])
        else:
            month, code, n = r["date"][:7], r["LSOA code"], 1
        if code not in mk:
            continue
        c["month"][month] = c["month"].get(month, 0) + n
        if month not in period:
            continue
        c["decile"][mk[code] - 1] += n
        c["lsoa"][code] = c["lsoa"].get(code, 0) + n
        if kind == "incidents":
            c["venue"][r["venue"]] = c["venue"].get(r["venue"], 0) + 1
            if r["time"]:
                wd = datetime.date.fromisoformat(r["date"]).weekday()
                h = int(r["time"][:2])
                c["heat"][(wd, h)] = c["heat"].get((wd, h), 0) + 1
                c["heat3"][(wd, h // 3)] = c["heat3"].get((wd, h // 3), 0) + 1
    c["count"] = sum(c["month"].get(m, 0) for m in period)
    c["before"] = sum(c["month"].get(m, 0) for m in before)
    return c

want = {"Deliberate fires": ("deliberate_fires", "Events",
                             recount("counts", f"{d}/partners/fire-deliberate-fires-SYNTHETIC.csv")),
        "ASB reported to the council": ("council_asb", "Incidents",
                                        recount("incidents", f"{d}/partners/council-asb-SYNTHETIC.csv")),
        "Assault attendances at A&E": ("ae_assaults", "Incidents",
                                       recount("incidents", f"{d}/partners/ae-assaults-SYNTHETIC.csv"))}

summary = {r["Indicator"]: r for r in rows(f"{out}/summary.csv")}
wb = openpyxl.load_workbook(f"{out}/assessment.xlsx")
ws = wb["Summary"]
head = [c.value for c in ws[1]]
hrow = next(i for i, r in enumerate(ws.iter_rows(values_only=True), 1) if "Indicator" in r)
head = [c.value for c in ws[hrow]]
cells = {r[head.index("Indicator")]: dict(zip(head, r))
         for r in ws.iter_rows(min_row=hrow + 1, values_only=True) if r[head.index("Indicator")]}
for title, (name, noun, c) in want.items():
    v, lo, hi = rate(c["count"])
    s = summary[title]
    if int(s["Count"]) != c["count"] or int(s["Count before"]) != c["before"]:
        bad.append(f"{title}: count {s['Count']} / before {s['Count before']}, want "
                   f"{c['count']} / {c['before']}")
    if int(s["Denominator"]) != pop:
        bad.append(f"{title}: denominator {s['Denominator']}, want {pop}")
    for col, x in (("Value", v), ("Lower 95% CI", lo), ("Upper 95% CI", hi)):
        if not close(s[col], x, 4):
            bad.append(f"{title}: summary.csv {col} {s[col]}, want {x:.6f}")
        if abs(cells[title][col] - x) > 1e-9 * x:
            bad.append(f"{title}: workbook {col} {cells[title][col]!r}, want {x!r}")
    if cells[title]["Count"] != c["count"]:
        bad.append(f"{title}: workbook count {cells[title]['Count']}")
    # each month of the period: count, rate and interval
    for r in rows(f"{out}/{name}-by-month.csv"):
        n = c["month"].get(r["Month"], 0)
        mv, mlo, mhi = rate(n)
        if int(r[noun]) != n or not all(close(r[k], x, 4) for k, x in (
                ("Rate per 1,000 residents", mv), ("Lower 95% CI", mlo), ("Upper 95% CI", mhi))):
            bad.append(f"{title} {r['Month']}: {r}, want {n} {mv:.4f} {mlo:.4f} {mhi:.4f}")
    # the whole history of months the run charts
    for r in rows(f"{out}/{name}-over-time.csv"):
        n = c["month"].get(r["Month"])
        if n is not None and int(r[noun]) != n:
            bad.append(f"{title} over time {r['Month']}: {r[noun]}, want {n}")
    if name == "ae_assaults":
        continue
    for r in rows(f"{out}/{name}-by-deprivation-decile.csv"):
        if int(r[noun]) != c["decile"][int(r["IMD decile"]) - 1]:
            bad.append(f"{title} decile {r['IMD decile']}: {r[noun]}")

# council ASB: every cell of the day-and-hour table, and the venues
_, _, asb = want["ASB reported to the council"]
days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
for r in rows(f"{out}/council_asb-by-day-of-the-week-and-hour.csv"):
    wd = days.index(r["Day"])
    for h in range(24):
        if int(r[f"{h:02d}:00"]) != asb["heat"].get((wd, h), 0):
            bad.append(f"ASB {r['Day']} {h:02d}:00: {r[f'{h:02d}:00']}")
    if int(r["All times"]) != sum(asb["heat"].get((wd, h), 0) for h in range(24)):
        bad.append(f"ASB {r['Day']} all times: {r['All times']}")
venues = {r["Venue"]: int(r["Incidents"]) for r in rows(f"{out}/council_asb-by-venue.csv")}
if venues != asb["venue"]:
    bad.append(f"ASB venues {venues}, want {asb['venue']}")

# rates per MSOA (the msoa lookup), recounted from the LSOAs' counts
msoa_of = {r["LSOA11CD"]: r["MSOA11NM"] for r in rows(f"{d}/msoa-lookup-milton-keynes.csv")}
pop_of = {r["lsoa"]: int(r["Total"]) for r in rows(f"{d}/population-milton-keynes.csv")}
parents = {}
for r in rows(f"{d}/lsoa-lookup-milton-keynes.csv"):
    parents.setdefault(r["LSOA21CD"], []).append(r["LSOA11CD"])
msoa_pop = {}
for code, n in pop_of.items():
    p = code if code in mk else parents[code][0]
    msoa_pop[msoa_of[p]] = msoa_pop.get(msoa_of[p], 0) + n
for title, (name, noun, c) in want.items():
    if name == "ae_assaults":
        continue
    by_msoa = {}
    for code, n in c["lsoa"].items():
        by_msoa[msoa_of[code]] = by_msoa.get(msoa_of[code], 0) + n
    got = rows(f"{out}/{name}-by-msoa.csv")
    if len(got) != len(msoa_pop):
        bad.append(f"{title}: {len(got)} MSOAs, want {len(msoa_pop)}")
    for r in got:
        n, p = by_msoa.get(r["MSOA"], 0), msoa_pop[r["MSOA"]]
        lo, hi = interval(n)
        if (int(r[noun]), int(r["Population"])) != (n, p) or not all(
                close(r[k], x, 4) for k, x in (("Rate per 1,000 residents", n / p * 1000),
                                               ("Lower 95% CI", lo / p * 1000),
                                               ("Upper 95% CI", hi / p * 1000))):
            bad.append(f"{title} MSOA {r['MSOA']}: {r}, want {n} / {p}")
    if not os.path.exists(f"{out}/{name}-areas.png"):
        bad.append(f"{title}: no caterpillar chart of the MSOAs")

# ---- A&E: disclosure control ----
_, _, ae = want["Assault attendances at A&E"]
def small(x):
    try:
        return 1 <= float(x) < 5
    except (TypeError, ValueError):
        return False
# every count column of every A&E CSV: none from 1 to 4
counts = re.compile(r"^(Incidents|All times|\d\d:00-\d\d:59)$")
for f in sorted(os.listdir(out)):
    if not (f.startswith("ae_assaults-") and f.endswith(".csv")):
        continue
    for r in rows(f"{out}/{f}"):
        for k, x in r.items():
            if counts.match(k) and small(x):
                bad.append(f"{f}: {k} {x} is below 5: {r}")
for r in rows(f"{out}/data-quality.csv"):
    if "ae" in r.values() or "Assault attendances at A&E" in r.values():
        for k in ("Rows read", "Used", "No location", "No population", "Outside area",
                  "Outside period", "Rejected"):
            if small(r[k]):
                bad.append(f"data-quality.csv: {k} {r[k]} of the A&E input")
# the heat table: shown cells are the recount in three-hour bands; hidden
# ones are small or hidden with one (no day or band with a single hidden
# cell, whose total would give it away)
heat = rows(f"{out}/ae_assaults-by-day-of-the-week-and-time-of-day.csv")
bands = [f"{b * 3:02d}:00-{b * 3 + 2:02d}:59" for b in range(8)]
hidden_small = 0
for r in heat:
    wd = days.index(r["Day"])
    hidden = [b for b in range(8) if r[bands[b]] == ""]
    for b in range(8):
        n = ae["heat3"].get((wd, b), 0)
        if r[bands[b]] != "" and int(r[bands[b]]) != n:
            bad.append(f"A&E {r['Day']} {bands[b]}: {r[bands[b]]}, want {n}")
        hidden_small += r[bands[b]] == "" and 1 <= n < 5
        if 1 <= n < 5 and r[bands[b]] != "":
            bad.append(f"A&E {r['Day']} {bands[b]}: {n} shown")
    if len(hidden) + (r["All times"] == "") == 1:
        bad.append(f"A&E {r['Day']}: one hidden cell, recoverable from the day's total")
for b in range(8):
    if sum(r[bands[b]] == "" for r in heat) == 1:
        bad.append(f"A&E {bands[b]}: one hidden cell in the column")
if not hidden_small:
    bad.append("A&E: no small count was hidden: the test tests nothing")
# tables whose total is the headline count: none or at least two hidden
for f, key in (("ae_assaults-by-venue.csv", "Incidents"), ("ae_assaults-by-month.csv", "Incidents"),
               ("ae_assaults-by-deprivation-decile.csv", "Incidents")):
    t = rows(f"{out}/{f}")
    if sum(r[key] == "" for r in t) == 1:
        bad.append(f"{f}: one hidden count, recoverable from the total")
# LSOAs within deciles: a shown decile has none or two or more hidden LSOAs
dec = {int(r["IMD decile"]): r["Incidents"] for r in rows(f"{out}/ae_assaults-by-deprivation-decile.csv")}
lsoa = rows(f"{out}/ae_assaults-by-lsoa.csv")
for k in range(1, 11):
    hidden = [r for r in lsoa if mk[r["LSOA code"]] == k and r["Incidents"] == ""]
    if dec[k] != "" and len(hidden) == 1:
        bad.append(f"A&E decile {k}: one hidden LSOA, recoverable from the decile's count")
    shown = [r for r in lsoa if mk[r["LSOA code"]] == k and r["Incidents"] != ""]
    if dec[k] != "" and any(r["Rate per 1,000 residents"] == "" for r in shown):
        bad.append(f"A&E decile {k}: a shown LSOA without its rate")
    if any(r["Incidents"] == "" and r["Rate per 1,000 residents"] != "" for r in lsoa):
        bad.append("A&E: a hidden LSOA count with its rate shown")
# LSOAs within MSOAs, the same marks: a shown MSOA has none or two or more
# hidden LSOAs, the MSOAs hidden are none or two or more, no small count
msoas = rows(f"{out}/ae_assaults-by-msoa.csv")
for r in msoas:
    hidden = [x for x in lsoa if msoa_of[x["LSOA code"]] == r["MSOA"] and x["Incidents"] == ""]
    if r["Incidents"] != "" and len(hidden) == 1:
        bad.append(f"A&E MSOA {r['MSOA']}: one hidden LSOA, recoverable from the MSOA's count")
    if small(r["Incidents"]):
        bad.append(f"A&E MSOA {r['MSOA']}: {r['Incidents']} shown")
    n = sum(ae["lsoa"].get(x, 0) for x in msoa_of if msoa_of[x] == r["MSOA"])
    if r["Incidents"] != "" and int(r["Incidents"]) != n:
        bad.append(f"A&E MSOA {r['MSOA']}: {r['Incidents']}, want {n}")
    if r["Incidents"] == "" and (r["Rate per 1,000 residents"] != "" or r["Share of the area's incidents (%)"] != ""):
        bad.append(f"A&E MSOA {r['MSOA']}: a hidden count with its rate or share")
if sum(r["Incidents"] == "" for r in msoas) == 1:
    bad.append("A&E: one hidden MSOA, recoverable from the total")
if not any(r["Incidents"] == "" for r in msoas):
    bad.append("A&E: no MSOA hidden: the MSOA check tests nothing")
# the page (assessment.html): the A&E section's tables, no count from 1 to 4
from html.parser import HTMLParser
class Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.section, self.tables, self.cell, self.row = None, [], None, None
    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append((self.section, []))
        elif tag == "tr" and self.tables:
            self.row = []
        elif tag in ("td", "th"):
            self.cell = ""
    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[-1][1].append(self.row)
            self.row = None
    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data
        if self.lasttag == "h3":
            self.section = data.strip() or self.section
page = Tables()
page.feed(open(f"{out}/assessment.html", encoding="utf-8").read())
seen = 0
for section, table in page.tables:
    if section != "Assault attendances at A&E" or not table:
        continue
    head = table[0]
    for row in table[1:]:
        for k, x in zip(head, row):
            if counts.match(k):
                seen += 1
                if small(x.replace(",", "")):
                    bad.append(f"assessment.html A&E table {head[:3]}: {k} {x}")
if not seen:
    bad.append("assessment.html: no A&E count cells found: the check tests nothing")
# the workbook: the A&E block of the Partners sheet
ws = wb["Partners"]
grid = list(ws.iter_rows(values_only=True))
start = next(i for i, r in enumerate(grid) if r[0] == "Assault attendances at A&E")
end = next((i for i in range(start + 1, len(grid))
            if grid[i][0] in ("Deliberate fires", "ASB reported to the council")), len(grid))
header = None
for i in range(start, end):
    r = grid[i]
    if r[0] in ("Month", "Day", "Venue", "IMD decile", "LSOA code", "MSOA"):
        header = r
        continue
    for k, x in zip(header or (), r):
        if isinstance(k, str) and counts.match(k) and isinstance(x, (int, float)) and 1 <= x < 5:
            bad.append(f"workbook Partners row {i + 1}: {k} {x}")
# the day-and-hour tables shaded as the heat chart is: a colour scale over
# 7 days x 24 hours (ASB) and 7 x 8 three-hour bands (A&E)
scales = sorted((str(c.sqref), r.colorScale.color[0].rgb, r.colorScale.color[1].rgb)
                for c in ws.conditional_formatting for r in c.rules if r.type == "colorScale")
shapes = []
for ref, lo, hi in scales:
    a, b = ref.split(":")
    shapes.append((openpyxl.utils.cell.coordinate_to_tuple(b)[0] - openpyxl.utils.cell.coordinate_to_tuple(a)[0] + 1,
                   openpyxl.utils.cell.coordinate_to_tuple(b)[1] - openpyxl.utils.cell.coordinate_to_tuple(a)[1] + 1,
                   lo, hi))
if sorted(shapes) != [(7, 8, "FFF7FBFF", "FF08306B"), (7, 24, "FFF7FBFF", "FF08306B")]:
    bad.append(f"workbook colour scales {scales}")
# the pack: the pages of the A&E indicator, every number in their text
pdf = subprocess.run(["pdftotext", "-layout", f"{out}/assessment-pack.pdf", "-"],
                     capture_output=True, text=True, check=True).stdout
pages = [p for p in pdf.split("\f") if "Assault attendances at A&E" in p.split("\n\n")[0] or
         re.search(r"^\s*Assault attendances at A&E( \(continued\))?\s*$", p, re.M)]
# the pack's A&E tables: the count after each MSOA, LSOA or month label
row = re.compile(r"^\s*(Milton Keynes \d{3}|E0\d{7}|20\d\d-\d\d)\s+(\d[\d,]*)(?=\s|$)", re.M)
rows_seen = 0
for p in pages:
    for m in row.finditer(p):
        rows_seen += 1
        if 1 <= int(m.group(2).replace(",", "")) < 5:
            bad.append(f"pack: A&E table row {m.group(0).strip()!r} shows a count below 5")
if not rows_seen:
    bad.append("pack: no A&E table rows found: the check tests nothing")
# the MSOA chart calls its suppressed MSOAs so, in its legend and marks, not "no data"
chart = [p for p in pages if "Assault attendances at A&E by MSOA\n" in p and "Suppressed" in p]
if not chart or "no data" in chart[0].lower() or chart[0].count("suppressed") < 2:
    bad.append("pack: the A&E MSOA chart does not call its suppressed MSOAs so")
heat_page = [p for p in pages if "when in the week" in p]
if not heat_page:
    bad.append("pack: no A&E heat chart page")
for p in heat_page:
    chart = p[p.index("when in the week"):p.index("Source:", p.index("when in the week"))]
    for tok in re.findall(r"(?<![\d:.,-])\d+(?![\d:.,-])", chart):
        if 1 <= int(tok) < 5:
            bad.append(f"pack: the heat chart shows {tok}")
    if chart.count("*") < hidden_small:
        bad.append("pack: the heat chart marks fewer suppressed cells than the table hides")
for b in bad:
    print("FAIL:", b)
print(f"recounted 3 partner indicators; {hidden_small} small A&E counts hidden")
sys.exit(1 if bad else 0)
PY
grep -q "Disclosure control" <(pdftotext "$tmp/out/assessment-pack.pdf" -) ||
    { echo "FAIL: the pack has no method note on disclosure control"; fail=1; }

# a bad partner file: the run stops naming its line and column; with
# --allow-invalid it is left out, and its outputs say so
{ head -3 "$d/partners/ae-assaults-SYNTHETIC.csv"
  echo "ED-BAD-1,2018-11-03,25:00,E01016735,assault,street,"
  tail -n +4 "$d/partners/ae-assaults-SYNTHETIC.csv"; } > "$tmp/ae-bad.csv"
config "$tmp/ae-bad.csv" | sed "s|^output = out|output = out2|" > "$tmp/b.ini"
if "$csa" run "$tmp/b.ini" --quiet 2> "$tmp/stderr-b"; then
    echo "FAIL: a file with time 25:00 did not stop the run"; fail=1
fi
grep -qF "ae-bad.csv:4:3: time \"25:00\" is not a time of day from 00:00 to 23:59 [bad-time]" \
    "$tmp/stderr-b" || { echo "FAIL: no bad-time at 4:3:"; cat "$tmp/stderr-b"; fail=1; }
[ ! -e "$tmp/out2" ] || { echo "FAIL: a stopped run wrote outputs"; fail=1; }
"$csa" run "$tmp/b.ini" --quiet --allow-invalid ae 2> "$tmp/stderr-c" ||
    { echo "FAIL: --allow-invalid ae did not run"; cat "$tmp/stderr-c"; fail=1; }
note="Not computed: input ae was left out (--allow-invalid) because validation found errors in it (1)"
grep -qF "$note" "$tmp/out2/summary.csv" || { echo "FAIL: summary.csv lacks the note"; fail=1; }
pdftotext "$tmp/out2/assessment-pack.pdf" - | tr '\n' ' ' | grep -qF "input ae was left out" ||
    { echo "FAIL: the pack lacks the note"; fail=1; }
/usr/bin/python3 - "$tmp/out2/assessment.xlsx" "$note" <<'PY' || fail=1
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
if not any(sys.argv[2] in str(c.value) for ws in wb.worksheets for r in ws.iter_rows() for c in r):
    print("FAIL: the workbook lacks the note")
    sys.exit(1)
PY
ls "$tmp/out2" | grep -q "^ae_assaults-" && { echo "FAIL: tables of a left-out input"; fail=1; }
# counts for the whole LA count in the rate (not in the breakdowns); a
# ward's are left out, a suppressed count (*) is not counted and a category
# with no rows counts 0, each said in the note
cat > "$tmp/mixed.csv" <<'EOF'
area code,period,measure,count
E01016735,2018-10,deliberate fires,3
E05009407,2018-10,deliberate fires,4
E06000042,2018-11,deliberate fires,12
E01016736,2017-10,deliberate fires,2
E06000042,2017-11,deliberate fires,9
E06000042,2018-12,deliberate fires,*
EOF
config "$d/partners/ae-assaults-SYNTHETIC.csv" |
    sed -e "s|^output = out|output = out3|" -e "s|^files = .*fire-deliberate.*|files = $tmp/mixed.csv|" \
        -e 's/^categories = .*/categories = Deliberate Fires, deliberate fire/' > "$tmp/m.ini"
"$csa" run "$tmp/m.ini" --quiet 2> /dev/null || { echo "FAIL: mixed areas run"; fail=1; }
/usr/bin/python3 - "$tmp/out3/summary.csv" <<'PY' || fail=1
import csv, sys
r = {r["Indicator"]: r for r in csv.DictReader(open(sys.argv[1]))}["Deliberate fires"]
bad = []
if (r["Count"], r["Count before"], r["Denominator"]) != ("15", "11", "269783"):
    bad.append(f"counts {r['Count']} {r['Count before']} {r['Denominator']}")
for words in ("1 row of the period has a count the partner suppressed",
              "1 row of the period counts for areas that are neither LSOAs nor Milton Keynes",
              "12 events are given for Milton Keynes as a whole, with no LSOA",
              "No rows of 'deliberate fire' in the input: counted as 0"):
    if words not in r["Note"]:
        bad.append(f"note lacks: {words}")
for b in bad:
    print("FAIL: mixed areas:", b)
sys.exit(1 if bad else 0)
PY

# other denominators: council ASB per children aged 0 to 15 (the population
# file's F0 to 15 and M0 to 15 summed, its 2021 LSOAs put in their 2011
# parents by the lookup) and deliberate fires per households (an input of
# spec population written here, one LSOA left out), recounted from the files
/usr/bin/python3 - "$d" "$tmp/households.csv" <<'PY'
import csv, sys
d = sys.argv[1]
codes = [r["LSOA code (2011)"] for r in csv.DictReader(open(f"{d}/imd2019-milton-keynes.csv",
         encoding="utf-8-sig")) if r["Local Authority District code (2019)"] == "E06000042"]
with open(sys.argv[2], "w") as f:
    f.write("lsoa,Total\n")
    for c in sorted(codes)[1:]:  # the first LSOA has no households figure
        f.write(f"{c},{400 + int(c[-4:]) * 7 % 500}\n")
PY
config "$d/partners/ae-assaults-SYNTHETIC.csv" |
    sed -e "s|^output = out|output = out5|" \
        -e 's/^input = council_asb$/&\ndenominator = 0 to 15\ndenominator_label = children aged 0 to 15/' \
        -e 's/^input = fire$/&\ndenominator = input households/' > "$tmp/d.ini"
printf '[input.households]\nspec = population\nfiles = %s\n' "$tmp/households.csv" >> "$tmp/d.ini"
"$csa" run "$tmp/d.ini" --quiet 2> "$tmp/stderr-d" || { echo "FAIL: denominators run"; cat "$tmp/stderr-d"; fail=1; }
/usr/bin/python3 - "$d" "$tmp/out5" "$tmp/households.csv" <<'PY' || fail=1
import csv, math, sys
d, out, hh_file = sys.argv[1:4]
bad = []
def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))
mk = {r["LSOA code (2011)"]: int(r["Index of Multiple Deprivation (IMD) Decile"])
      for r in rows(f"{d}/imd2019-milton-keynes.csv")
      if r["Local Authority District code (2019)"] == "E06000042"}
parents = {}
for r in rows(f"{d}/lsoa-lookup-milton-keynes.csv"):
    parents.setdefault(r["LSOA21CD"], []).append(r["LSOA11CD"])
young = {}
for r in rows(f"{d}/population-milton-keynes.csv"):
    p = [r["lsoa"]] if r["lsoa"] in mk else parents[r["lsoa"]]
    assert len(p) == 1, p  # the sample's 2021 LSOAs are splits: one parent each
    young[p[0]] = young.get(p[0], 0) + int(r["F0 to 15"]) + int(r["M0 to 15"])
households = {r["lsoa"]: int(r["Total"]) for r in rows(hh_file)}
Z = 1.959963984540054
def poisson_cdf(k, mu):
    term = total = math.exp(-mu)
    for i in range(1, k + 1):
        term *= mu / i
        total += term
    return total
def solve(f, lo, hi):
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if f(mid) else (lo, mid)
    return (lo + hi) / 2
def interval(o):
    if o >= 10:
        return (o * (1 - 1 / (9 * o) - Z / (3 * math.sqrt(o))) ** 3,
                (o + 1) * (1 - 1 / (9 * (o + 1)) + Z / (3 * math.sqrt(o + 1))) ** 3)
    lo = 0 if o == 0 else solve(lambda mu: 1 - poisson_cdf(o - 1, mu) < 0.025, 0, 100)
    return lo, solve(lambda mu: poisson_cdf(o, mu) > 0.025, 0, 100)
def close(got, want):
    return abs(float(got) - want) <= 0.5e-4 + 1e-9
period = ["2018-10", "2018-11", "2018-12"]
def recount(path, kind, per):
    by_lsoa, by_month, left = {}, {}, 0
    for r in rows(path):
        if kind == "counts":
            month, code, n = r["period"], r["area code"], int(r["count"])
        else:
            month, code, n = r["date"][:7], r["LSOA code"], 1
        if code not in mk or month not in period:
            continue
        if code not in per:
            left += n
            continue
        by_lsoa[code] = by_lsoa.get(code, 0) + n
        by_month[month] = by_month.get(month, 0) + n
    return by_lsoa, by_month, left
summary = {r["Indicator"]: r for r in rows(f"{out}/summary.csv")}
for title, name, noun, path, kind, per, label in (
        ("ASB reported to the council", "council_asb", "Incidents",
         f"{d}/partners/council-asb-SYNTHETIC.csv", "incidents", young, "children aged 0 to 15"),
        ("Deliberate fires", "deliberate_fires", "Events",
         f"{d}/partners/fire-deliberate-fires-SYNTHETIC.csv", "counts", households, "households")):
    by_lsoa, by_month, left = recount(path, kind, per)
    den = sum(per[c] for c in mk if c in per)
    count = sum(by_lsoa.values())
    s = summary[title]
    unit = f"per 1,000 {label}"
    if s["Unit"] != unit:
        bad.append(f"{title}: unit {s['Unit']!r}, want {unit!r}")
    if int(s["Count"]) != count or int(s["Denominator"]) != den:
        bad.append(f"{title}: count {s['Count']} / {s['Denominator']}, want {count} / {den}")
    lo, hi = interval(count)
    for col, x in (("Value", count / den * 1000), ("Lower 95% CI", lo / den * 1000),
                   ("Upper 95% CI", hi / den * 1000)):
        if not close(s[col], x):
            bad.append(f"{title}: {col} {s[col]}, want {x:.6f}")
    rate_col = f"Rate {unit}"
    for r in rows(f"{out}/{name}-by-month.csv"):
        n = by_month.get(r["Month"], 0)
        if int(r[noun]) != n or not close(r[rate_col], n / den * 1000):
            bad.append(f"{title} {r['Month']}: {r}, want {n} {n / den * 1000:.4f}")
    Label = label[0].upper() + label[1:]
    got = {r["LSOA code"]: (int(r[noun]), int(r[Label]), r[rate_col])
           for r in rows(f"{out}/{name}-by-lsoa.csv")}
    want = {c: (by_lsoa.get(c, 0), per[c]) for c in mk if c in per}
    if {c: g[:2] for c, g in got.items()} != want:
        bad.append(f"{title}: by LSOA differs from the recount "
                   f"({len(got)} LSOAs, want {len(want)})")
    for c, (n, p, rt) in got.items():
        if not close(rt, n / p * 1000):
            bad.append(f"{title} {c}: rate {rt}, want {n / p * 1000:.4f}")
    dec_n, dec_p = [0] * 10, [0] * 10
    for c in want:
        dec_n[mk[c] - 1] += by_lsoa.get(c, 0)
        dec_p[mk[c] - 1] += per[c]
    for r in rows(f"{out}/{name}-by-deprivation-decile.csv"):
        k = int(r["IMD decile"]) - 1
        if (int(r[noun]), int(r[Label])) != (dec_n[k], dec_p[k]) or \
                not close(r[rate_col], dec_n[k] / dec_p[k] * 1000):
            bad.append(f"{title} decile {k + 1}: {r}, want {dec_n[k]} {dec_p[k]}")
    if f"Rates are per 1,000 {label}" not in s["Note"]:
        bad.append(f"{title}: the note does not say the denominator: {s['Note']}")
    if left and f"{left} {noun.lower()} in LSOAs with no {label} figure" not in s["Note"]:
        bad.append(f"{title}: the note does not say {left} are left out: {s['Note']}")
    if name == "deliberate_fires" and not left:
        bad.append("fires: the LSOA without households has no fires: the test tests nothing")
# residents stay the default: A&E's rate is per residents
if summary["Assault attendances at A&E"]["Unit"] != "per 1,000 residents":
    bad.append("A&E: not per residents")
for b in bad:
    print("FAIL: denominators:", b)
sys.exit(1 if bad else 0)
PY
# bands of a population input with two years: the period's rate per mid-2018's
# children, the comparison's per mid-2017's (each LSOA's bands 10 and 5 fewer)
/usr/bin/python3 - "$d/population-milton-keynes.csv" "$tmp/pop-years.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
with open(sys.argv[2], "w", newline="") as f:
    w = csv.DictWriter(f, ["Year"] + list(rows[0]))
    w.writeheader()
    for r in rows:
        w.writerow({"Year": 2018, **r})
        w.writerow({"Year": 2017, **r, "F0 to 15": int(r["F0 to 15"]) - 10,
                    "M0 to 15": int(r["M0 to 15"]) - 5, "Total": int(r["Total"]) - 15})
PY
# (0-15 spelt as the spec does: 0 to 15)
sed -e "s|^output = out5|output = out9|" -e "s|$d/population-milton-keynes.csv|$tmp/pop-years.csv|" \
    -e "s|^denominator = 0 to 15|denominator = 0-15|" "$tmp/d.ini" > "$tmp/y.ini"
"$csa" run "$tmp/y.ini" --quiet 2> "$tmp/stderr-y" || { echo "FAIL: years run"; cat "$tmp/stderr-y"; fail=1; }
/usr/bin/python3 - "$d" "$tmp/pop-years.csv" "$tmp/out9/summary.csv" <<'PY' || fail=1
import csv, sys
d, pop, summary = sys.argv[1:4]
mk = {r["LSOA code (2011)"] for r in csv.DictReader(open(f"{d}/imd2019-milton-keynes.csv",
      encoding="utf-8-sig")) if r["Local Authority District code (2019)"] == "E06000042"}
young = {2017: 0, 2018: 0}
for r in csv.DictReader(open(pop)):
    young[int(r["Year"])] += int(r["F0 to 15"]) + int(r["M0 to 15"])
now = before = 0
for r in csv.DictReader(open(f"{d}/partners/council-asb-SYNTHETIC.csv")):
    if r["LSOA code"] in mk:
        now += r["date"][:7] in ("2018-10", "2018-11", "2018-12")
        before += r["date"][:7] in ("2017-10", "2017-11", "2017-12")
s = {r["Indicator"]: r for r in csv.DictReader(open(summary))}["ASB reported to the council"]
bad = []
for col, want in (("Denominator", young[2018]), ("Count now", now), ("Count before", before)):
    if int(s[col]) != want:
        bad.append(f"{col} {s[col]}, want {want}")
for col, want in (("Value now", now / young[2018] * 1000), ("Value before", before / young[2017] * 1000)):
    if abs(float(s[col]) - want) > 0.5e-4:
        bad.append(f"{col} {s[col]}, want {want:.6f}")
if "Rates per children aged 0 to 15 of mid-2018 (period) and mid-2017 (comparison)" not in s["Note"]:
    bad.append(f"note: {s['Note']}")
for b in bad:
    print("FAIL: band denominators by year:", b)
sys.exit(1 if bad else 0)
PY
# a denominator input left out by --allow-invalid: its indicator is not
# computed, said in its note; the others are
{ cat "$tmp/households.csv"; echo "E01099999,-5"; } > "$tmp/households-bad.csv"
sed -e "s|^output = out5|output = out8|" -e "s|$tmp/households.csv|$tmp/households-bad.csv|" \
    "$tmp/d.ini" > "$tmp/hb.ini"
"$csa" run "$tmp/hb.ini" --quiet 2> /dev/null && { echo "FAIL: a bad households file ran"; fail=1; }
"$csa" run "$tmp/hb.ini" --quiet --allow-invalid households 2> /dev/null ||
    { echo "FAIL: --allow-invalid households did not run"; fail=1; }
/usr/bin/python3 - "$tmp/out8/summary.csv" <<'PY' || fail=1
import csv, sys
s = {r["Indicator"]: r for r in csv.DictReader(open(sys.argv[1]))}
bad = []
if not s["Deliberate fires"]["Note"].startswith("Not computed: input households, its denominator, "
                                                "was left out (--allow-invalid)"):
    bad.append(f"fires: {s['Deliberate fires']['Note']}")
if s["Deliberate fires"]["Value"] or not s["ASB reported to the council"]["Value"]:
    bad.append("fires computed, or council ASB not")
for b in bad:
    print("FAIL: denominator left out:", b)
sys.exit(1 if bad else 0)
PY
# a denominator that is no band or input stops the run, naming the section
for v in "10 to 17|denominator: '10 to 17' is neither residents, input NAME nor a band of the population spec" \
         "input nope|denominator 'input nope': no input 'nope'" \
         "input council_asb|denominator 'input council_asb': input council_asb has spec partner-incidents"; do
    sed "s/^denominator = input households/denominator = ${v%%|*}/" "$tmp/d.ini" > "$tmp/e.ini"
    line=$(grep -n "^denominator = ${v%%|*}" "$tmp/e.ini" | cut -d: -f1)
    "$csa" run "$tmp/e.ini" --quiet 2> "$tmp/stderr-e" && { echo "FAIL: denominator ${v%%|*} ran"; fail=1; }
    grep -qF "e.ini:$line: [indicator.deliberate_fires] ${v#*|}" "$tmp/stderr-e" ||
        { echo "FAIL: denominator ${v%%|*}: no message"; cat "$tmp/stderr-e"; fail=1; }
done

# maps: council ASB with coordinates (the police sample's ASB map points in
# the period, and 3 placed in London with an LSOA of the area) gets the LSOA
# rate map and the hotspot map, the points outside the boundary counted and
# left out; as personal data it gets no hotspot map, and its suppressed
# LSOAs are left unshaded with the legend saying so
/usr/bin/python3 - "$d" "$tmp/asb-points.csv" <<'PY'
import csv, glob, sys
d, out = sys.argv[1:3]
mk = {r["LSOA code (2011)"] for r in csv.DictReader(open(f"{d}/imd2019-milton-keynes.csv",
      encoding="utf-8-sig")) if r["Local Authority District code (2019)"] == "E06000042"}
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["incident id", "date", "time", "LSOA code", "longitude", "latitude", "category"])
    n = 0
    for path in sorted(glob.glob(f"{d}/police/*.csv")):
        for r in csv.DictReader(open(path)):
            if r["Crime type"] == "Anti-social behaviour" and r["LSOA code"] in mk and r["Longitude"]:
                n += 1
                w.writerow([f"P{n}", f"{r['Month']}-{n % 28 + 1:02d}", "", r["LSOA code"],
                            r["Longitude"], r["Latitude"], "asb"])
    for k in range(3):
        w.writerow([f"L{k}", "2018-11-05", "", "E01016710", "-0.1278", f"{51.5074 + k / 1000}", "asb"])
PY
config "$d/partners/ae-assaults-SYNTHETIC.csv" |
    sed -e "s|^output = out|output = out6|" -e 's/^lsoa_lookup = lookup$/&\nboundaries = shapes/' \
        -e "s|^files = .*council-asb-SYNTHETIC.csv|files = $tmp/asb-points.csv|" > "$tmp/p.ini"
printf '[input.shapes]\nspec = boundaries\nfiles = %s\n' "$d/lsoa2011-milton-keynes.geojson" >> "$tmp/p.ini"
sed -e "s|^output = out6|output = out7|" -e "s|^files = $tmp/asb-points.csv|&\npersonal = yes|" \
    "$tmp/p.ini" > "$tmp/q.ini"
for ini in p q; do
    "$csa" run "$tmp/$ini.ini" --quiet 2> "$tmp/stderr-$ini" ||
        { echo "FAIL: maps run $ini"; cat "$tmp/stderr-$ini"; fail=1; }
done
/usr/bin/python3 - "$d" "$tmp/asb-points.csv" "$tmp/out6" "$tmp/out7" <<'PY' || fail=1
import csv, json, os, subprocess, sys
d, points, out, out_p = sys.argv[1:5]
bad = []
def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))
# the area's outline: is a point in any LSOA's polygon (ray casting)
polys = []
for f in json.load(open(f"{d}/lsoa2011-milton-keynes.geojson"))["features"]:
    g = f["geometry"]
    for poly in (g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]):
        polys.append(poly)
def in_ring(x, y, ring):
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside
def inside(x, y):
    return any(in_ring(x, y, p[0]) and not any(in_ring(x, y, h) for h in p[1:]) for p in polys)
period = ("2018-10", "2018-11", "2018-12")
by_lsoa, outside = {}, 0
for r in rows(points):
    if r["date"][:7] not in period:
        continue
    by_lsoa[r["LSOA code"]] = by_lsoa.get(r["LSOA code"], 0) + 1
    outside += not inside(float(r["longitude"]), float(r["latitude"]))
for f in ("council_asb-map.svg", "council_asb-hotspot.svg", "council_asb-hotspot-grid.csv"):
    if not os.path.exists(f"{out}/{f}"):
        bad.append(f"no {f}")
for r in rows(f"{out}/council_asb-map-classes-by-lsoa.csv"):
    if int(r["Incidents"]) != by_lsoa.get(r["LSOA code"], 0):
        bad.append(f"map classes {r['LSOA code']}: {r['Incidents']}, want {by_lsoa.get(r['LSOA code'], 0)}")
note = {r["Indicator"]: r for r in rows(f"{out}/summary.csv")}["ASB reported to the council"]["Note"]
want = (f"The hotspot map leaves out {outside} incidents whose map point (coordinates) is "
        "outside the area's boundary and 0 without one")
if outside < 3 or want not in note:
    bad.append(f"note lacks: {want}: {note}")
# personal: no hotspot, suppressed LSOAs unshaded and said in the legend
if any(f.startswith("council_asb-hotspot") for f in os.listdir(out_p)):
    bad.append("personal: a hotspot map")
classes = rows(f"{out_p}/council_asb-map-classes-by-lsoa.csv")
hidden = [r for r in classes if r["Incidents"] == ""]
for r in classes:
    n = by_lsoa.get(r["LSOA code"], 0)
    if r["Incidents"] != "" and (int(r["Incidents"]) != n or 1 <= n < 5):
        bad.append(f"personal map classes {r['LSOA code']}: {r['Incidents']} (recount {n})")
    if r["Incidents"] == "" and (r["Class"] != "" or r[[k for k in r if k.startswith("Rate")][0]] != ""):
        bad.append(f"personal map classes {r['LSOA code']}: a suppressed LSOA has a class or rate")
small = sum(1 <= by_lsoa.get(r["LSOA code"], 0) < 5 for r in classes)
if not small or len(hidden) < small:
    bad.append(f"personal: {len(hidden)} LSOAs hidden, {small} small")
pdf = " ".join(subprocess.run(["pdftotext", f"{out_p}/assessment-pack.pdf", "-"], capture_output=True,
                              text=True, check=True).stdout.split())
if f"Not shaded: {len(hidden)} LSOAs suppressed" not in pdf:
    bad.append("personal: the map's legend does not say how many LSOAs are suppressed")
if "Their maps have no hotspot map (its points could identify people)" not in pdf:
    bad.append("personal: the method notes do not say why there is no hotspot map")
for b in bad:
    print("FAIL: maps:", b)
sys.exit(1 if bad else 0)
PY

# an A&E file with 3 incidents in the period: no figure, table or chart at all
{ echo "incident id,date,time,LSOA code,category,venue,weapon"
  for i in 1 2 3; do echo "ED-N$i,2018-11-0$i,23:00,E01016735,assault,street,"; done
  for i in 1 2 3 4 5 6; do echo "ED-O$i,2017-11-0$i,23:00,E01016735,assault,street,"; done
} > "$tmp/ae-few.csv"
config "$tmp/ae-few.csv" | sed "s|^output = out|output = out4|" > "$tmp/f.ini"
"$csa" run "$tmp/f.ini" --quiet 2> /dev/null || { echo "FAIL: few A&E run"; fail=1; }
/usr/bin/python3 - "$tmp/out4" <<'PY' || fail=1
import csv, os, sys
out = sys.argv[1]
r = {r["Indicator"]: r for r in csv.DictReader(open(f"{out}/summary.csv"))}["Assault attendances at A&E"]
bad = []
if any(r[k] for k in ("Count", "Value", "Lower 95% CI", "Upper 95% CI", "Count now", "Count before")):
    bad.append(f"figures shown: {r}")
if "Suppressed (personal data): fewer than 5 incidents in the area in the period" not in r["Note"]:
    bad.append(f"note: {r['Note']}")
if [f for f in os.listdir(out) if f.startswith("ae_assaults-")]:
    bad.append("tables or charts of a suppressed headline")
for b in bad:
    print("FAIL: few A&E:", b)
sys.exit(1 if bad else 0)
PY
# 6 now and 3 a year earlier: suppressed as well (the change and the month
# charts would give the 3 away), and said to be for the comparison
# period's few, not the period's
{ echo "incident id,date,time,LSOA code,category,venue,weapon"
  for i in 1 2 3 4 5 6; do echo "ED-N$i,2018-11-0$i,23:00,E01016735,assault,street,"; done
  for i in 1 2 3; do echo "ED-O$i,2017-11-0$i,23:00,E01016735,assault,street,"; done
} > "$tmp/ae-few-before.csv"
config "$tmp/ae-few-before.csv" | sed "s|^output = out|output = out5|" > "$tmp/f5.ini"
"$csa" run "$tmp/f5.ini" --quiet 2> /dev/null || { echo "FAIL: few A&E before run"; fail=1; }
grep -q '^Assault attendances at A&E,.*"Suppressed (personal data): fewer than 5 incidents in the area in the comparison period, Oct 2017 to Dec 2017, which its change and month charts would give away' \
    "$tmp/out5/summary.csv" || { echo "FAIL: few A&E before: $(grep '^Assault' "$tmp/out5/summary.csv")"; fail=1; }
pdftotext "$tmp/out5/assessment-pack.pdf" - | tr '\n' ' ' | tr -s ' ' |
    grep -qF "(suppressed: fewer than 5 incidents in the comparison period, Oct 2017 to Dec 2017," ||
    { echo "FAIL: few A&E before: the reading gives the wrong period's count as the reason"; fail=1; }

[ $fail = 0 ] && echo "partner: ok"
exit $fail
