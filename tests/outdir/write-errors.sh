#!/bin/bash
# A full disk at any write of a run (issue 20 case 7): the failwrite shim
# (LD_PRELOAD) makes the Nth write to a file, and every later one, fail with
# ENOSPC. A run that meets one must stop non-zero saying "disk full" and
# naming the output it was writing, leave the previous outputs exactly as
# they were, and leave nothing beside them. N is the first write of every
# kind of output (CSV, PNG, SVG, libxlsxwriter's temporary files, the
# workbook, the pack, the manifest, the fsync before the switch, the
# private folder's marker), the last write of the run, and a spread between.
set -eu
csa=$(realpath "$1") src=$(realpath "$2") shim=$(realpath "$3")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
FAIL() { echo "FAIL: $*"; fail=1; }
cp -r "$src/data-samples" "$tmp/data"
. "$src/tests/golden/sample.sh"
sample_small "$tmp/data/assessment.ini" > "$tmp/data/small.ini"
cfg="$tmp/data/small.ini"
out="$tmp/out"
export SOURCE_DATE_EPOCH=1700000000
# an ASan build's runtime need not come first: the shim goes before it
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

"$csa" run "$cfg" --out "$out" --quiet || FAIL "first run"
(cd "$out" && sha256sum -- * | sort) > "$tmp/before"

# every write of a run into the same folder, counted and named
SOURCE_DATE_EPOCH=1700000001 FAILWRITE_LOG="$tmp/log" LD_PRELOAD="$shim" \
    "$csa" run "$cfg" --out "$out" --quiet || FAIL "run with the shim counting"
total=$(wc -l < "$tmp/log")
echo "a run makes $total writes"
[ "$total" -gt 100 ] || FAIL "only $total writes counted: is the shim working?"
(cd "$out" && sha256sum -- * | sort) > "$tmp/after"
cmp -s "$tmp/before" "$tmp/after" && FAIL "the counting run did not replace the outputs"
cp "$tmp/after" "$tmp/before"

# N, and the output the message must name: a write's file is NAME in the
# private folder, or one of libxlsxwriter's temporary files there (the
# workbook), or the marker (the private folder itself: no output named)
/usr/bin/python3 - "$tmp/log" > "$tmp/picks" <<'PY'
import re, sys
first, rows = {}, []
for line in open(sys.argv[1]):
    n, what, path = line.rstrip("\n").split("\t")
    m = re.search(r"/\.out\.csa-[A-Za-z0-9]{6}/([^/]*)$", path.replace(" (deleted)", ""))
    name = m.group(1) if m else ""
    if name == ".csa-partial":
        kind, names = "marker", "-"
    elif what == "fsync":
        kind, names = "fsync", name
    elif "(deleted)" in path:
        kind, names = "xlsx temporary", "assessment.xlsx"
    else:
        kind, names = name.rsplit(".", 1)[-1] if name == "manifest.json" or "." in name else name, name
        if name == "manifest.json":
            kind = "manifest"
    rows.append((int(n), kind, names))
    first.setdefault(kind, (int(n), names))
picks = dict((n, (k, names)) for k, (n, names) in first.items())
total = len(rows)
for i in range(1, 4):
    n, k, names = rows[i * total // 4 - 1]
    picks.setdefault(n, (k, names))
picks.setdefault(total, (rows[-1][1], rows[-1][2]))
for n in sorted(picks):
    print(n, picks[n][0].replace(" ", "_"), picks[n][1])
PY
cut -d' ' -f2 "$tmp/picks" | sort -u | paste -sd' ' | sed 's/^/kinds of write tried: /'
for kind in csv png svg xlsx_temporary xlsx pdf manifest fsync marker; do
    grep -q " $kind " "$tmp/picks" || FAIL "no $kind write in the run"
done

while read -r n kind name; do
    set +e
    SOURCE_DATE_EPOCH=1700000002 FAILWRITE_AT=$n LD_PRELOAD="$shim" \
        "$csa" run "$cfg" --out "$out" --quiet 2> "$tmp/err"
    st=$?
    set -e
    [ $st != 0 ] || FAIL "write $n ($kind): exit 0"
    grep -q "disk full" "$tmp/err" || { cat "$tmp/err"; FAIL "write $n ($kind): no 'disk full'"; }
    if [ "$kind" = png ] || [ "$kind" = svg ]; then
        # charts are drawn two at a time (csa_chart_files): every write from
        # the Nth fails, so the chart named is the first in the run's order
        # that failed, this one or one the other thread was writing
        grep -qE "^csa: $out/[^/]+\.(png|svg): .*disk full" "$tmp/err" ||
            { cat "$tmp/err"; FAIL "write $n ($kind): the message does not name a chart"; }
    elif [ "$name" != - ]; then
        grep -qF "csa: $out/$name: " "$tmp/err" ||
            { cat "$tmp/err"; FAIL "write $n ($kind): the message does not name $out/$name"; }
    fi
    (cd "$out" && sha256sum -- * | sort) | cmp -s - "$tmp/before" ||
        FAIL "write $n ($kind): the previous outputs changed"
    [ -z "$(find "$tmp" -maxdepth 1 -name '.out.csa-*' -type d)" ] ||
        FAIL "write $n ($kind): left a private folder"
    echo "write $n ($kind, $name): $(tail -1 "$tmp/err")"
done < "$tmp/picks"

# a run that fails into a folder that was not there leaves none behind
read -r n kind name < "$tmp/picks"
set +e
SOURCE_DATE_EPOCH=1700000002 FAILWRITE_AT=$n LD_PRELOAD="$shim" \
    "$csa" run "$cfg" --out "$tmp/new" --quiet 2> /dev/null && FAIL "new folder: exit 0"
set -e
[ ! -e "$tmp/new" ] || FAIL "new folder: a failed run left the folder it made"

[ $fail = 0 ] && echo "write-errors: all checks passed"
exit $fail
