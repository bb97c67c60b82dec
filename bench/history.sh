#!/bin/bash
# Times csa run on a 36-month force-wide police history (issue 15, speed)
# against csa rates on the same files, in the same invocation: median wall
# seconds, CPU seconds and peak RSS (/usr/bin/time), and run's time as a
# multiple of rates' (the target: at most 1.3, and at most 150 MB).
#
# The history: ../shared/tools/gen-police-csv.py, 6,000,000 rows over
# 2016-04 to 2019-03, one police.uk-named file a month, Thames Valley
# Police's 16 LAs (1.35 GB in bench/data/history/, generated on the first
# run, seeded; Milton Keynes' crimes' map points inside their LSOAs'
# shapes, as police.uk's are, so that csa draws the maps). csa run reads
# it with data-samples/assessment.ini with files and period changed
# (period = the last 12 months, 2018-04 to 2019-03); csa rates counts the
# same files for the same LA (--la E06000042), with the full IMD and
# population files. The floors: reading
# the files (cat) and their SHA-256 (both commands digest every input).
# And the fixed cost: csa run on data-samples/assessment.ini as it is (the
# sample's own 36 months of Milton Keynes, 88,000 rows: the same
# indicators, charts, maps, pack and workbook, with next to nothing read).
#
# Usage: bench/history.sh [--runs R] [CSA]   (default: 5 runs, build-bench/csa,
# built with --buildtype=release if absent); from the source root.
set -eu
runs=5
[ "${1:-}" = --runs ] && { runs=$2; shift 2; }
root=$(pwd)
shared=$(realpath "$root/../shared")
if [ -n "${1:-}" ]; then
    csa=$(realpath "$1")
else
    [ -d build-bench ] || meson setup build-bench --buildtype=release >&2
    ninja -C build-bench csa >&2
    csa=$root/build-bench/csa
fi
data=$root/bench/data/history
# made again when older than the map points in their LSOAs' shapes (csa
# draws no maps from points that are not)
if [ ! -e "$data/.done-points-in-shapes" ]; then
    rm -rf "$data"
    mkdir -p "$data"
    echo "generating the history in $data (a few minutes)" >&2
    python3 "$shared/tools/gen-police-csv.py" --out-dir "$data" --months 2016-04:2019-03 \
        --rows 6000000 --imd "$shared/data/geo/imd2019-lsoa.csv" --force "Thames Valley Police" \
        --boundaries "$shared/data/geo/lsoa2011-milton-keynes.geojson" \
        --la E06000036,E06000037,E06000038,E06000039,E06000040,E06000041,E06000042,E07000004,E07000005,E07000006,E07000007,E07000177,E07000178,E07000179,E07000180,E07000181
    touch "$data/.done-points-in-shapes"
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r data-samples "$tmp/cfg"
sed -i "s|^period = .*|period = 2018-04 to 2019-03|; s|^files = police/\*.csv.*|files = $data/*.csv|" \
    "$tmp/cfg/assessment.ini"
files=("$data"/*.csv)
cat "${files[@]}" > /dev/null # warm page cache

# one timed run: NAME then the command; appends "seconds cpu kb" to $tmp/NAME
timed() {
    local name=$1
    shift
    /usr/bin/time -o "$tmp/t" -f "%e %U %S %M" "$@" > /dev/null 2> "$tmp/$name.err" ||
        { echo "$name failed:" >&2; cat "$tmp/$name.err" >&2; exit 1; }
    awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$tmp/t" >> "$tmp/$name"
}
echo "machine: $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg); CPU pressure" \
     "$(sed -n 's/^some avg10=\([^ ]*\) avg60=\([^ ]*\).*/avg10 \1% avg60 \2%/p' /proc/pressure/cpu)"
echo "csa: $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet || echo ' + uncommitted changes')"
echo "history: ${#files[@]} files, $(du -shL "$data" | cut -f1), $(cat "${files[@]}" | wc -l) lines"
for r in $(seq "$runs"); do
    timed rates "$csa" rates --crimes "${files[@]}" --imd "$shared/data/geo/imd2019-lsoa.csv" \
        --population "$shared/data/geo/population-lsoa-mid2015.csv" --la E06000042 \
        --out "$tmp/out-rates"
    timed run "$csa" run "$tmp/cfg/assessment.ini" --out "$tmp/out-run" --quiet
    timed sample "$csa" run "$root/data-samples/assessment.ini" --out "$tmp/out-sample" --quiet
    timed cat cat "${files[@]}"
    timed sha256 openssl dgst -sha256 "${files[@]}"
done
median() { sort -n | awk '{a[NR]=$1} END {print NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
rates=$(cut -d' ' -f1 "$tmp/rates" | median)
printf '%-22s %8s %8s %12s %8s   %s\n' tool seconds "CPU s" "peak RSS MB" "vs rates" "all runs (s)"
for name in rates run sample cat sha256; do
    s=$(cut -d' ' -f1 "$tmp/$name" | median)
    cpu=$(cut -d' ' -f2 "$tmp/$name" | median)
    mb=$(cut -d' ' -f3 "$tmp/$name" | sort -n | tail -1)
    label=$(case $name in rates) echo "csa rates";; run) echo "csa run";; sample) echo "csa run, sample";;
            cat) echo "cat > /dev/null";; sha256) echo "SHA-256 of the files";; esac)
    printf '%-22s %8.2f %8.2f %12d %8.2f   %s\n' "$label" "$s" "$cpu" $((mb / 1024)) \
        "$(echo "$s / $rates" | bc -l)" "$(cut -d' ' -f1 "$tmp/$name" | tr '\n' ' ')"
done
echo "at end: load $(cut -d' ' -f1-3 /proc/loadavg)"
