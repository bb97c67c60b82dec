#!/bin/bash
# Maps (issue 16): on the Milton Keynes samples' real months, the
# choropleth draws one even-odd filled path per LSOA of the area, each in
# the colour of its rate's class as recomputed here from the by-LSOA CSV;
# the hotspot grid adds up to the crimes located in the area, recounted
# here from the police files and the boundary file (points in polygons,
# in longitude and latitude); and boundary files with a missing LSOA, an
# extra one and one in 2021 codes are named by csa validate and stop csa
# run. The MSOA map has one shape per MSOA, in the colour of its rate's
# class recomputed from the by-LSOA CSV and the lookup. The boundaries
# converted with ogr2ogr (GeoPackage, Shapefile, Shapefile in EPSG:27700,
# GeoJSON in grid metres without a crs) give the GeoJSON's maps; a
# Shapefile without .prj, a ring that crosses itself and degrees said to be
# grid metres stop the run with a clear message.
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
cfg="$tmp/data/assessment.ini"
grep -q '^boundaries = lsoa_shapes' "$cfg" || FAIL "the sample config draws no maps"
"$csa" run "$cfg" --out "$tmp/out" > "$tmp/run.log" 2>&1 || { cat "$tmp/run.log"; FAIL "csa run"; }
for f in violence-map.svg violence-map.png violence-hotspot.svg violence-hotspot.png \
         violence-msoa-map.svg violence-msoa-map.png violence-map-classes-by-msoa.csv \
         deprivation-map.svg deprivation-map.png violence-hotspot-grid.csv; do
    [ -s "$tmp/out/$f" ] || FAIL "no $f"
done

cat > "$tmp/check.py" <<'PY'
import csv, json, re, sys
data, out = sys.argv[1], sys.argv[2]
bad = []
LA = "E06000042"
imd = {r["LSOA code (2011)"]: int(r["Index of Multiple Deprivation (IMD) Decile"])
       for r in csv.DictReader(open(f"{data}/imd2019-milton-keynes.csv", encoding="utf-8-sig"))
       if r["Local Authority District code (2019)"] == LA}
VIRIDIS = [0x440154, 0x482878, 0x3e4989, 0x31688e, 0x26828e,
           0x1f9e89, 0x35b779, 0x6ece58, 0xb5de2b, 0xfde725]
NO_VALUE = 0xf2f2f2
def colour(k, c):  # the documented ramp: viridis, light (class 0) to dark
    return NO_VALUE if c < 0 else VIRIDIS[9 - int(9 * c / (k - 1) + 0.5)]

def fills(svg):
    """The even-odd filled paths' colours, in document order."""
    text = open(svg).read()
    out = []
    for m in re.finditer(r'<path [^>]*fill-rule:evenodd;fill:rgb\(([\d.]+)%,([\d.]+)%,([\d.]+)%\)', text):
        r, g, b = (round(float(v) * 255 / 100) for v in m.groups())
        out.append(r << 16 | g << 8 | b)
    return out

# the rate map: classes recomputed from the by-LSOA table
rates = {}
for r in csv.DictReader(open(f"{out}/violence-by-lsoa.csv")):
    rates[r["LSOA code"]] = int(r["Crimes"]) / float(r["Population"]) * 1000
order = [r["LSOA code"] for r in csv.DictReader(open(f"{out}/violence-map-classes-by-lsoa.csv"))]
if sorted(order) != sorted(imd):
    bad.append(f"the map's LSOAs are not the area's 152: {len(order)}")
values = sorted(rates[c] for c in order if c in rates)
def klass(v):
    below = sum(1 for x in values if x < v)
    return 5 * below // len(values)
want = [colour(5, klass(rates[c]) if c in rates else -1) for c in order]
got = fills(f"{out}/violence-map.svg")
if len(got) != len(order):
    bad.append(f"violence-map.svg: {len(got)} shapes drawn, not one per LSOA ({len(order)})")
for i, (c, w, g) in enumerate(zip(order, want, got)):
    if w != g:
        bad.append(f"violence-map.svg: {c} (shape {i + 1}) drawn #{g:06x}, its class is #{w:06x}")
        break
# the MSOA map: one shape per MSOA of the lookup, its class recomputed
# from the by-LSOA CSV's crimes and populations summed over the lookup's
# LSOAs; each MSOA's outline spans exactly its LSOAs' shapes on the LSOA
# map (same extent, same scale: their bounding boxes agree within a
# pixel), with fewer rings than they have (the union dissolved them)
msoa_of = {r["LSOA11CD"]: r["MSOA11NM"]
           for r in csv.DictReader(open(f"{data}/msoa-lookup-milton-keynes.csv", encoding="utf-8-sig"))}
crimes, people = {}, {}
for r in csv.DictReader(open(f"{out}/violence-by-lsoa.csv")):
    m = msoa_of[r["LSOA code"]]
    crimes[m] = crimes.get(m, 0) + int(r["Crimes"])
    people[m] = people.get(m, 0) + int(r["Population"])
