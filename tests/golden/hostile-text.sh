#!/bin/bash
# Hostile text in every text field that reaches an output (issue 20 cases
# 4 and 5): formulas (=HYPERLINK(...), =1+1, +1+1, @SUM(1), -2+3) and
# control characters (U+0001, ESC[2J) in the config's titles and themes,
# the police file's outcomes and crime types, and the survey's groups and
# answers. The outputs are read back: every CSV cell (text that a
# spreadsheet would read as a formula starts with a quote), the workbook
# with openpyxl (it opens, no cell is a formula but the priorities'
# totals) and every XML part of it with an XML parser (chart titles are
# text, never references), every SVG with an XML parser; and the
# terminal output of csa run and csa validate holds no control byte; the
# web page holds the text escaped, with no control byte.
set -eu
csa=$(realpath "$1") src=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
FAIL() { echo "FAIL: $*"; fail=1; }
export SOURCE_DATE_EPOCH=1700000000
py=/usr/bin/python3

cp -r "$src/data-samples" "$tmp/data"
$py - "$tmp/data" <<'PY'
import sys
data = sys.argv[1]
ESC, SOH = "\x1b", "\x01"
def edit(path, fn):
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(fn(text))

# the config: the assessment's title, indicator titles and a theme
def config(s):
    for old, new in [
            ("title = Milton Keynes Community Safety Partnership",
             'title = =HYPERLINK("http://x.example","click")'),
            ("title = Burglary", "title = =1+1"),
            ("title = Vehicle crime", "title = +1+1"),
            ("title = Criminal damage and arson", "title = @SUM(1)"),
            ("theme = Health", "theme = -2+3")]:
        assert old in s, old
        s = s.replace(old, new)
    return s
edit(f"{data}/assessment.ini", config)

# the police file: five outcomes no one publishes, echoed into findings
PAYLOADS = ["=1+1", '"=HYPERLINK(""http://x.example"",""click"")"', ESC + "[2Jcleared",
            "+1+1" + SOH, "@SUM(1)"]
def police(s):
    lines, n = s.split("\n"), 0
    for i, line in enumerate(lines):
        if n < len(PAYLOADS) and line.endswith(",Burglary,Investigation complete; no suspect identified,"):
            lines[i] = line.replace("Investigation complete; no suspect identified", PAYLOADS[n])
            n += 1
    assert n == len(PAYLOADS)
    return "\n".join(lines)
edit(f"{data}/police/2018-10-milton-keynes-street.csv", police)

# the survey: groups (the sex column) and answers that are payloads
def survey(s):
    lines = s.split("\n")
    for i in range(1, 41):
        cols = lines[i].split(",")
        cols[4] = ["=1+1", "@SUM(1)" + SOH + ESC + "[2J"][i % 2]
        cols[6] = ["=1+1", "+1+1" + SOH][i % 2]
        lines[i] = ",".join(cols)
    return "\n".join(lines)
edit(f"{data}/survey/community-survey-2018.csv", survey)
PY
cfg="$tmp/data/assessment.ini"

