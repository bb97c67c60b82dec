#!/bin/bash
# Bad input through the whole command: each case gives its exit status (1 a
# data problem, 2 bad usage or a file that cannot be read), one clear line
# naming file, line, column and value, and leaves the outputs of an earlier
# good run exactly as they were (no temporary files left).
set -u
csa=$(realpath "$1") src=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
s=$src/data-samples
cp "$s"/police/*.csv . && cp "$s/imd2019-milton-keynes.csv" imd.csv
cp "$s/population-milton-keynes.csv" pop.csv
crimes=(2018-10-milton-keynes-street.csv 2018-11-milton-keynes-street.csv
        2018-12-milton-keynes-street.csv)
"$csa" rates --crimes "${crimes[@]}" --imd imd.csv --population pop.csv --la E06000042 \
    --out out 2> /dev/null || { echo "FAIL: the good run failed"; exit 1; }
sums() { (cd out && ls -A | sort && sha256sum -- *); }
sums > before
fail=0

# run NAME EXPECTED_STATUS EXPECTED_STDERR_LINE ARGS...: a run that must fail
# with this message and leave out/ untouched
run() {
    local name=$1 want=$2 line=$3
    shift 3
    "$csa" "$@" > stdout 2> stderr
    local got=$?
    if [ $got -ne "$want" ]; then
        echo "FAIL [$name]: exit $got, expected $want"; cat stderr; fail=1
    fi
    if ! grep -qxF -- "$line" stderr; then
        echo "FAIL [$name]: stderr lacks the line: $line"; echo "--- got:"; cat stderr; fail=1
    fi
    sums | diff -q before - > /dev/null || { echo "FAIL [$name]: outputs changed"; fail=1; }
}
# rates NAME EXPECTED_STATUS EXPECTED_STDERR_LINE IMD POPULATION
rates() { run "$1" "$2" "$3" rates --crimes "${crimes[@]}" --imd "$4" --population "$5" \
    --la E06000042 --out out; }

# reference files: a bad value at line 17, column 3 (population: Total)
awk -F, -v OFS=, 'NR == 17 { $3 = "12a" } { print }' pop.csv > pop-12a.csv
rates non-numeric 1 'csa: pop-12a.csv:17:3: population "12a" is not a number' imd.csv pop-12a.csv
awk -F, -v OFS=, 'NR == 9 { $3 = "-40" } { print }' pop.csv > pop-neg.csv
rates negative 1 'csa: pop-neg.csv:9:3: population "-40" is negative' imd.csv pop-neg.csv
awk -F, -v OFS=, 'NR == 5 { NF = 2 } { print }' pop.csv > pop-short.csv
rates cut-short 1 'csa: pop-short.csv:5:3: row has 2 fields; the header has 13' imd.csv pop-short.csv
head -c 300 pop.csv > pop-cut.csv
rates last-line-cut 1 'csa: pop-cut.csv:4:11: row has 10 fields; the header has 13' imd.csv pop-cut.csv
sed '1s/Total/Persons/' pop.csv > pop-nocol.csv
rates missing-column 1 'csa: pop-nocol.csv:1: missing column "population" (a population file needs it; header names accepted: population, Total, All Ages, All ages, Total population)' imd.csv pop-nocol.csv
: > pop-empty.csv
rates empty 1 'csa: pop-empty.csv: file is empty: a population file needs a header row and data rows' imd.csv pop-empty.csv
head -1 pop.csv > pop-header.csv
rates header-only 1 'csa: pop-header.csv: has a header but no data rows' imd.csv pop-header.csv
rates no-file 2 'csa: nope.csv: cannot open: No such file or directory' imd.csv nope.csv
rates folder 2 'csa: out: is a folder: csa reads inputs from regular files only (copy the data into a file and name that)' out pop.csv
awk -F, -v OFS=, 'NR == 4 { $NF = "11" } { print }' imd.csv > imd-decile.csv
rates bad-decile 1 'csa: imd-decile.csv:4:6: IMD decile "11" is outside 1 to 10' imd-decile.csv pop.csv
awk 'NR == 6 { print; print; next } { print }' pop.csv > pop-dup.csv
line7=$(sed -n 7p pop-dup.csv | cut -d, -f2)
rates duplicate 1 "csa: pop-dup.csv:7:2: area code \"$line7\" appears more than once" imd.csv pop-dup.csv
run unknown-la 1 'csa: imd.csv: LA code "E06000099" is not in the deprivation file' \
    rates --crimes "${crimes[@]}" --imd imd.csv --population pop.csv --la E06000099 --out out

# crime files: more than 1% of rows rejected stops the run
awk -F, -v OFS=, 'NR > 1 && NR % 50 == 0 { $2 = "2018-13" } { print }' "${crimes[0]}" > bad-month.csv
run too-many-rejects 1 'csa: bad-month.csv: 42 of 2,124 rows rejected (2.0%, more than 1%): is this a police-street file? The first: bad-month.csv:50:2: Month "2018-13" is not a date (dates are read as 2018-06, 2018-06-30 or 30/06/2018)' \
    rates --crimes bad-month.csv --imd imd.csv --population pop.csv --la E06000042 --out out
sed '1s/Crime type/Offence/' "${crimes[0]}" > no-type.csv
run crime-missing-column 1 'csa: no-type.csv:1: missing column "Crime type" (a police-street file needs it; header names accepted: Crime type)' \
    rates --crimes no-type.csv --imd imd.csv --population pop.csv --out out

# usage
run no-imd 2 'csa: rates needs --crimes, --imd and --population' rates --crimes x.csv --population pop.csv
run bad-option 2 'csa: rates: unknown option or missing value: --la-code' rates --la-code E06
run no-command 2 "csa: no command 'frobnicate'; 'csa --help' lists them" frobnicate

# a few bad crime rows are rejected, named and counted; the run goes on
awk -F, -v OFS=, 'NR == 100 { $2 = "Oct 2018" } NR == 200 { NF = 5 } { print }' "${crimes[0]}" > few-bad.csv
"$csa" rates --crimes few-bad.csv --imd imd.csv --population pop.csv --la E06000042 \
    --out out2 2> stderr || { echo "FAIL [few-bad]: run failed"; cat stderr; fail=1; }
for want in 'csa: warning: few-bad.csv:100:2: Month "Oct 2018" is not a date (dates are read as 2018-06, 2018-06-30 or 30/06/2018) (row rejected)' \
            'csa: warning: few-bad.csv:200:6: row has 5 fields; the header has 12 (row rejected)' \
            '  Rows read                2,124' '  Rejected                     2' \
            '  rejected for: 1 wrong number of fields, 1 unreadable value: Month'; do
    grep -qxF -- "$want" stderr || { echo "FAIL [few-bad]: stderr lacks: $want"; cat stderr; fail=1; }
done

# help and version answer on stdout with status 0
for args in "--help" "help rates" "rates --help" "--version"; do
    "$csa" $args > stdout 2>&1 || { echo "FAIL: csa $args exits non-zero"; fail=1; }
done
grep -q "^csa [0-9]" stdout || { echo "FAIL: --version"; fail=1; }
"$csa" help rates | grep -q "^Usage: csa rates --crimes FILE" || { echo "FAIL: help rates"; fail=1; }
ls -A out | grep -q '\.tmp$' && { echo "FAIL: temporary files left in out/"; fail=1; }
exit $fail
