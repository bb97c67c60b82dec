# Sourced by the golden tests that build their own police months on a copy
# of data-samples/: sample_real_months DIR leaves out the copy's GENERATED
# history (police-history/ and its place in the config's files line), so
# the police input holds the real months only, and the partners' SYNTHETIC
# extracts (their inputs of spec indicator and partner-incidents and the
# indicators on them), which hold the sample's months and no others.
sample_real_months() {
    rm -r "$1/police-history"
    sed -i 's# police-history/\*\.csv##' "$1/assessment.ini"
    /usr/bin/python3 - "$1/assessment.ini" <<'PY'
import re, sys
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
sections = re.split(r"(?m)^(?=\[)", text)
def key(s, k):
    m = re.search(rf"(?m)^{k} = (.*)$", s)
    return m.group(1).strip() if m else None
partners = {s.split("]")[0][len("[input."):] for s in sections
            if s.startswith("[input.") and key(s, "spec") in ("indicator", "partner-incidents")}
keep = [s for s in sections
        if not (s.startswith("[input.") and s.split("]")[0][len("[input."):] in partners)
        and not (s.startswith("[indicator.") and key(s, "input") in partners)]
open(path, "w", encoding="utf-8").write("".join(keep))
PY
}

# sample_without_maps DIR: the copy's config draws no maps (the boundaries
# line and their input removed: an input nothing reads is warned of): for
# the goldens whose many runs are about other things (tests/golden/maps.sh
# checks the maps), which the maps would slow.
sample_without_maps() {
    /usr/bin/python3 - "$1/assessment.ini" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
s = re.sub(r"(?m)^boundaries = .*\n", "", s)
s = re.sub(r"(?m)^\[input\.lsoa_shapes\]\n(?:[^\[\n][^\n]*\n|\n)*", "", s)
open(sys.argv[1], "w").write(s)
PY
}

# sample_small INI: the sample config on stdout with two of its police
# indicators (burglary, damage), the three real months without the
# generated history, and no partner inputs: every kind of output (CSV, PNG,
# SVG, workbook, pack, web page, manifest) in a fraction of the time, for
# the tests of the output folder rather than of the figures
sample_small() {
    /usr/bin/python3 - "$1" <<'PY'
import re, sys
parts = re.split(r"(?m)^(?=\[)", open(sys.argv[1]).read())
drop = ("[input.fire]", "[input.council_asb]", "[input.ae]")
keep = [p for p in parts if not p.startswith(drop) and (not p.startswith("[indicator.")
        or p.startswith(("[indicator.burglary]", "[indicator.damage]")))]
print("".join(keep).replace("police/*.csv police-history/*.csv", "police/*.csv"), end="")
PY
}
