#!/bin/bash
# Times csa run on the 36-month police history (bench/history.sh makes it
# in bench/data/history/) with and without digest reuse (issue 18): without
# a submissions register every input file is read again for its SHA-256;
# with one, files whose device, inode, size and modification time (ns) the
# register recorded are not. Runs alternate (without, with) so that machine
# load spreads over both; medians of wall and CPU seconds.
#
# Usage: bench/reuse.sh [--runs R] [--data DIR] CSA   (from the source root;
# DIR defaults to bench/data/history)
set -eu
runs=3
data=$(pwd)/bench/data/history
[ "${1:-}" = --runs ] && { runs=$2; shift 2; }
[ "${1:-}" = --data ] && { data=$(realpath "$2"); shift 2; }
csa=$(realpath "$1")
[ -e "$data/.done" ] || { echo "no history in $data: run bench/history.sh first" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r data-samples "$tmp/cfg"
cfg=$tmp/cfg/assessment.ini
sed -i "s|^period = .*|period = 2018-04 to 2019-03|; s|^files = police/\*.csv.*|files = $data/*.csv|" "$cfg"
# a partner, so that the register can be made by a submission
printf '\n[partner.nhs]\norganisation = NHS\ncontact = x\ninputs = health\ndue = 2019-05-01\n' >> "$cfg"
"$csa" submit --config "$cfg" --partner nhs "$tmp/cfg/health/fingertips-violence-mk.csv" > /dev/null
mv "$tmp/cfg/submissions.sqlite" "$tmp/register"
cat "$data"/*.csv > /dev/null # warm page cache
timed() { # NAME: appends "seconds cpu" to $tmp/NAME
    /usr/bin/time -o "$tmp/t" -f "%e %U %S" "$csa" run "$cfg" --out "$tmp/out" --quiet \
        > /dev/null 2> "$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
    awk '{printf "%s %.2f\n", $1, $2 + $3}' "$tmp/t" >> "$tmp/$1"
}
# the register learns the history's digests in one run first
cp "$tmp/register" "$tmp/cfg/submissions.sqlite"
"$csa" run "$cfg" --out "$tmp/out" --quiet 2> /dev/null
cp "$tmp/cfg/submissions.sqlite" "$tmp/register"
for r in $(seq "$runs"); do
    rm -f "$tmp/cfg/submissions.sqlite"
    timed without
    cp "$tmp/register" "$tmp/cfg/submissions.sqlite"
    timed with
done
grep -q "came from the submissions register" <(pdftotext "$tmp/out/assessment-pack.pdf" -) ||
    { echo "the last run reused no digest" >&2; exit 1; }
median() { sort -n | awk '{a[NR]=$1} END {print NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
echo "history: $(ls "$data"/*.csv | wc -l) files, $(du -shL "$data" | cut -f1); $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-28s %8s %8s   %s\n' "csa run" seconds "CPU s" "all runs (s)"
for name in without with; do
    printf '%-28s %8.2f %8.2f   %s\n' "$name digest reuse" "$(cut -d' ' -f1 "$tmp/$name" | median)" \
        "$(cut -d' ' -f2 "$tmp/$name" | median)" "$(cut -d' ' -f1 "$tmp/$name" | tr '\n' ' ')"
done
