#!/bin/bash
# Inputs that are not regular files, or that change while csa reads them
# (issue 20 cases 10 and 14): a FIFO with no writer, /dev/zero and a folder
# given to csa validate, csa rates and csa run each stop within a time bound
# with exit 2 and one line naming the file; a file that a background writer
# appends to during the run stops it with 'file changed while csa was
# reading it'.
set -u
csa=$(realpath "$1") src=$(realpath "$2")
tmp=$(mktemp -d)
writer=
trap '[ -n "$writer" ] && kill "$writer" 2> /dev/null; rm -rf "$tmp"' EXIT
cd "$tmp"
cp -r "$src/data-samples" data
s=data
fail=0
FAIL() { echo "FAIL: $*"; fail=1; }
crimes=("$s"/police/*.csv)

# expect NAME STATUS LINE ARGS...: csa ARGS ends within 20 s with STATUS and
# LINE on stderr. TRIES=N: run again, at most N times in all, while csa
# ends with 0 (a growing file read whole between two appends: rightly read)
expect() {
    local name=$1 want=$2 line=$3 tries=${TRIES:-1} got
    shift 3
    while :; do
        timeout 20 "$csa" "$@" > stdout 2> stderr < /dev/null
        got=$?
        [ $got -eq 0 ] && [ $((--tries)) -gt 0 ] && { rm -rf out-run out-rates; continue; }
        break
    done
    [ $got -eq 124 ] && { FAIL "[$name] still running after 20 s"; return; }
    [ $got -eq "$want" ] || { FAIL "[$name] exit $got, expected $want"; cat stderr; }
    grep -qxF -- "$line" stderr ||
        { FAIL "[$name] stderr lacks: $line"; echo "--- got:"; head -5 stderr; }
}

mkfifo fifo.csv
mkdir folder.csv
not_file="csa reads inputs from regular files only (copy the data into a file and name that)"
for k in fifo zero folder; do
    case $k in
    fifo) f=fifo.csv what="a FIFO (named pipe)" ;;
    zero) f=/dev/zero what="a character device" ;;
    folder) f=folder.csv what="a folder" ;;
    esac
    line="csa: $f: is $what: $not_file"
    expect "validate $k" 2 "$line" validate --spec population "$f"
    expect "rates $k population" 2 "$line" rates --crimes "${crimes[@]}" --imd "$s/imd2019-milton-keynes.csv" \
        --population "$f" --out out-rates
    expect "rates $k crimes" 2 "$line" rates --crimes "$f" --imd "$s/imd2019-milton-keynes.csv" \
        --population "$s/population-milton-keynes.csv" --out out-rates
    sed "s#^files = population-milton-keynes.csv#files = $tmp/$f#; s#$tmp//dev#/dev#" \
        "$s/assessment.ini" > "$s/$k.ini"
    expect "run $k" 2 "csa: ${f/#[a-z]/$tmp/${f:0:1}}: is $what: $not_file" run "$s/$k.ini" --out out-run
    [ -e out-run ] && FAIL "[run $k] wrote outputs"
done

# a FIFO fed by a writer is refused just the same, before anything reads it
sed "s#^files = population-milton-keynes.csv#files = $tmp/fifo.csv#" "$s/assessment.ini" > "$s/fed.ini"
(cat "$s/population-milton-keynes.csv" > fifo.csv) 2> /dev/null &
feeder=$!
expect "run fed fifo" 2 "csa: $tmp/fifo.csv: is a FIFO (named pipe): $not_file" run "$s/fed.ini" --out out-run
kill "$feeder" 2> /dev/null; wait "$feeder" 2> /dev/null

# a police file growing while csa reads it: a writer appends a valid row
# (anti-social behaviour, which has no Crime ID to repeat) without pause from
# before each command starts to after it ends. csa run and csa rates read
# it more than once over most of a second; csa validate reads it once, so
# it gets a file big enough to take a while. On a loaded machine a command
# may still read the file whole between two appends, which is no change:
# each case has five tries to see one, and must never write outputs.
grow=$s/police/2018-12-milton-keynes-street.csv
row=$(grep -m1 '^,.*Anti-social behaviour' "$grow")
big=big-police.csv
head -1 "$grow" > "$big"
for i in $(seq 40); do tail -n +2 "$grow"; done >> "$big"
(while :; do echo "$row" >> "$grow"; echo "$row" >> "$big"; done) &
writer=$!
changed="file changed while csa was reading it: run again once it is complete"
TRIES=5 expect "run growing" 2 "csa: $grow: $changed" run "$s/assessment.ini" --out out-run
[ -e out-run ] && FAIL "[run growing] wrote outputs"
TRIES=5 expect "rates growing" 2 "csa: $grow: $changed" rates --crimes "${crimes[@]}" \
    --imd "$s/imd2019-milton-keynes.csv" --population "$s/population-milton-keynes.csv" --out out-rates
[ -e out-rates ] && FAIL "[rates growing] wrote outputs"
TRIES=5 expect "validate growing" 2 "csa: $big: $changed" validate --spec police-street "$big"
kill "$writer"; wait "$writer" 2> /dev/null; writer=

[ $fail -eq 0 ] && echo "hostile inputs: all cases as expected"
exit $fail
