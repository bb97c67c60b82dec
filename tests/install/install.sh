#!/bin/bash
# `meson install` into a DESTDIR (issue 18): csa in BINDIR and, with
# -Dvalidator_page=true, the validator page as DATADIR/csa/validator.html,
# the build's page byte for byte; csa request run from the installed csa
# finds the page there (../share/csa from its folder) and puts it in each
# partner's folder, prefers web/validator.html beside csa (a build folder),
# and without either (nor the compiled-in path) says it has none. Without
# the option, no page is installed: a stand-in put where it would be shows
# the lookup.
# Usage: install.sh BUILD_DIR SOURCE_ROOT PREFIX BINDIR DATADIR PAGE_BUILT
set -u
build=$1 src=$2 prefix=$3 bindir=$4 datadir=$5 page_built=$6
if [ "$bindir" != bin ] || [ "$datadir" != share ]; then
    echo "SKIP: bindir '$bindir' and datadir '$datadir' are not bin and share: ../share/csa from csa's folder is not where the page goes"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
FAIL() { echo "FAIL: $*"; fail=1; }

root=$tmp/root
meson install -C "$build" --no-rebuild --destdir "$root" --quiet > "$tmp/install.log" 2>&1 ||
    { cat "$tmp/install.log"; FAIL "meson install --destdir: exit $?"; exit 1; }
csa=$root$prefix/$bindir/csa
share=$root$prefix/$datadir/csa
[ -x "$csa" ] || { FAIL "no $csa installed"; exit 1; }
if [ "$page_built" = true ]; then
    cmp -s "$build/web/validator.html" "$share/validator.html" ||
        FAIL "the page installed ($share/validator.html) is not the build's"
else
    [ ! -e "$share/validator.html" ] || FAIL "a page installed without -Dvalidator_page=true"
    echo "note: built without -Dvalidator_page=true: a stand-in page is put where it would be installed"
    mkdir -p "$share"
    printf '<!doctype html><title>installed page</title>\n' > "$share/validator.html"
fi

# a config with one partner, whose police files come through the register
d=$tmp/data
mkdir -p "$d"
cp "$src/data-samples/imd2019-milton-keynes.csv" "$src/data-samples/population-milton-keynes.csv" "$d/"
cat > "$d/assessment.ini" <<'INI'
[assessment]
title = Test
area = Milton Keynes
la_code = E06000042
period = 2018-10 to 2018-12
compare_with = none
output = out
deprivation = imd
population = population

[input.police]
spec = police-street
from = register

[input.imd]
spec = imd
files = imd2019-milton-keynes.csv

[input.population]
spec = population
files = population-milton-keynes.csv

[partner.police]
organisation = Thames Valley Police
contact = Data Officer, data@example.org
inputs = police
due = 2019-01-15

[indicator.violence]
title = Violence and sexual offences
input = police
crime_types = Violence and sexual offences
INI

# from ../share/csa
"$csa" request --config "$d/assessment.ini" --out "$tmp/r1" > "$tmp/r1.out" 2>&1 ||
    { cat "$tmp/r1.out"; FAIL "csa request (installed) failed"; }
cmp -s "$share/validator.html" "$tmp/r1/police/validator.html" ||
    FAIL "csa request did not send $share/validator.html"
grep -q "warning: no validator page" "$tmp/r1.out" && FAIL "csa request says it has no page"

# web/validator.html beside csa comes first
mkdir -p "$root$prefix/$bindir/web"
printf '<!doctype html><title>beside csa</title>\n' > "$root$prefix/$bindir/web/validator.html"
"$csa" request --config "$d/assessment.ini" --out "$tmp/r2" > "$tmp/r2.out" 2>&1 ||
    { cat "$tmp/r2.out"; FAIL "csa request (a page beside csa) failed"; }
cmp -s "$root$prefix/$bindir/web/validator.html" "$tmp/r2/police/validator.html" ||
    FAIL "csa request did not prefer web/validator.html beside csa"
rm -r "$root$prefix/$bindir/web"

# neither: the compiled-in path, or a warning and a pack without the page
rm "$share/validator.html"
"$csa" request --config "$d/assessment.ini" --out "$tmp/r3" > "$tmp/r3.out" 2>&1 ||
    { cat "$tmp/r3.out"; FAIL "csa request (no page) failed"; }
installed=$prefix/$datadir/csa/validator.html
if [ -r "$installed" ]; then
    cmp -s "$installed" "$tmp/r3/police/validator.html" || FAIL "csa request did not send $installed"
else
    grep -q "warning: no validator page" "$tmp/r3.out" || FAIL "no page: csa request does not say so"
    [ ! -e "$tmp/r3/police/validator.html" ] || FAIL "no page: csa request sent one"
fi
"$csa" help request 2>&1 | tr -s ' \n' '  ' | grep -qF "../share/csa/validator.html from csa's folder, then $installed" ||
    FAIL "csa help request does not name where it looks"
[ $fail = 0 ] && echo "ok: installed in $root; csa request finds the page beside csa, in ../share/csa, or says it has none"
exit $fail
