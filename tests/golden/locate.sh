#!/bin/bash
# Partner incidents placed by their coordinates (issue 17: "location as
# LSOA code or coordinates"): a council extract whose rows have a longitude
# and latitude, or an easting and northing, and no LSOA code is counted in
# the LSOAs its points fall in,
# found here independently (even-odd rule on the boundary file's own
# longitudes and latitudes, in Python) and compared LSOA by LSOA; points
# outside the area are counted as outside and left out; rows with neither
# stay without location. Without a boundaries input the same extract
# stops the run with what to do, where it used to print a rate of 0.
set -eu
csa=$(realpath "$1") src=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
FAIL() { echo "FAIL: $*"; fail=1; }
# stops CASE INI OUT PATTERN: csa run on INI stops, its stderr matches
# PATTERN (grep), and nothing is written to OUT
stops() {
    if "$csa" run "$2" --out "$3" 2> "$tmp/err"; then
        FAIL "$1: the run went on"
    fi
    grep -q "$4" "$tmp/err" || { cat "$tmp/err"; FAIL "$1: message"; }
    [ ! -e "$3" ] || FAIL "$1: output written"
}
. "$src/tests/golden/sample.sh"

cp -r "$src/data-samples" "$tmp/data"
sample_small "$src/data-samples/assessment.ini" > "$tmp/data/assessment.ini"
cat >> "$tmp/data/assessment.ini" <<'INI'

[input.council_asb]
spec = partner-incidents
files = partners/points.csv

[indicator.council_asb]
title = Anti-social behaviour reported to the council
theme = Partners
input = council_asb
harm = 5
INI
# the extract: police.uk's ASB points of the real months with their LSOA
# codes taken away, every third as British National Grid easting and
# northing (gdaltransform) instead of longitude and latitude; 60 rows that
# keep a code and no point, 5 points in Bedford (outside the area, 2 of
# them as easting and northing) and 4 rows with neither
/usr/bin/python3 - "$tmp/data" <<'PY'
import csv, glob, subprocess, sys
d = sys.argv[1]
rows = []
for f in sorted(glob.glob(d + "/police/*.csv")):
    for r in csv.DictReader(open(f)):
        if r["Crime type"] == "Anti-social behaviour" and r["Longitude"]:
            rows.append(r)
rows += [{"Month": "2018-11", "Longitude": "-0.4664", "Latitude": "52.1359"}] * 5
grid = subprocess.run(["gdaltransform", "-s_srs", "EPSG:4326", "-t_srs", "EPSG:27700",
                       "-output_xy"], check=True, capture_output=True, text=True,
                      input="".join(f"{r['Longitude']} {r['Latitude']}\n" for r in rows)).stdout.split("\n")
with open(d + "/partners/points.csv", "w", newline="") as f, \
        open(d + "/points-truth.csv", "w", newline="") as t:
    w, truth = csv.writer(f), csv.writer(t)
    w.writerow(["incident id", "date", "time", "LSOA code", "longitude", "latitude", "easting",
                "northing", "category"])
    for i, r in enumerate(rows):
        day = r["Month"] + "-%02d" % (1 + i % 28)
        e, n = (float(v) for v in grid[i].split())
        if i < 60:
            w.writerow([f"A{i}", day, "21:00", r["LSOA code"], "", "", "", "", "asb"])
        elif i % 3:
            w.writerow([f"A{i}", day, "21:00", "", r["Longitude"], r["Latitude"], "", "", "asb"])
        else:
            w.writerow([f"A{i}", day, "21:00", "", "", "", f"{e:.3f}", f"{n:.3f}", "asb"])
        truth.writerow([f"A{i}", r["Longitude"], r["Latitude"]])
    for i in range(4):
        w.writerow([f"C{i}", "2018-12-0%d" % (i + 1), "", "", "", "", "", "", "asb"])
PY

"$csa" run "$tmp/data/assessment.ini" --out "$tmp/out" 2> "$tmp/err" || { cat "$tmp/err"; FAIL "run"; }
grep -q "placed .* incidents of \[input.council_asb\] in LSOAs by their coordinates (5 outside the area)" \
    "$tmp/err" || { cat "$tmp/err"; FAIL "stage line"; }
/usr/bin/python3 - "$tmp/data" "$tmp/out" <<'PY' || fail=1
import csv, json, sys
from collections import Counter
d, out = sys.argv[1:]
shapes = []
for f in json.load(open(d + "/lsoa2011-milton-keynes.geojson"))["features"]:
    g = f["geometry"]
    polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
    shapes.append((f["properties"]["LSOA11CD"], [ring for p in polys for ring in p]))
