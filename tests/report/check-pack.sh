#!/usr/bin/env bash
# The fixture's PDF pack read back with poppler: page count, size and
# metadata (pdfinfo), the expected text on the expected page (pdftotext),
# every page rendered without a complaint (pdftoppm), and the same bytes
# when written twice (the fixture's run_time is fixed).
#
# usage: check-pack.sh MAKE_PACK
set -euo pipefail

make_pack=${1:?usage: check-pack.sh MAKE_PACK}
fail() {
    echo "check-pack: $*" >&2
    exit 1
}
for tool in pdfinfo pdftotext pdftoppm; do
    command -v "$tool" >/dev/null || fail "$tool not found (install poppler-utils)"
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/a" "$tmp/b" "$tmp/png"
"$make_pack" "$tmp/a" || fail "make_pack failed"
"$make_pack" "$tmp/b" || fail "make_pack failed the second time"
pdf=$tmp/a/assessment-pack.pdf
[ -s "$pdf" ] || fail "no pack written"

# The page plan of the fixture: cover, contents, priority matrix; violence
# has three charts, two to a page, so two pages; admissions (two charts)
# and the survey (one) a page each; data quality; method notes.
pages=9
p_priorities=3 p_violence=4 p_admissions=6 p_survey=7 p_quality=8 p_methods=9

info=$(TZ=UTC pdfinfo -isodates "$pdf") || fail "pdfinfo cannot read the pack"
field() {
    sed -n "s/^$1: *//p" <<<"$info"
}
[ "$(field Pages)" = "$pages" ] || fail "pdfinfo: $(field Pages) pages, expected $pages"
[[ "$(field 'Page size')" == *"(A4)"* ]] || fail "page size is not A4: $(field 'Page size')"
title="Milton Keynes Community Safety Partnership: strategic assessment, January to December 2018"
[ "$(field Title)" = "$title" ] || fail "title is '$(field Title)', expected '$title'"
[ "$(field Creator)" = "csa 0.1.0" ] || fail "creator is '$(field Creator)'"
[ "$(field Author)" = "Milton Keynes Community Safety Partnership" ] ||
    fail "author is '$(field Author)'"
[ "$(field Subject)" = "Milton Keynes (E06000042)" ] || fail "subject is '$(field Subject)'"
[ -n "$(field Keywords)" ] || fail "no keywords"
# the bookmark outline: every section and indicator (cairo writes the
# outline's objects uncompressed); headings, paragraphs and the contents'
# links as tagged structure: a title on the cover and a heading on each of
# the 7 sections and indicators
for b in Contents "Priority matrix" Indicators "Violence against the person" \
         "Hospital admissions for violence" "Feel safe outside after dark" "Data quality" \
         "Method notes"; do
    grep -a -q "/Title ($b)" "$pdf" || fail "no bookmark '$b'"
done
[ "$(grep -a -c '/S /H1' "$pdf")" = 8 ] || fail "$(grep -a -c '/S /H1' "$pdf") H1 structure elements, expected 8"
[ "$(grep -a -c '/S /Link' "$pdf")" = 7 ] || fail "$(grep -a -c '/S /Link' "$pdf") links in the structure, expected the contents' 7"
grep -a -q '/S /P' "$pdf" || fail "no paragraphs in the structure"
# run_time 1700000000
[ "$(field CreationDate)" = "2023-11-14T22:13:20Z" ] ||
    fail "creation date is '$(field CreationDate)', expected the run time 2023-11-14T22:13:20Z"
[ "$(field ModDate)" = "2023-11-14T22:13:20Z" ] || fail "modification date is '$(field ModDate)'"

# Text of page n with runs of white space made one space, so that wrapped
# sentences match whole.
page_text() {
    pdftotext -f "$1" -l "$1" "$pdf" - | tr -s ' \n\t' '   '
}
expect() { # page, text...
    local n=$1 text
    shift
    text=$(page_text "$n")
    for want in "$@"; do
        [[ "$text" == *"$want"* ]] || fail "page $n does not contain '$want'; it has: $text"
    done
}
expect_not() { # page, text
    [[ "$(page_text "$1")" != *"$2"* ]] || fail "page $1 should not contain '$2'"
}

for ((n = 1; n <= pages; n++)); do
    expect "$n" "Page $n of $pages" "Milton Keynes (E06000042)" "January to December 2018"
