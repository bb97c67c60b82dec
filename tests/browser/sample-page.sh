#!/bin/bash
# The sample assessment's web page for browser.sh: csa run on a copy of
# data-samples/assessment.ini (every kind of chart the fixture lacks: maps,
# heat charts, higher areas, partner indicators, history), the page only.
# Usage: sample-page.sh CSA SOURCE_ROOT FOLDER
set -euo pipefail
csa=$(realpath "$1") root=$(realpath "$2") folder=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$root/data-samples" "$tmp/data"
SOURCE_DATE_EPOCH=1700000000 "$csa" run "$tmp/data/assessment.ini" --out "$tmp/out" --format html --quiet
cp "$tmp/out/assessment.html" "$folder/"
