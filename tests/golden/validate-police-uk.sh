#!/bin/bash
# csa validate on the real police.uk files: the Milton Keynes samples, and
# the whole Thames Valley months in ../shared/data when present (the issue
# asks for them). Blank LSOAs and anti-social behaviour without a Crime ID
# are what police.uk data is like: reported, not errors, exit 0.
set -u
csa=$(realpath "$1") src=$(realpath "$2")
fail=0
out=$("$csa" validate --spec police-street "$src"/data-samples/police/*.csv) || { echo "FAIL: samples exit $?"; fail=1; }
echo "$out"
echo "$out" | grep -q "2018-10-milton-keynes-street.csv: 2,124 rows, 2,124 usable, 0 errors, 0 warnings" || { echo "FAIL: sample summary"; fail=1; }
# monthly files: a month missing from the set is reported once, for the set
out=$("$csa" validate --spec police-street --period 2018-09:2018-12 "$src"/data-samples/police/*.csv)
echo "$out"
echo "$out" | grep -qxF "all 3 files: 6,094 rows, 6,094 usable, 0 errors, 1 warning" || { echo "FAIL: set summary"; fail=1; }
echo "$out" | grep -qxF "  warning [missing-month] no rows for 2018-09" || { echo "FAIL: set missing month"; fail=1; }
[ "$(echo "$out" | grep -c missing-month)" = 1 ] || { echo "FAIL: missing-month reported per file"; fail=1; }
"$csa" validate --strict --spec police-street --period 2018-09:2018-12 "$src"/data-samples/police/*.csv > /dev/null
[ $? -eq 1 ] || { echo "FAIL: --strict should make the set's warning an error"; fail=1; }
# --period reads the config's grammar: 2018/19 is April 2018 to March 2019,
# so the months of the year that no file covers are missing (the files are
# named by their month)
samples=("$src"/data-samples/police/*.csv)
out=$("$csa" validate --spec police-street --period 2018/19 "${samples[@]}") || { echo "FAIL: --period 2018/19 exit $?"; fail=1; }
want=$(python3 -c '
import os, sys
have = {os.path.basename(f)[:7] for f in sys.argv[1:]}
year = ["%04d-%02d" % (2018 + (m > 12), (m - 1) % 12 + 1) for m in range(4, 16)]
print("\n".join(m for m in year if m not in have))' "${samples[@]}")
got=$(echo "$out" | sed -n 's/^  warning \[missing-month\] no rows for //p')
[ "$got" = "$want" ] || { echo "FAIL: --period 2018/19 missing months: $got"; fail=1; }
echo "$out" | grep -qxF "all 3 files: 6,094 rows, 6,094 usable, 0 errors, $(echo "$want" | wc -l) warnings" || { echo "FAIL: --period 2018/19 summary"; fail=1; }
for p in "2018-04:2019-03" "2018-04 to 2019-03" "12 months to 2019-03" "4 quarters to 2019-03"; do
    [ "$("$csa" validate --spec police-street --period "$p" "${samples[@]}")" = "$out" ] || { echo "FAIL: --period $p is not 2018/19"; fail=1; }
done
for p in "2018/20" "2019-13" "2018-12 to 2018-10" "2018/19 and more"; do
    err=$("$csa" validate --spec police-street --period "$p" "${samples[@]}" 2>&1 >/dev/null)
    status=$?
    [ $status -eq 2 ] || { echo "FAIL: --period '$p' should exit 2, not $status"; fail=1; }
    echo "$err" | grep -qF "csa: validate: --period: '$p' " || { echo "FAIL: --period '$p' message: $err"; fail=1; }
done
# exit status through cli_exit_status: a lookup with no rows is a data
# problem (1), one that cannot be opened is not (2)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
head -1 "$src/tests/validate/lookup.csv" > "$tmp/lookup-header.csv"
one=$src/data-samples/police/2018-10-milton-keynes-street.csv
"$csa" validate --spec police-street --lookup "$tmp/lookup-header.csv" "$one" > /dev/null 2>&1
[ $? -eq 1 ] || { echo "FAIL: a lookup with no rows should exit 1"; fail=1; }
"$csa" validate --spec police-street --lookup "$tmp/nope.csv" "$one" > /dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: a lookup that cannot be opened should exit 2"; fail=1; }
# csa specs: the list, and one spec as a partner reads it
[ "$("$csa" specs | wc -l)" = 12 ] || { echo "FAIL: csa specs should list 12 datasets"; fail=1; }
out=$("$csa" specs police-street)
for want in "police-street: police.uk street-level crime" "  Crime type  (text, required, never blank)" \
            "        Violence and sexual offences" "Example:" \
            "  ,2018-10,Thames Valley Police,Thames Valley Police,-0.972323,51.991460,On or near Osprey Walk,E01017648,Aylesbury Vale 001A,Anti-social behaviour,,"; do
    echo "$out" | grep -qF -- "$want" || { echo "FAIL: csa specs police-street lacks: $want"; fail=1; }
done
"$csa" specs road-collisions | grep -qF "also named: Accident_Index, accident_index, collision_index" || { echo "FAIL: road-collisions aliases"; fail=1; }
"$csa" specs nope > /dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL: unknown spec should exit 2"; fail=1; }
data=${CSA_SHARED_DATA:-$src/../shared/data}
if [ -d "$data/police" ]; then
    out=$("$csa" validate --spec police-street --period 2018-10:2018-12 "$data"/police/2018-1[012]-thames-valley-street.csv)
    status=$?
    echo "$out"
    [ $status -eq 0 ] || { echo "FAIL: Thames Valley exit $status"; fail=1; }
    for want in "2018-10-thames-valley-street.csv: 16,338 rows, 16,338 usable, 0 errors, 1 warning" \
                "note [asb-without-id] anti-social behaviour rows have no Crime ID (2,054 rows like this)" \
                "warning [blank-lsoa-share] 2018-10: 10.8% of rows have no LSOA code (more than 10%)" \
                "note [blank-area] 1,762 rows (10.8%) have no LSOA code" \
                "note [blank-area] 1,462 rows (10.2%) have no LSOA code"; do
        echo "$out" | grep -qF -- "$want" || { echo "FAIL: lacks: $want"; fail=1; }
    done
else
    echo "(../shared/data not present: the Thames Valley part is skipped)"
fi
exit $fail