# the checks, on a finished output folder: $1 the folder, then what must be
# found: "csv FILE COLUMN VALUE", "cell VALUE" (a string cell), "title
# VALUE" (a chart's) or "doc-title VALUE" (the file's title); <SOH>,
# <ESC> and <FFFD> in them stand for U+0001, U+001B and U+FFFD
check_outputs() {
    $py - "$@" <<'PY'
import csv, glob, json, os, re, sys, zipfile
import xml.etree.ElementTree as ET
import openpyxl
out = sys.argv[1]
wants = [w.replace("<SOH>", "\x01").replace("<ESC>", "\x1b").replace("<FFFD>", "\ufffd")
         for w in sys.argv[2:]]
bad = []
FORMULA = tuple("=+-@\t\r")
def number(s):
    try:
        float(s)
        return True
    except ValueError:
        return False

# every CSV cell: a formula-like text starts with a quote; numbers stay numbers
cells = {}
for path in sorted(glob.glob(f"{out}/*.csv")):
    name = os.path.basename(path)
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if v.startswith(FORMULA) and not number(v):
                bad.append(f"{name} row {r + 1} column {c + 1}: {v!r} would be a formula")
    cells[name] = rows

# the workbook opens; no cell is a formula but the priorities' totals
strings = set()
try:
    wb = openpyxl.load_workbook(f"{out}/assessment.xlsx")
except Exception as e:
    bad.append(f"assessment.xlsx does not open: {e}")
    wb = []
for ws in wb:
    for row in ws.iter_rows():
        for cell in row:
            v = cell.value
            if cell.data_type == "f":
                if not (ws.title == "Priorities" and re.fullmatch(r"=([A-Z]+\d+\*[A-Z]+\d+\+?)+", v)):
                    bad.append(f"{ws.title}!{cell.coordinate} is a formula: {v!r}")
            elif isinstance(v, str):
                strings.add(v)
                if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", v):
                    bad.append(f"{ws.title}!{cell.coordinate} holds a control character: {v!r}")

# every XML part of the workbook parses; chart titles are text, and every
# reference in a chart is a range of cells
with zipfile.ZipFile(f"{out}/assessment.xlsx") as z:
    for n in z.namelist():
        if n.endswith((".xml", ".rels")):
            try:
                ET.fromstring(z.read(n))
            except ET.ParseError as e:
                bad.append(f"assessment.xlsx {n}: {e}")
        if re.fullmatch(r"xl/charts/chart\d+\.xml", n):
            for f in re.findall(r"<c:f>([^<]*)</c:f>", z.read(n).decode()):
                if not re.fullmatch(r"'?[^!]+'?!\$[A-Z]+\$\d+(:\$[A-Z]+\$\d+)?", f):
                    bad.append(f"{n}: reference {f!r} is not a range of cells")
    titles = {t for n in z.namelist() if n.startswith("xl/charts/")
              for t in re.findall(r"<a:t>([^<]*)</a:t>", z.read(n).decode())}
    core = ET.fromstring(z.read("docProps/core.xml"))
    doc_title = core.findtext("{http://purl.org/dc/elements/1.1/}title")

# every SVG parses
for path in sorted(glob.glob(f"{out}/*.svg")):
    try:
        ET.parse(path)
    except ET.ParseError as e:
        bad.append(f"{os.path.basename(path)}: {e}")
json.load(open(f"{out}/manifest.json"))

i = 0
while i < len(wants):
    kind = wants[i]
    if kind == "csv":
        name, col, value = wants[i + 1:i + 4]
        rows = cells.get(name, [[]])
        k = rows[0].index(col) if col in rows[0] else -1
        if k < 0 or value not in [r[k] for r in rows[1:] if len(r) > k]:
            bad.append(f"{name}: no {col} cell {value!r}")
        i += 4
    elif kind == "cell":
        if wants[i + 1] not in strings:
            bad.append(f"workbook: no string cell {wants[i + 1]!r}")
        i += 2
    elif kind == "title":
        if wants[i + 1] not in titles:
            bad.append(f"workbook: no chart title {wants[i + 1]!r}")
        i += 2
    elif kind == "doc-title":
        if wants[i + 1] != doc_title:
            bad.append(f"workbook: its title is {doc_title!r}, not {wants[i + 1]!r}")
        i += 2
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
PY
}

# no byte a terminal acts on (C0 but LF, DEL, C1 as UTF-8) in a file
no_controls() {
    ! LC_ALL=C grep -q -P '[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$1"
}

