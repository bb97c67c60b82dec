# Sourced by the golden tests that build their own police months on a copy
# of data-samples/: sample_real_months DIR leaves out the copy's GENERATED
# history (police-history/ and its place in the config's files line), so
# the police input holds the real months only.
sample_real_months() {
    rm -r "$1/police-history"
    sed -i 's# police-history/\*\.csv##' "$1/assessment.ini"
}

# sample_without_maps DIR: the copy's config draws no maps (the boundaries
# line removed): for the goldens whose many runs are about other things
# (tests/golden/maps.sh checks the maps), which the maps would slow.
sample_without_maps() {
    sed -i '/^boundaries = /d' "$1/assessment.ini"
}