mrate = {m: crimes[m] / people[m] * 1000 for m in crimes}
morder = [r["MSOA"] for r in csv.DictReader(open(f"{out}/violence-map-classes-by-msoa.csv"))]
if sorted(morder) != sorted(set(msoa_of[c] for c in imd)):
    bad.append(f"the MSOA map's areas are not the lookup's {len(set(msoa_of.values()))}: {len(morder)}")
for r in csv.DictReader(open(f"{out}/violence-map-classes-by-msoa.csv")):
    if abs(float(r["Rate per 1,000 residents"]) - mrate[r["MSOA"]]) > 5e-5:
        bad.append(f"{r['MSOA']}: rate {r['Rate per 1,000 residents']}, recounted {mrate[r['MSOA']]:.4f}")
mvalues = sorted(mrate.values())
mwant = [colour(5, 5 * sum(1 for x in mvalues if x < mrate[m]) // len(mvalues)) for m in morder]
mgot = fills(f"{out}/violence-msoa-map.svg")
if len(mgot) != len(morder):
    bad.append(f"violence-msoa-map.svg: {len(mgot)} shapes drawn, not one per MSOA ({len(morder)})")
for i, (m, w, g) in enumerate(zip(morder, mwant, mgot)):
    if w != g:
        bad.append(f"violence-msoa-map.svg: {m} (shape {i + 1}) drawn #{g:06x}, its class is #{w:06x}")
        break
def paths(svg):
    """Each even-odd filled path's points and its rings (closes)."""
    text = open(svg).read()
    out = []
    for d in re.findall(r'<path [^>]*fill-rule:evenodd;fill:rgb[^>]*d="([^"]*)"', text):
        v = [float(x) for x in re.findall(r"-?[\d.]+", d)]
        out.append((v[0::2], v[1::2], d.count("Z")))
    return out
lp, mp = paths(f"{out}/violence-map.svg"), paths(f"{out}/violence-msoa-map.svg")
def extent(ps):
    return (min(min(x) for x, y, z in ps), max(max(x) for x, y, z in ps),
            min(min(y) for x, y, z in ps), max(max(y) for x, y, z in ps))
def scaled(box, whole):  # in the map's own extent, 0 to 1 (the legends differ)
    x0, x1, y0, y1 = whole
    return ((box[0] - x0) / (x1 - x0), (box[1] - x0) / (x1 - x0),
            (box[2] - y0) / (y1 - y0), (box[3] - y0) / (y1 - y0))
lwhole, mwhole = extent(lp), extent(mp)
pixel = 1.5 / min(mwhole[1] - mwhole[0], mwhole[3] - mwhole[2])
for i, m in enumerate(morder[:len(mp)]):
    mine = [lp[k] for k, c in enumerate(order) if msoa_of[c] == m]
    box = scaled(extent(mine), lwhole)
    x, y, rings = mp[i]
    span = scaled((min(x), max(x), min(y), max(y)), mwhole)
    if max(abs(a - b) for a, b in zip(box, span)) > pixel:
        bad.append(f"violence-msoa-map.svg: {m}'s outline spans {span}, its LSOAs {box}")
        break
    if len(mine) > 1 and rings >= sum(z for x_, y_, z in mine):
        bad.append(f"violence-msoa-map.svg: {m} has {rings} rings, its {len(mine)} LSOAs "
                   f"{sum(z for x_, y_, z in mine)}: not dissolved")
        break
# the IMD map: decile d is class 10 - d of ten
dep = fills(f"{out}/deprivation-map.svg")
wantd = [colour(10, 10 - imd[c]) for c in order]
if dep != wantd:
    bad.append(f"deprivation-map.svg: {len(dep)} shapes; first differing colour "
               f"{next((i for i, (a, b) in enumerate(zip(dep, wantd)) if a != b), None)}")

# the hotspot grid adds up to the located crimes inside the area
shapes = json.load(open(f"{data}/lsoa2011-milton-keynes.geojson"))["features"]
rings = []
for f in shapes:
    g = f["geometry"]
    polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
    for p in polys:
        rings.extend(p)
# a ring whose box holds no point is crossed an even number of times
boxes = [(min(p[0] for p in r), max(p[0] for p in r), min(p[1] for p in r),
          max(p[1] for p in r)) for r in rings]
def inside(x, y):
    n = False
    for ring, (x0, x1_, y0, y1_) in zip(rings, boxes):
        if not (x0 <= x <= x1_ and y0 <= y <= y1_):
            continue
        for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) / (y2 - y1) * (x2 - x1):
                n = not n
    return n
import glob
located = outside = 0
for path in glob.glob(f"{data}/police/*.csv"):
    for r in csv.DictReader(open(path, encoding="utf-8-sig")):
        if r["Crime type"] != "Violence and sexual offences" or r["LSOA code"] not in imd:
            continue
        if r["Month"] not in ("2018-10", "2018-11", "2018-12"):
            continue
        if not r["Longitude"]:
            continue
        if inside(float(r["Longitude"]), float(r["Latitude"])):
            located += 1
        else:
            outside += 1
total = sum(float(r["Crimes in the cell"]) for r in csv.DictReader(open(f"{out}/violence-hotspot-grid.csv")))
if abs(total - located) > 1e-3:
    bad.append(f"hotspot grid adds up to {total}, the located crimes are {located}")
for r in csv.DictReader(open(f"{out}/violence-hotspot-grid.csv")):
    e, n = float(r["Easting"]), float(r["Northing"])
    if not (470000 < e < 500000 and 220000 < n < 260000):
        bad.append(f"a hotspot cell at {e}, {n} is not in Milton Keynes on the grid")
        break
# the workbook holds every map as a picture
import glob as g2, zipfile
maps = len(g2.glob(f"{out}/*-map.png")) + len(g2.glob(f"{out}/*-hotspot.png"))
pictures = [n for n in zipfile.ZipFile(f"{out}/assessment.xlsx").namelist() if n.startswith("xl/media/")]
if len(pictures) != maps or maps != 16:
    bad.append(f"the workbook has {len(pictures)} pictures for {maps} maps (16: five indicators' three and the IMD map)")
print(f"maps: {len(got)} LSOA shapes, {len(mgot)} MSOA shapes, grid total {total:.4f} = {located} located "
      f"({outside} outside the boundary)")
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
python3 "$tmp/check.py" "$tmp/data" "$tmp/out" || fail=1

# the same boundaries in the other formats GDAL reads (converted with
# ogr2ogr, gdal-bin): a GeoPackage, a Shapefile (WGS84 .prj), a Shapefile
# in British National Grid, and a GeoJSON in grid metres with no "crs"
# (read as the grid, with a warning): the maps' structure is the GeoJSON
# run's (the same shapes in the same order and colours, outlines within
# half a pixel, the same classes and hotspot cells)
command -v ogr2ogr > /dev/null || FAIL "ogr2ogr (gdal-bin) is needed to convert the boundaries"
geo="$tmp/data/lsoa2011-milton-keynes.geojson"
mkdir -p "$tmp/fmt/shp" "$tmp/fmt/shp27700" "$tmp/fmt/noprj"
ogr2ogr -f GPKG "$tmp/fmt/b.gpkg" "$geo"
ogr2ogr -f "ESRI Shapefile" "$tmp/fmt/shp/b.shp" "$geo"
ogr2ogr -f "ESRI Shapefile" -t_srs EPSG:27700 "$tmp/fmt/shp27700/b.shp" "$geo"
ogr2ogr -f GeoJSON -t_srs EPSG:27700 "$tmp/fmt/bng-crs.geojson" "$geo"
python3 - "$tmp/fmt" <<'PY'
import json, sys
g = json.load(open(f"{sys.argv[1]}/bng-crs.geojson"))
assert "crs" in g and g["features"][0]["geometry"]["coordinates"][0][0][0] > 1000
del g["crs"]
json.dump(g, open(f"{sys.argv[1]}/bng.geojson", "w"))
PY
grep -q '"crs"' "$tmp/fmt/bng.geojson" && FAIL "bng.geojson still has a crs"
# a GeoPackage of two layers, another area's LSOAs first: the area's is read
python3 - "$geo" "$tmp/fmt/other.geojson" <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))
for i, f in enumerate(g["features"]):
    f["properties"]["LSOA11CD"] = "E0102%04d" % i