def inside(rings, x, y):
    c = False
    for ring in rings:
        for (xa, ya), (xb, yb) in zip(ring, ring[1:]):
            if (ya > y) != (yb > y) and x < xa + (y - ya) / (yb - ya) * (xb - xa):
                c = not c
    return c
area = {f["properties"]["LSOA11CD"] for f in json.load(open(d + "/lsoa2011-milton-keynes.geojson"))["features"]}
want, outside, none, points = Counter(), 0, 0, 0
# every point by its longitude and latitude, whichever the extract gives
truth = {row[0]: row[1:] for row in csv.reader(open(d + "/points-truth.csv"))}
for r in csv.DictReader(open(d + "/partners/points.csv")):
    if r["LSOA code"]:
        want[r["LSOA code"]] += 1
    elif r["longitude"] or r["easting"]:
        x, y = (float(v) for v in truth[r["incident id"]])
        hit = [code for code, rings in shapes if inside(rings, x, y)]
        if len(hit) > 1:
            sys.exit(f"point {x} {y} in {hit}: on an edge, choose another")
        if hit:
            want[hit[0]] += 1
            points += 1
        else:
            outside += 1
    else:
        none += 1
got = {r["LSOA code"]: int(r["Incidents"].replace(",", ""))
       for r in csv.DictReader(open(out + "/council_asb-by-lsoa.csv"))}
bad = 0
for code in sorted(set(want) | set(got)):
    if want[code] != got.get(code, 0):
        print(f"FAIL: {code}: {got.get(code, 0)} incidents, want {want[code]}")
        bad = 1
row = next(r for r in csv.DictReader(open(out + "/summary.csv"))
           if r["Indicator"].startswith("Anti-social behaviour reported"))
count = sum(want.values())
if set(want) - area:
    sys.exit(f"codes outside the area: {set(want) - area}")
checks = {"Count": count, "Outside area": outside, "No location": none}
for k, v in checks.items():
    if int(float(row[k].replace(",", ""))) != v:
        print(f"FAIL: summary {k} {row[k]}, want {v}")
        bad = 1
total = int(row["Denominator"].replace(",", ""))  # the residents, not under test here
rate = 1000 * count / total
if f"{rate:.4f}" != row["Value"]:
    print(f"FAIL: rate {row['Value']}, want {rate:.4f} ({count} / {total})")
    bad = 1
if "placed in LSOAs by their coordinates (longitude and latitude, or easting and northing)" not in row["Note"]:
    print("FAIL: note: " + row["Note"])
    bad = 1
# the hotspot surface holds every placed point once (the rows with an LSOA
# code and no point are on no map)
grid = sum(float(r["Incidents in the cell"])
           for r in csv.DictReader(open(out + "/council_asb-hotspot-grid.csv")))
if abs(grid - points) > 1e-3:
    print(f"FAIL: hotspot grid holds {grid:.4f} incidents, want the {points} placed points")
    bad = 1
print(f"{count} incidents in {len(want)} LSOAs ({points} by their points), "
      f"{outside} outside, {none} without location: rate {rate:.4f}")
sys.exit(bad)
PY

# compared with Milton Keynes' own LSOAs (comparator_areas): the points are
# placed in the area's shapes only, so no comparator is made from LSOA codes
# that leave them out (the area would read worse than itself)
sed -e '/^comparator_value = /d' -e 's/^comparator = England$/comparator = Milton Keynes\ncomparator_areas = E06000042/' \
    "$tmp/data/assessment.ini" > "$tmp/data/areas.ini"
"$csa" run "$tmp/data/areas.ini" --out "$tmp/areas" --quiet 2> /dev/null || FAIL "comparator areas run"
/usr/bin/python3 - "$tmp/areas/summary.csv" <<'PY' || fail=1
import csv, sys
rows = {r["Indicator"]: r for r in csv.DictReader(open(sys.argv[1]))}
asb = rows["Anti-social behaviour reported to the council"]
if asb["Comparator value"] or "Not compared: rows of input council_asb" not in asb["Note"]:
    sys.exit(f"FAIL: council ASB compared with its own LSOAs' codes: {asb['Comparator value']!r}, {asb['Note']!r}")
if not rows["Burglary"]["Comparator value"]:
    sys.exit("FAIL: burglary not compared with Milton Keynes")
PY