done
expect 1 "Milton Keynes Community Safety Partnership" "STRATEGIC ASSESSMENT" \
    "Produced by csa 0.1.0 on 14 November 2023 at 22:13 UTC" \
    "Configuration: ../data-samples/assessment.ini" "Compared with England"

# contents: every section with its page number at the end of its line
contents=$(pdftotext -f 2 -l 2 -layout "$pdf" -)
contents_line() { # label, page
    grep -Eq "^ *$1.* $2\$" <<<"$contents" || fail "contents has no line '$1 ... $2': $contents"
}
contents_line "Priority matrix" "$p_priorities"
contents_line "1\\. Violence against the person" "$p_violence"
contents_line "2\\. Hospital admissions for violence" "$p_admissions"
contents_line "3\\. Feel safe outside after dark" "$p_survey"
contents_line "Data quality" "$p_quality"
contents_line "Method notes" "$p_methods"

expect "$p_priorities" "Priority matrix" "Volume against comparator" "Trend" "Harm" \
    "Violence against the person" "0.89 x England" "0.90 x England" "score 2 × weight 2" \
    "10.2 days per resident" \
    "No comparator" "24" "16" "12" \
    "each total is the sum of score × weight over the criteria" "2 × 2 + 5 × 1 + 5 × 3 = 24" \
    "1 below 0.8, 2 below 0.95" "5 getting worse"

# a headline from 1 to 10 shows two decimals, its interval's ends too and
# the comparator its own (8.3 is from 1 to 10 as well)
reading="Violence against the person: 7.25 per 1,000 residents, "
reading+="significantly lower than England (8.30); rising over 2018."
expect "$p_violence" "Crime · Priority 1 of 3" "Violence against the person" "7.25" \
    "per 1,000 residents" "95% interval 6.93 to 7.58" "Count 1,953 of 269,500" \
    "Compared with England" "England: 8.30" \
    "Better" "Lower is better" "Increasing: 2 points above the upper process limit" \
    "$reading"
expect $((p_violence + 1)) "Violence against the person (continued)" \
    "Source: police.uk street-level crime. Method: Byar's method; exact Poisson below 10 events."
expect "$p_admissions" "Health · Priority 2 of 3" "Hospital admissions for violence" "40.1" \
    "95% interval 35.6 to 45.0" "England: 44.9" "Similar" "Not enough points (4 of 5)" \
    "Source: OHID Fingertips."
expect "$p_survey" "Survey · Priority 3 of 3" "Feel safe outside after dark" "57.7%" \
    "95% interval 54.4% to 60.9%" "Count 683 of 1,183" \
    "No comparator" "Not compared" "Higher is better" "One wave: no trend" \
    "57.7% of residents feel safe outside after dark" \
    "Note: Excludes input survey-2017 (left out with --allow-invalid)"
# the caveat is on its own indicator's page only
for n in "$p_violence" "$p_admissions"; do
    expect_not "$n" "Excludes input survey-2017"
done

expect "$p_quality" "Data quality" "police-street" "6,094" "5,671" "423" "Oct 2018 to Dec 2018" \
    "Where the rows went" "No population" "Outside period" "2,088" "1,953" "135" \
    "missing: Jan 2018 to Sep 2018" "1 Feb 2019" "Excluded" "Used" "17:5" "code-list" \
    "sex must be one of Female, Male, Other" "LSOA code E01016735 has no population row"
expect "$p_methods" "Method notes" "ONS mid-year population estimates" \
    "Comparisons with England follow Fingertips" \
    "Method: Weighted proportion; Wilson interval on Kish effective sample."

# every page renders, and poppler has nothing to say about any of them
pdftoppm -png -r 50 "$pdf" "$tmp/png/p" 2>"$tmp/pdftoppm.err" || fail "pdftoppm failed"
[ ! -s "$tmp/pdftoppm.err" ] || fail "pdftoppm complained: $(cat "$tmp/pdftoppm.err")"
rendered=$(find "$tmp/png" -name 'p-*.png' | wc -l)
[ "$rendered" -eq "$pages" ] || fail "pdftoppm rendered $rendered pages, expected $pages"

cmp -s "$pdf" "$tmp/b/assessment-pack.pdf" || fail "the pack written twice differs"
echo "check-pack: ok ($pages pages)"