json.dump(g, open(sys.argv[2], "w"))
PY
ogr2ogr -f GPKG -nln a_other "$tmp/fmt/two.gpkg" "$tmp/fmt/other.geojson"
ogr2ogr -f GPKG -append -nln lsoa "$tmp/fmt/two.gpkg" "$geo"
for f in b.gpkg shp/b.shp shp27700/b.shp bng.geojson two.gpkg; do
    name=${f//\//-}
    sed "s#^files = lsoa2011-milton-keynes.geojson#files = $tmp/fmt/$f#" "$cfg" > "$tmp/data/$name.ini"
    # the last without a source (its file's name is the maps'), with an attribution of its own
    [ "$f" != two.gpkg ] || sed -i -e '/^source = /d' \
        -e "s#^files = $tmp/fmt/two.gpkg#&\nattribution = Boundaries (c) Testshire County Council#" \
        "$tmp/data/$name.ini"
    if ! "$csa" run "$tmp/data/$name.ini" --out "$tmp/out-$name" > "$tmp/run-$name.log" 2>&1; then
        cat "$tmp/run-$name.log"; FAIL "csa run with $f"; continue
    fi
    python3 - "$tmp/out" "$tmp/out-$name" "$f" <<'PY' || fail=1
import csv, re, sys
a, b, f = sys.argv[1:]
bad = []
def paths(svg):
    text = open(svg).read()
    out = []
    for m in re.finditer(r'<path [^>]*fill-rule:evenodd;(fill:rgb\([^)]*\))[^>]*d="([^"]*)"', text):
        v = [float(x) for x in re.findall(r"-?[\d.]+", m.group(2))]
        out.append((m.group(1), min(v[0::2]), max(v[0::2]), min(v[1::2]), max(v[1::2])))
    return out
for svg in ("violence-map.svg", "violence-msoa-map.svg", "deprivation-map.svg",
            "violence-hotspot.svg"):
    pa, pb = paths(f"{a}/{svg}"), paths(f"{b}/{svg}")
    if [p[0] for p in pa] != [p[0] for p in pb]:
        bad.append(f"{svg}: {len(pb)} shapes or their colours differ from the GeoJSON's {len(pa)}")
    elif any(abs(x - y) > 0.5 for p, q in zip(pa, pb) for x, y in zip(p[1:], q[1:])):
        bad.append(f"{svg}: an outline is more than half a pixel from the GeoJSON's")
for table in ("violence-map-classes-by-lsoa.csv", "violence-map-classes-by-msoa.csv",
              "violence-hotspot-grid.csv"):
    ra, rb = open(f"{a}/{table}").read(), open(f"{b}/{table}").read()
    if ra != rb:
        bad.append(f"{table} differs from the GeoJSON run's")
for x in bad:
    print(f"FAIL: {f}: {x}")
print(f"formats: {f}: {len(paths(f'{b}/violence-map.svg'))} LSOA shapes as the GeoJSON's")
sys.exit(1 if bad else 0)
PY
done
# every map's source line names the boundaries' source (the config's, or
# the file's name) and their attribution (the ONS's unless the config says)
text() { pdftotext "$1" - | tr '\n' ' ' | tr -s ' '; }
text "$tmp/out/assessment-pack.pdf" > "$tmp/pack.txt"
text "$tmp/out-two.gpkg/assessment-pack.pdf" > "$tmp/pack-two.txt"
[ "$(grep -o 'LSOA boundaries: ONS Open Geography Portal' "$tmp/pack.txt" | wc -l)" -ge 4 ] ||
    FAIL "the sample's maps do not name the ONS as their boundaries' source"
grep -qF "Contains OS data © Crown copyright and database right; ONS data, Open Government Licence" \
    "$tmp/pack.txt" || FAIL "the sample's maps lack the ONS attribution"
[ "$(grep -o 'LSOA boundaries: two.gpkg' "$tmp/pack-two.txt" | wc -l)" -ge 4 ] ||
    FAIL "maps without a source do not name the boundary file"
! grep -q "ONS Open Geography\|Contains OS data" "$tmp/pack-two.txt" ||
    FAIL "maps of another source credit the ONS"
[ "$(grep -o 'Boundaries (c) Testshire County Council' "$tmp/pack-two.txt" | wc -l)" -ge 4 ] ||
    FAIL "maps lack their boundaries' own attribution"
grep -qF "read the boundaries: 152 LSOA shapes (layer lsoa, of the file's 2)" "$tmp/run-two.gpkg.log" ||
    FAIL "the layer read of two is not named: $(grep boundaries "$tmp/run-two.gpkg.log")"
grep -qF "grid-assumed" "$tmp/out-bng.geojson/findings.csv" ||
    FAIL "the GeoJSON in grid metres without a crs is not said (findings.csv) to be read as the grid"
# a Shapefile without its .prj, and a ring that crosses itself: a clear
# message naming the file (and the feature), the run stops, no maps
cp "$tmp/fmt/shp/b.shp" "$tmp/fmt/shp/b.shx" "$tmp/fmt/shp/b.dbf" "$tmp/fmt/noprj/"
python3 - "$geo" "$tmp/fmt/cross.geojson" <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))
geom = g["features"][9]["geometry"]
ring = geom["coordinates"][0] if geom["type"] == "Polygon" else geom["coordinates"][0][0]
n = len(ring)
ring[n // 3], ring[2 * n // 3] = ring[2 * n // 3], ring[n // 3]  # now it crosses itself
json.dump(g, open(sys.argv[2], "w"))
PY
crossed=$(python3 -c "import json; print(json.load(open('$geo'))['features'][9]['properties']['LSOA11CD'])")
# and longitudes and latitudes said to be grid metres (a crs of EPSG:27700)
python3 - "$geo" "$tmp/fmt/mislabelled.geojson" <<'PY'
import json, sys
g = json.load(open(sys.argv[1]))
g["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}
json.dump(g, open(sys.argv[2], "w"))
PY
# and a zipped Shapefile, which GDAL does not read as it is
python3 -c "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], 'w'); [z.write(sys.argv[2] + e, 'b' + e) for e in ('.shp', '.shx', '.dbf', '.prj')]" "$tmp/fmt/b.zip" "$tmp/fmt/shp/b"
for f in noprj/b.shp cross.geojson mislabelled.geojson b.zip; do
    name=${f//\//-}
    sed "s#^files = lsoa2011-milton-keynes.geojson#files = $tmp/fmt/$f#" "$cfg" > "$tmp/data/$name.ini"
    set +e
    "$csa" run "$tmp/data/$name.ini" --out "$tmp/out-$name" > "$tmp/run-$name.log" 2>&1
    rc=$?
    set -e
    [ $rc = 1 ] || FAIL "csa run with $f exits $rc, not 1"
    [ ! -e "$tmp/out-$name" ] || FAIL "csa run with $f wrote outputs"
    grep -qF "has 1 error: the run stops" "$tmp/run-$name.log" || FAIL "csa run with $f does not stop on its error"
done
grep -qF "[input.lsoa_shapes] $tmp/fmt/noprj/b.shp: the file has no coordinate system (a Shapefile's is in the .prj file of the same name beside it, and there is none): its shapes cannot be put on the map [projection]" "$tmp/run-noprj-b.shp.log" ||
    FAIL "the Shapefile without .prj: $(grep projection "$tmp/run-noprj-b.shp.log")"
grep -qF "[input.lsoa_shapes] $tmp/fmt/mislabelled.geojson: the file says its coordinates are metres of a projected coordinate system (OSGB36 / British National Grid), but every one is within longitude and latitude's range: they are degrees" "$tmp/run-mislabelled.geojson.log" ||
    FAIL "longitudes and latitudes said to be grid metres: $(grep projection "$tmp/run-mislabelled.geojson.log")"
grep -qF "[input.lsoa_shapes] $tmp/fmt/b.zip: not a boundary file GDAL can read as GeoJSON, GeoPackage or Shapefile" "$tmp/run-b.zip.log" &&
    grep -qF "; a zipped Shapefile: unzip it and give the .shp (with its .shx, .dbf and .prj beside it) [unreadable-boundaries]" "$tmp/run-b.zip.log" ||
    FAIL "the zipped Shapefile: $(grep unreadable "$tmp/run-b.zip.log")"
grep -qE "\[input.lsoa_shapes\] $tmp/fmt/cross.geojson:10: the shape of $crossed has an invalid polygon: Self-intersection at or near point -?[0-9.]+ [0-9.]+ \[bad-geometry\]" "$tmp/run-cross.geojson.log" ||
    FAIL "the ring that crosses itself: $(grep bad-geometry "$tmp/run-cross.geojson.log")"

# boundary files that do not match the area: one LSOA left out, one of
# another area added, one recoded to a 2021 code
python3 - "$tmp/data" <<'PY'
import json, sys
d = sys.argv[1]
g = json.load(open(f"{d}/lsoa2011-milton-keynes.geojson"))
f = g["features"]
missing = f[5]["properties"]["LSOA11CD"]
extra = json.loads(json.dumps(f[6])); extra["properties"]["LSOA11CD"] = "E01017648"
recoded = json.loads(json.dumps(f[7])); recoded["properties"]["LSOA11CD"] = "E01034446"
g["features"] = f[:5] + f[6:7] + [recoded] + f[8:] + [extra]
json.dump(g, open(f"{d}/bad.geojson", "w"))
open(f"{d}/missing.txt", "w").write(missing + " " + f[7]["properties"]["LSOA11CD"] + "\n")
PY
read -r missing recoded_from < "$tmp/data/missing.txt"
python3 - "$tmp/data" <<'PY'
import csv, sys
d = sys.argv[1]
w = csv.writer(open(f"{d}/area-lookup.csv", "w", newline=""))
w.writerow(["LSOA11CD", "LAD19CD"])
for r in csv.DictReader(open(f"{d}/imd2019-milton-keynes.csv", encoding="utf-8-sig")):
    w.writerow([r["LSOA code (2011)"], r["Local Authority District code (2019)"]])
PY
set +e
"$csa" validate --spec boundaries --lookup "$tmp/data/area-lookup.csv" --area E06000042 \
    --lsoa-lookup "$tmp/data/lsoa-lookup-milton-keynes.csv" "$tmp/data/bad.geojson" > "$tmp/validate.txt" 2>&1
rc=$?
set -e
[ $rc = 1 ] || FAIL "csa validate of the mismatched boundaries exits $rc, not 1"
n=$(python3 -c "import json; print(len(json.load(open('$tmp/data/bad.geojson'))['features']))")
grep -qF "bad.geojson: $n rows, 0 usable, 3 errors, 1 warning" "$tmp/validate.txt" ||
    FAIL "summary line: $(head -1 "$tmp/validate.txt")"
grep -qE "missing-shape\] LSOA $missing of the area has no shape" "$tmp/validate.txt" ||
    FAIL "missing LSOA $missing not named"
grep -qE "missing-shape\] LSOA $recoded_from of the area has no shape" "$tmp/validate.txt" ||
    FAIL "recoded LSOA $recoded_from not named missing"
grep -qE "bad.geojson:7: error \[other-vintage\] E01034446 is an LSOA code of another vintage" "$tmp/validate.txt" ||
    FAIL "the 2021 code not named with its feature number"
grep -qE "bad.geojson:$n: warning \[outside-area\] E01017648 is not an LSOA of the area" "$tmp/validate.txt" ||
    FAIL "the extra LSOA not named with its feature number"
# csa run names them too and stops, with no maps rather than wrong ones
sed -i 's#^files = lsoa2011-milton-keynes.geojson#files = bad.geojson#' "$cfg"
set +e
"$csa" run "$cfg" --out "$tmp/bad-out" > "$tmp/bad-run.txt" 2>&1
rc=$?
set -e
[ $rc = 1 ] || FAIL "csa run with the mismatched boundaries exits $rc, not 1"
grep -qF "[input.lsoa_shapes] $tmp/data/bad.geojson:7: E01034446 is an LSOA code of another vintage (2021) than the area's [other-vintage]" "$tmp/bad-run.txt" ||
    FAIL "csa run does not name the 2021 code: $(grep other-vintage "$tmp/bad-run.txt")"
grep -qF "has 3 errors: the run stops" "$tmp/bad-run.txt" || FAIL "csa run does not stop on 3 errors"
[ ! -e "$tmp/bad-out" ] || FAIL "a stopped run wrote outputs"

# the hotspot grid's cells lie on the national grid: whole metres
grep -qE '^[0-9]+,[0-9]+,' <(sed -n 2p "$tmp/out/violence-hotspot-grid.csv") ||
    FAIL "the hotspot grid's first cell is not in whole metres: $(sed -n 2p "$tmp/out/violence-hotspot-grid.csv")"
grep -rqE "[^0-9,.]1 crimes" "$tmp/out"/*.csv && FAIL "\"1 crimes\" in $(grep -rlE "[^0-9,.]1 crimes" "$tmp/out"/*.csv)"

# four boundary files made from the sample's, each with what is expected
# of it recounted here from the police files (in longitude and latitude:
# csa counts on the grid, so a point within metres of an edge may differ):
# - shifted: the right codes in the wrong place (moved 0.45 degrees, some
#   30 km, east): the police crimes' map points are not in their own LSOAs'
#   shapes (on the samples' real months 97% are); no hotspot maps, the
#   warning naming how many;
# - overlap: one LSOA's shape scaled three times about its box's centre,
#   over its neighbours: crimes' map points lie in two shapes (on the
#   samples' real months none do); no maps, the warning naming the first
#   pair and the count (within 2%);
# - swapped: two LSOAs' codes swapped (each shape under the other's code):
#   each one's crimes fall in the other's shape; no maps, both named;
# - rotated: three LSOAs' codes moved round: no maps, codes misassigned;
# - moved: every shape moved about 140 m east (0.002 degrees): fewer crimes
#   in their own LSOA's shape than real data has, but more than half: the
#   maps are drawn, with the caveat (its share within a point of the
#   recount) on stderr and on every police indicator that maps
python3 - "$tmp/data" <<'PY' > "$tmp/made-want.txt"
import copy, csv, glob, json, sys
d = sys.argv[1]
g = json.load(open(f"{d}/lsoa2011-milton-keynes.geojson"))
feats = g["features"]
code = lambda f: f["properties"]["LSOA11CD"]
def rings(f):
    geo = f["geometry"]
    return [r for p in ([geo["coordinates"]] if geo["type"] == "Polygon" else geo["coordinates"]) for r in p]
def inside(rs, x, y):
    n = False
    for ring in rs:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) / (y2 - y1) * (x2 - x1):
                n = not n
    return n
def moved(c, f):  # every point of coordinates c through f
    return f(c) if isinstance(c[0], float) else [moved(x, f) for x in c]
def write(name, features):
    json.dump(dict(g, features=features), open(f"{d}/{name}.geojson", "w"))
area = {r["LSOA code (2011)"] for r in csv.DictReader(open(f"{d}/imd2019-milton-keynes.csv", encoding="utf-8-sig"))
        if r["Local Authority District code (2019)"] == "E06000042"}
crimes = [(r["LSOA code"], float(r["Longitude"]), float(r["Latitude"]))
          for p in glob.glob(f"{d}/police/*.csv") for r in csv.DictReader(open(p, encoding="utf-8-sig"))
          if r["LSOA code"] in area and r["Longitude"] and r["Month"] in ("2018-10", "2018-11", "2018-12")]
# shifted
far = copy.deepcopy(feats)
for f in far:
    f["geometry"]["coordinates"] = moved(f["geometry"]["coordinates"], lambda c: [c[0] + 0.45, c[1]])
write("shifted", far)
# overlap
big = copy.deepcopy(feats)
xs, ys = zip(*(p for r in rings(big[40]) for p in r))
cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
big[40]["geometry"]["coordinates"] = moved(big[40]["geometry"]["coordinates"],
                                           lambda c: [cx + 3 * (c[0] - cx), cy + 3 * (c[1] - cy)])
write("overlap", big)
shapes = [rings(f) for f in big]
box = (cx + 3 * (min(xs) - cx), cx + 3 * (max(xs) - cx), cy + 3 * (min(ys) - cy), cy + 3 * (max(ys) - cy))
twice = sum(sum(inside(s, x, y) for s in shapes) >= 2 for _, x, y in crimes
            if box[0] <= x <= box[1] and box[2] <= y <= box[3])
# swapped: the first two features of 20 crimes or more
n = {}
for c, _, _ in crimes:
    n[c] = n.get(c, 0) + 1
a, b, c3 = [i for i, f in enumerate(feats) if n.get(code(f), 0) >= 20][:3]
swapped = copy.deepcopy(feats)
swapped[a]["properties"]["LSOA11CD"], swapped[b]["properties"]["LSOA11CD"] = code(feats[b]), code(feats[a])
write("swapped", swapped)
# rotated: three LSOAs' codes moved round (a's shape under b's code, b's
# under c's, c's under a's)
rotated = copy.deepcopy(feats)
for i, j in ((a, b), (b, c3), (c3, a)):
    rotated[i]["properties"]["LSOA11CD"] = code(feats[j])
write("rotated", rotated)
# moved
east = copy.deepcopy(feats)
for f in east:
    f["geometry"]["coordinates"] = moved(f["geometry"]["coordinates"], lambda c: [c[0] + 0.002, c[1]])
write("moved", east)
shape = {code(f): rings(f) for f in east}
own = sum(inside(shape[c], x, y) for c, x, y in crimes)
print(f"{len(crimes):,}", code(feats[40]), twice, code(feats[a]), code(feats[b]),
      f"{100 * own / len(crimes):.1f}")
PY
read -r with_point scaled twice swap_a swap_b moved_share < "$tmp/made-want.txt"
# the run going on without the maps the shapes cannot give: exit 0, the
# warning, the same figures as with the sample's own shapes, and on every
# indicator that would have mapped (the five police ones) why: with shapes
# that are wrong in themselves (overlapping, codes swapped) no maps at all
# ("No maps: "); with the points elsewhere than their LSOAs' shapes (the
# shapes, or the points, may be wrong: the rates by shape are right) no
# hotspot maps ("No hotspot map: "), the rest drawn
no_maps() { # NAME, what it is, maps (none at all) or hotspots
    sed -i "s#^files = [^ ]*\.geojson\$#files = $1.geojson#" "$cfg"
    "$csa" run "$cfg" --out "$tmp/$1-out" > "$tmp/$1-run.txt" 2>&1 || FAIL "csa run with $2 stopped"
    local drawn=$(ls "$tmp/$1-out" | grep -cE -- '-(map|msoa-map)\.png$' || true)
    [ -z "$(ls "$tmp/$1-out" | grep -E -- '-hotspot\.(png|svg)$')" ] || FAIL "csa run with $2 drew hotspots"
    if [ "$3" = maps ]; then
        [ "$drawn" = 0 ] || FAIL "csa run with $2 drew $drawn maps"
        [ "$(grep -c ',"*No maps: ' "$tmp/$1-out/summary.csv")" = 5 ] ||
            FAIL "csa run with $2: not every mapping indicator says why it has no maps"
    else
        [ "$drawn" = "$(ls "$tmp/out" | grep -cE -- '-(map|msoa-map)\.png$')" ] ||
            FAIL "csa run with $2 drew $drawn rate maps, not the sample's"
        [ "$(grep -c 'No hotspot map: ' "$tmp/$1-out/summary.csv")" = 5 ] ||
            FAIL "csa run with $2: not every police indicator says why it has no hotspot map"
    fi
    cmp -s <(cut -d, -f1-10 "$tmp/out/summary.csv") <(cut -d, -f1-10 "$tmp/$1-out/summary.csv") ||
        FAIL "csa run with $2: the figures changed"
}
no_maps shifted "the shifted boundaries" hotspots
grep -qF "csa: warning: $tmp/data/shifted.geojson: the LSOA shapes of [input.lsoa_shapes] are not where [input.police]'s crimes are: of its $with_point crimes in the area with a map point, 0 (0.0%) fall inside the shape of their own LSOA, where police.uk gives each crime the LSOA its map point is in (on real data some 97% do): the file's coordinates are in another coordinate system than it says, the shapes are another area's, or the crimes' points are not police.uk's; no hotspot maps are drawn" "$tmp/shifted-run.txt" ||
    FAIL "the shifted boundaries ($with_point crimes with a point): $(grep -i 'lsoa shapes' "$tmp/shifted-run.txt")"
no_maps overlap "overlapping shapes" maps
got=$(sed -n "s/.*the LSOA shapes of \[input.lsoa_shapes\] overlap: \([0-9,]*\) of \[input.police\]'s $with_point crimes with a map point lie inside two shapes, [0-9]* of them in $scaled's .*/\1/p" \
      "$tmp/overlap-run.txt" | tr -d ,)
[ -n "$got" ] && [ "$twice" -gt 10 ] && [ $((got * 100)) -ge $((twice * 98)) ] && [ $((got * 100)) -le $((twice * 102)) ] ||
    FAIL "overlapping shapes ($scaled scaled, $twice crimes in two shapes recounted): $(cat "$tmp/overlap-run.txt")"
no_maps swapped "two codes swapped" maps
grep -qE "the shapes of ($swap_a|$swap_b) \(feature [0-9]+\) and ($swap_a|$swap_b) \(feature [0-9]+\) in \[input.lsoa_shapes\] look swapped: .*check the two features' codes; no maps are drawn" \
    "$tmp/swapped-run.txt" || FAIL "two codes swapped ($swap_a, $swap_b): $(cat "$tmp/swapped-run.txt")"
no_maps rotated "three codes rotated" maps
grep -qE "the codes of \[input.lsoa_shapes\]'s shapes look misassigned, moved round 3 shapes: .*check the features' codes; no maps are drawn" \
    "$tmp/rotated-run.txt" || FAIL "three codes rotated: $(cat "$tmp/rotated-run.txt")"
sed -i 's#^files = rotated.geojson#files = moved.geojson#' "$cfg"
"$csa" run "$cfg" --out "$tmp/moved-out" > "$tmp/moved-run.txt" 2>&1 || FAIL "csa run with the shapes moved 140 m stopped"
got=$(sed -n "s/.*\[input.lsoa_shapes\] The maps' LSOA shapes hold \([0-9.]*\)% of the crimes police.uk places in each LSOA.*/\1/p" "$tmp/moved-run.txt")
[ -n "$got" ] && python3 -c "import sys; sys.exit(abs($got - $moved_share) > 1 or not 50 < $got < 90)" ||
    FAIL "shapes moved 140 m: caveat '$got'% against $moved_share% recounted: $(grep -i 'shapes hold' "$tmp/moved-run.txt")"
[ "$(grep -c "The maps' LSOA shapes hold $got%" "$tmp/moved-out/summary.csv")" = 5 ] ||
    FAIL "shapes moved 140 m: the caveat is not on the five police indicators' notes"
grep -q "The maps' LSOA shapes hold" "$tmp/out/summary.csv" && FAIL "the sample's own shapes carry the caveat"

# an indicator none of whose crimes is inside the boundary (their points
# moved a degree east): no hotspot map, and its note says so
sed -i 's#^files = moved.geojson#files = lsoa2011-milton-keynes.geojson#' "$cfg"
printf '\n[indicator.weapons]\ntitle = Possession of weapons\ntheme = Crime\ninput = police\ncrime_types = Possession of weapons\npolarity = low-is-good\n' >> "$cfg"
weapons=$(python3 - "$tmp/data" <<'PY'
import csv, glob, sys
n = 0
for p in glob.glob(f"{sys.argv[1]}/police/*.csv"):
    rows = list(csv.reader(open(p, encoding="utf-8-sig")))
    lon = rows[0].index("Longitude")
    for r in rows[1:]:
        if r[rows[0].index("Crime type")] == "Possession of weapons" and r[lon]:
            r[lon] = "%.6f" % (float(r[lon]) + 1)
            n += r[rows[0].index("Month")] in ("2018-10", "2018-11", "2018-12")
    csv.writer(open(p, "w", newline="")).writerows(rows)
print(n)
PY
)
"$csa" run "$cfg" --out "$tmp/weapons-out" > "$tmp/weapons-run.txt" 2>&1 || { cat "$tmp/weapons-run.txt"; FAIL "csa run with the weapons moved"; }
[ ! -e "$tmp/weapons-out/weapons-hotspot.svg" ] || FAIL "a hotspot map of no crime inside the area"
[ -e "$tmp/weapons-out/weapons-map.svg" ] || FAIL "no rate map of the weapons"
grep -F "Possession of weapons" "$tmp/weapons-out/summary.csv" | grep -qF "No hotspot map: none of the crimes is inside the area's boundary ($weapons with a police.uk map point outside it, 0 without one)" ||
    FAIL "the weapons' note ($weapons moved): $(grep -F 'Possession of weapons' "$tmp/weapons-out/summary.csv")"
if [ $fail = 0 ]; then echo "PASS: maps"; else cat "$tmp/validate.txt"; exit 1; fi
