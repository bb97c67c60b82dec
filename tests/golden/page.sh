#!/bin/bash
# The web page's figures are the pack's and the workbook's (issue 19): csa
# run on data-samples/assessment.ini, then for every indicator its
# headline value, interval, count, comparator and change sentence read
# from assessment.html (python's html.parser) against the workbook's
# Summary cells (openpyxl; numbers formatted here at their cells' places)
# and the indicator's page of the PDF (pdftotext); the page's structure
# (lang, title, landmarks, one h1, headings in order, captions and scoped
# headers, every chart's SVG with a title and a description, ids unique,
# no script, nothing that loads from elsewhere); --format html and pdf.
set -eu
csa=$(realpath "$1") src=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
FAIL() { echo "FAIL: $*"; fail=1; }
export SOURCE_DATE_EPOCH=1700000000

cp -r "$src/data-samples" "$tmp/data"
"$csa" run "$tmp/data/assessment.ini" --out "$tmp/out" --quiet 2> "$tmp/stderr" ||
    { cat "$tmp/stderr"; FAIL "sample run"; }
pdftotext "$tmp/out/assessment-pack.pdf" "$tmp/pack.txt"
/usr/bin/python3 "$src/tests/golden/check-page.py" "$tmp/out/assessment.html" \
    "$tmp/out/assessment.xlsx" "$tmp/pack.txt" || fail=1

# --format: one form of the pack, the other absent from the folder and
# the manifest; a bad value is a usage error naming it
"$csa" run "$tmp/data/assessment.ini" --out "$tmp/html" --format html --quiet 2> /dev/null ||
    FAIL "--format html"
[ -s "$tmp/html/assessment.html" ] && [ ! -e "$tmp/html/assessment-pack.pdf" ] ||
    FAIL "--format html: $(ls "$tmp/html" | grep assessment)"
grep -q 'assessment-pack.pdf' "$tmp/html/manifest.json" && FAIL "--format html: the pdf in the manifest"
"$csa" run "$tmp/data/assessment.ini" --out "$tmp/pdf" --format pdf --quiet 2> /dev/null ||
    FAIL "--format pdf"
[ -s "$tmp/pdf/assessment-pack.pdf" ] && [ ! -e "$tmp/pdf/assessment.html" ] ||
    FAIL "--format pdf: $(ls "$tmp/pdf" | grep assessment)"
set +e
"$csa" run "$tmp/data/assessment.ini" --out "$tmp/bad" --format docx 2> "$tmp/bad.err"
status=$?
set -e
[ "$status" = 2 ] && grep -q "format takes html, pdf or all, not docx" "$tmp/bad.err" ||
    FAIL "--format docx: exit $status, $(cat "$tmp/bad.err")"
[ ! -e "$tmp/bad" ] || FAIL "--format docx wrote $tmp/bad"
"$csa" help run | grep -q -- "--format html|pdf|all" || FAIL "csa help run has no --format"

[ "$fail" = 0 ] && echo "page: figures equal in HTML, workbook and PDF; structure and --format as expected"
exit "$fail"