# longitude and latitude swapped (every point then falls far outside): the
# run stops and says so, rather than count every incident outside the area
/usr/bin/python3 - "$tmp/data/partners/points.csv" "$tmp/data/partners/swapped.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
with open(sys.argv[2], "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0]))
    w.writeheader()
    for r in rows:
        if r["longitude"]:
            r["longitude"], r["latitude"] = r["latitude"], r["longitude"]
        r["LSOA code"], r["easting"], r["northing"] = "", "", ""
        w.writerow(r)
PY
sed 's#partners/points.csv#partners/swapped.csv#' "$tmp/data/assessment.ini" > "$tmp/data/swapped.ini"
stops "swapped coordinates" "$tmp/data/swapped.ini" "$tmp/swapped" \
    "\[input.council_asb\]: none of the [0-9]* rows it places by their coordinates falls inside Milton Keynes's LSOA boundaries (the first has longitude 5[12]\.[0-9]* and latitude -0\.[0-9]*): are they another area's, or are the two columns swapped?"

# boundaries the police crimes' points show wrong, made from the sample's:
# two LSOAs' codes swapped (the police maps would only be turned off, but
# the council's rows would be placed in the wrong LSOAs, so the run stops,
# naming the input, the count and why, and writes nothing); and every shape
# moved about 140 m east (the police maps carry the caveat, and so does
# the council's indicator, whose rows are placed in those shapes)
/usr/bin/python3 - "$tmp/data" <<'PY'
import copy, csv, glob, json, sys
d = sys.argv[1]
g = json.load(open(f"{d}/lsoa2011-milton-keynes.geojson"))
n = {}
for f in glob.glob(f"{d}/police/*.csv"):
    for r in csv.DictReader(open(f)):
        n[r["LSOA code"]] = n.get(r["LSOA code"], 0) + 1
swapped = copy.deepcopy(g)
a, b = [i for i, f in enumerate(g["features"]) if n.get(f["properties"]["LSOA11CD"], 0) >= 20][:2]
fa, fb = swapped["features"][a]["properties"], swapped["features"][b]["properties"]
fa["LSOA11CD"], fb["LSOA11CD"] = fb["LSOA11CD"], fa["LSOA11CD"]
json.dump(swapped, open(f"{d}/swapped-codes.geojson", "w"))
def move(c):
    return [c[0] + 0.002, c[1]] if isinstance(c[0], float) else [move(x) for x in c]
for f in g["features"]:
    f["geometry"]["coordinates"] = move(f["geometry"]["coordinates"])
json.dump(g, open(f"{d}/moved.geojson", "w"))
PY
sed 's#lsoa2011-milton-keynes.geojson#swapped-codes.geojson#' "$tmp/data/assessment.ini" > "$tmp/data/codes.ini"
stops "swapped codes" "$tmp/data/codes.ini" "$tmp/codes" \
    "\[input.council_asb\] places [0-9]* rows by their coordinates in the LSOA shapes of \[input.lsoa_shapes\], which the police crimes' map points show cannot be trusted (the shapes of .* look swapped: .*): correct the boundary file, or give these rows their LSOA codes"

sed 's#lsoa2011-milton-keynes.geojson#moved.geojson#' "$tmp/data/assessment.ini" > "$tmp/data/moved.ini"
"$csa" run "$tmp/data/moved.ini" --out "$tmp/moved" 2> "$tmp/err" || { cat "$tmp/err"; FAIL "moved shapes: run"; }
grep -q '^Anti-social behaviour reported to the council,.*Its rows placed by their coordinates are placed in those shapes too, so their LSOA, deprivation and area figures are only as good as the shapes: the maps'"'"' LSOA shapes hold [0-9.]*% of the crimes' \
    "$tmp/moved/summary.csv" || FAIL "moved shapes: the council's indicator lacks the caveat"
# the caveat once on it (its map added it again after the placing note)
[ "$(grep '^Anti-social behaviour reported to the council,' "$tmp/moved/summary.csv" |
     grep -o "LSOA shapes hold [0-9.]*% of the crimes" | wc -l)" = 1 ] ||
    FAIL "moved shapes: the council's indicator has the caveat more than once"

# no boundaries: the run stops, says why and what to do, writes nothing
sed -i '/^boundaries = /d' "$tmp/data/assessment.ini"
stops "no boundaries" "$tmp/data/assessment.ini" "$tmp/none" \
    "\[indicator.council_asb\]: .* rows of October 2018 to December 2018 that count for it have no LSOA code.*give the area's LSOA boundaries"
exit $fail