# ---- formulas and control characters from the config, outcomes and the survey
"$csa" run "$cfg" --out "$tmp/out" 2> "$tmp/stderr" || { cat "$tmp/stderr"; FAIL "run"; }
no_controls "$tmp/stderr" || FAIL "csa run printed a control character"
check_outputs "$tmp/out" \
    csv findings.csv Value "'=1+1" \
    csv findings.csv Value "'=HYPERLINK(\"http://x.example\",\"click\")" \
    csv findings.csv Value "'+1+1<SOH>" \
    csv findings.csv Value "'@SUM(1)" \
    csv findings.csv Message 'Last outcome category "\x1b[2Jcleared" is not one of the published values' \
    csv summary.csv Indicator "'=1+1" \
    csv summary.csv Indicator "'+1+1" \
    csv summary.csv Indicator "'@SUM(1)" \
    csv summary.csv Theme "'-2+3" \
    csv priorities.csv Indicator "'=1+1" \
    csv feel_safe_night-by-group.csv Group "'=1+1" \
    csv feel_safe_night-by-group.csv Group "'@SUM(1)<SOH><ESC>[2J" \
    cell '=HYPERLINK("http://x.example","click")' \
    cell "=1+1" \
    cell "+1+1<FFFD>" \
    cell "@SUM(1)<FFFD><FFFD>[2J" \
    title "'=1+1 by month" \
    doc-title '=HYPERLINK("http://x.example","click")' \
    || FAIL "outputs of the hostile run"
# the web page: the same text as text, escaped, never markup or a link;
# control characters replaced (U+FFFD)
page=$tmp/out/assessment.html
no_controls "$page" || FAIL "assessment.html holds a control character"
grep -qF '<h1>=HYPERLINK(&quot;http://x.example&quot;,&quot;click&quot;)</h1>' "$page" ||
    FAIL "assessment.html: the hostile title is not its h1, escaped"
grep -qF '@SUM(1)'$'\xef\xbf\xbd\xef\xbf\xbd''[2J' "$page" ||
    FAIL "assessment.html: the survey group's control characters are not U+FFFD"
grep -q 'href="http' "$page" && FAIL "assessment.html links out"

# ---- crime types no one publishes: the run stops, or leaves the input out
$py - "$tmp/data/police/2018-11-milton-keynes-street.csv" <<'PY'
import sys
path = sys.argv[1]
lines = open(path, encoding="utf-8").read().split("\n")
payloads = ['"=HYPERLINK(""http://x.example"",""click"")"', "\x1b[2J+1+1\x01"]
n = 0
for i, line in enumerate(lines):
    if n < 2 and ",Shoplifting," in line:
        lines[i] = line.replace(",Shoplifting,", "," + payloads[n] + ",")
        n += 1
open(path, "w", encoding="utf-8").write("\n".join(lines))
PY
status=0
"$csa" run "$cfg" --out "$tmp/out2" 2> "$tmp/stderr" || status=$?
[ "$status" = 1 ] || { cat "$tmp/stderr"; FAIL "a crime type not in the list: exit $status, not 1"; }
no_controls "$tmp/stderr" || FAIL "csa run printed a crime type's control characters"
grep -q -F '\x1b[2J+1+1\x01' "$tmp/stderr" || FAIL "csa run did not show the escaped crime type"
"$csa" run "$cfg" --out "$tmp/out2" --allow-invalid police 2> "$tmp/stderr" ||
    { cat "$tmp/stderr"; FAIL "run --allow-invalid"; }
no_controls "$tmp/stderr" || FAIL "csa run --allow-invalid printed a control character"
check_outputs "$tmp/out2" \
    csv findings.csv Value "'=HYPERLINK(\"http://x.example\",\"click\")" \
    cell "<FFFD>[2J+1+1<FFFD>" \
    || FAIL "outputs of the run with crime types no one publishes"

# ---- csa validate shows data on the terminal escaped, in text and JSON
for format in text json; do
    status=0
    "$csa" validate --spec police-street --format $format "$tmp"/data/police/*.csv \
        > "$tmp/validate.out" 2> "$tmp/validate.err" || status=$?
    [ "$status" = 1 ] || FAIL "validate --format $format: exit $status, not 1"
    no_controls "$tmp/validate.out" || FAIL "validate --format $format printed a control character"
    no_controls "$tmp/validate.err" || FAIL "validate --format $format: control character on stderr"
    [ $format = json ] || grep -q -F '"\x1b[2Jcleared"' "$tmp/validate.out" ||
        FAIL "validate did not show the escaped outcome"
done

exit $fail
