#!/bin/bash
# Every thread csa starts has a path for when none can be had: the caller
# does the work itself (csa/thread.h). CSA_TEST_ONE_THREAD refuses every
# start, so this runs those paths: the sample assessment (maps, MSOA
# outlines, partner incidents placed by their points, the pack, the
# charts, the digests) and a police month cut in halves, each with and
# without threads, must give the same outputs byte for byte and the same
# messages. Under the sanitizers it checks the paths' memory too.
set -eu
csa=$(realpath "$1") src=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
FAIL() { echo "FAIL: $*"; fail=1; }
export SOURCE_DATE_EPOCH=1700000000
cp -r "$src/data-samples" "$tmp/data"
find "$tmp/data" -type f -exec touch -d '2019-01-15 09:30:00 UTC' {} +

# run NAME ARGS...: csa with threads, then with none; same status, messages, outputs
same() {
    local name=$1 st=0 st1=0
    shift
    "$csa" "$@" --out "$tmp/$name" > "$tmp/$name.out" 2> "$tmp/$name.err" || st=$?
    CSA_TEST_ONE_THREAD=1 "$csa" "$@" --out "$tmp/$name-one" > "$tmp/$name-one.out" \
        2> "$tmp/$name-one.err" || st1=$?
    [ "$st" = 0 ] || { cat "$tmp/$name.err"; FAIL "$name: exit $st"; }
    [ "$st" = "$st1" ] || FAIL "$name: exit $st with threads, $st1 with one"
    norm() { sed -e 's/ ([0-9.]* s)$//' -e 's/ in [0-9.]* s$//' \
                 -e "s#[^ ]*$(basename "$tmp")/$name-one#OUT#g; s#[^ ]*$(basename "$tmp")/$name#OUT#g" "$1"; }
    diff <(norm "$tmp/$name.err") <(norm "$tmp/$name-one.err") ||
        FAIL "$name: messages differ"
    diff -r "$tmp/$name" "$tmp/$name-one" > "$tmp/$name.diff" ||
        { head -5 "$tmp/$name.diff"; FAIL "$name: outputs differ"; }
}

# the assessment: every thread of csa run
same run run "$tmp/data/assessment.ini"
[ -s "$tmp/run/msoa-map.png" ] || ls "$tmp/run" | grep -q 'msoa-map.png' || FAIL "run: no MSOA map"
grep -q 'dissolved the LSOA shapes' "$tmp/run-one.err" || FAIL "run: no dissolve without threads"

# police months big enough to be read in halves (csa rates: two threads a
# file): October 60 times over, then November's first rows (in the second
# half) 10 times
/usr/bin/python3 - "$tmp/data/police/2018-10-milton-keynes-street.csv" "$tmp/big.csv" \
    "$tmp/nov.csv" <<'PY' > "$tmp/nov-line.txt"
import sys
head, *rows = open(sys.argv[1]).read().splitlines()
with open(sys.argv[2], "w") as f:
    f.write(head + "\n")
    for k in range(70):  # over 32 MB: read in halves
        for i, r in enumerate(rows):
            crime_id, month, rest = r.split(",", 2)
            f.write((f"{k:02d}{i:062x}" if crime_id else "") + "," +
                    ("2018-11" if k >= 60 else month) + "," + rest + "\n")
with open(sys.argv[3], "w") as f:  # a November file beside it: the month twice
    f.write(head + "\n" + "".join(f"ff{i:062x},2018-11,{r.split(',', 2)[2]}\n"
                                   for i, r in enumerate(rows[:5])))
print(60 * len(rows) + 2)  # the big file's first November row
PY
same rates rates --crimes "$tmp/big.csv" --imd "$tmp/data/imd2019-milton-keynes.csv" \
    --population "$tmp/data/population-milton-keynes.csv"
# validation in halves names the month's first row at its line in the
# whole file, not in its half
st=0
"$csa" validate --spec police-street "$tmp/nov.csv" "$tmp/big.csv" > "$tmp/dup.out" 2>&1 || st=$?
[ $st = 1 ] || FAIL "a month in two files, one read in halves: exit $st"
grep -qF "$tmp/big.csv:$(cat "$tmp/nov-line.txt"): error [duplicate-month] 2018-11 of Thames Valley Police" \
    "$tmp/dup.out" || { grep duplicate-month "$tmp/dup.out"; FAIL "the month's first row in the second half: wrong line"; }
[ $fail = 0 ] && echo "threads: the same outputs with one thread"
exit $fail
