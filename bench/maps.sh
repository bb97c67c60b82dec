#!/bin/bash
# Times what the maps (issue 16) add to csa run:
#  1. on the sample (data-samples/assessment.ini), the run with its
#     boundaries against the same run without them (the line removed; and
#     the input removed too, which then is not validated either): median
#     wall and CPU seconds of R runs each, interleaved;
#  2. on the force-wide 36-month history (6,000,000 rows, bench/history.sh
#     makes it in bench/data/history/), the same two runs' stage times: the
#     reading (csa run's "validated" stage: every file read once), and the
#     indicators' stage, whose difference is the hotspot surfaces (the map
#     points projected with PROJ, placed in the area, the kernel density of
#     five indicators) with the choropleth classes.
# The target: under 0.5 s on the sample; the surface under a quarter of
# the reading time. Prints the numbers; asserts nothing.
# With --before CSA2, the sample's maps run is also timed with CSA2 (another
# build, say the commit before a change), interleaved with the others.
# Usage: bench/maps.sh [--runs R] [--before CSA2] [CSA] [HISTORY]
# (defaults: 5, none, build-bench/csa, bench/data/history); from the
# source root.
set -eu
runs=5 before=
[ "${1:-}" = --runs ] && { runs=$2; shift 2; }
[ "${1:-}" = --before ] && { before=$(realpath "$2"); shift 2; }
csa=$(realpath "${1:-build-bench/csa}")
history=$(realpath -m "${2:-bench/data/history}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r data-samples "$tmp/d"
cp "$tmp/d/assessment.ini" "$tmp/d/maps.ini"
sed '/^boundaries = /d' "$tmp/d/assessment.ini" > "$tmp/d/nomaps.ini"
# and without the boundaries input at all (nomaps still declares it, so
# still loads GDAL and validates the file)
python3 - "$tmp/d/nomaps.ini" "$tmp/d/noinput.ini" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
open(sys.argv[2], "w").write(re.sub(r"\n\[input\.lsoa_shapes\]\n(?:[^\[\n][^\n]*\n|\n)*", "\n", s))
PY

# one timed run: NAME then the config; appends "wall cpu" to $tmp/NAME and
# keeps its stage lines in $tmp/NAME.log
timed() {
    local name=$1 cfg=$2 bin=${3:-$csa}
    rm -rf "$tmp/out-$name"
    /usr/bin/time -f "%e %U %S" -o "$tmp/t" "$bin" run "$cfg" --out "$tmp/out-$name" \
        > /dev/null 2> "$tmp/$name.last" || { cat "$tmp/$name.last"; exit 1; }
    awk '{printf "%s %.2f\n", $1, $2 + $3}' "$tmp/t" >> "$tmp/$name"
    cat "$tmp/$name.last" >> "$tmp/$name.log"
}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
# the median of a stage's seconds: "csa run: <stage words> ... (1.23 s)"
stage() { grep "csa run: $2" "$tmp/$1.log" | sed 's/.*(\([0-9.]*\) s)$/\1/' | median; }

for i in $(seq "$runs"); do
    timed nomaps "$tmp/d/nomaps.ini"
    timed noinput "$tmp/d/noinput.ini"
    timed maps "$tmp/d/maps.ini"
    [ -z "$before" ] || timed before "$tmp/d/maps.ini" "$before"
done
echo "sample (${runs} runs each): median wall / CPU seconds"
for n in nomaps noinput maps ${before:+before}; do
    printf '  %-7s %6s s wall %6s s CPU\n' "$n" "$(cut -d' ' -f1 "$tmp/$n" | median)" \
        "$(cut -d' ' -f2 "$tmp/$n" | median)"
done
printf '  maps add %.2f s wall, %.2f s CPU\n' \
    "$(echo "$(cut -d' ' -f1 "$tmp/maps" | median) - $(cut -d' ' -f1 "$tmp/nomaps" | median)" | bc)" \
    "$(echo "$(cut -d' ' -f2 "$tmp/maps" | median) - $(cut -d' ' -f2 "$tmp/nomaps" | median)" | bc)"
printf '  maps and the boundaries input add %.2f s wall, %.2f s CPU\n' \
    "$(echo "$(cut -d' ' -f1 "$tmp/maps" | median) - $(cut -d' ' -f1 "$tmp/noinput" | median)" | bc)" \
    "$(echo "$(cut -d' ' -f2 "$tmp/maps" | median) - $(cut -d' ' -f2 "$tmp/noinput" | median)" | bc)"
[ -z "$before" ] || printf '  maps with --before add %.2f s wall, %.2f s CPU\n' \
    "$(echo "$(cut -d' ' -f1 "$tmp/before" | median) - $(cut -d' ' -f1 "$tmp/nomaps" | median)" | bc)" \
    "$(echo "$(cut -d' ' -f2 "$tmp/before" | median) - $(cut -d' ' -f2 "$tmp/nomaps" | median)" | bc)"

[ -d "$history" ] || { echo "no history in $history: bench/history.sh makes it"; exit 0; }
for f in maps nomaps; do
    sed -i "s|^period = .*|period = 2018-04 to 2019-03|; s|^files = police/\*.csv.*|files = $history/*.csv|" \
        "$tmp/d/$f.ini"
done
rm -f "$tmp"/maps "$tmp"/nomaps "$tmp"/*.log
hruns=$(( runs < 3 ? runs : 3 ))
for i in $(seq "$hruns"); do
    timed hnomaps "$tmp/d/nomaps.ini"
    timed hmaps "$tmp/d/maps.ini"
done
echo "force-wide history, 6,000,000 rows (${hruns} runs each): median stage seconds"
for n in hnomaps hmaps; do
    printf '  %-8s reading %6s s, indicators %6s s, whole run %6s s wall %6s s CPU\n' "$n" \
        "$(stage "$n" validated)" "$(stage "$n" computed)" "$(cut -d' ' -f1 "$tmp/$n" | median)" \
        "$(cut -d' ' -f2 "$tmp/$n" | median)"
done
read_s=$(stage hmaps validated)
surface=$(echo "$(stage hmaps computed) - $(stage hnomaps computed)" | bc)
printf '  hotspot surfaces (indicators with maps - without): %.2f s = %.0f%% of the reading\n' \
    "$surface" "$(echo "100 * $surface / $read_s" | bc -l)"
