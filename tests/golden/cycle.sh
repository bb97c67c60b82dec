#!/bin/bash
# The partners' data cycle (issue 18) on the sample: three partners submit
# (the police on time with three monthly files, the NHS five days late, the
# council first with errors, then corrected), csa status shows exactly that,
# csa run uses the latest valid versions, the data-quality CSV and the pack
# show the lateness, every version stays in the store under its SHA-256,
# eight parallel submits are all recorded, and damaged registers are
# reported and left byte for byte as they were.
# Inputs: data-samples/ (police/, health/, survey/ and the references);
# every expected value is recomputed here (sha256sum, python3's csv and
# sqlite3 modules).
set -eu
csa=$(realpath "$1") src=$(realpath "$2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT; [ -n "${KEEP:-}" ] && trap - EXIT && echo "kept $tmp"
fail=0
FAIL() { echo "FAIL: $*"; fail=1; }
has() { grep -qF -- "$2" "$1" || FAIL "$(basename "$1") lacks: $2"; }
at() { date -u -d "$1" +%s; }

d=$tmp/data
mkdir -p "$d/sent"
cp -r "$src/data-samples/police" "$d/"
cp "$src/data-samples/imd2019-milton-keynes.csv" "$src/data-samples/population-milton-keynes.csv" \
   "$src/data-samples/lsoa-lookup-milton-keynes.csv" "$d/"
cp "$src/data-samples/health/fingertips-violence-mk.csv" "$d/sent/fingertips.csv"
cp "$src/data-samples/survey/community-survey-2018.csv" "$d/sent/survey.csv"
# the council's first try: a weight that is no number, an area code of no shape
sed -e '3s/,1\.081,/,heavy,/' -e '5s/,E05009418,/,X05009418,/' "$d/sent/survey.csv" \
    > "$d/sent/survey-first.csv"
cmp -s "$d/sent/survey.csv" "$d/sent/survey-first.csv" && FAIL "the first survey was not damaged"

cat > "$d/assessment.ini" <<'EOF'
[assessment]
title = Milton Keynes Community Safety Partnership
area = Milton Keynes
la_code = E06000042
period = 2018-10 to 2018-12
compare_with = none
output = out
deprivation = imd
population = population
lsoa_lookup = lookup

[input.police]
spec = police-street
from = register

[input.imd]
spec = imd
files = imd2019-milton-keynes.csv

[input.population]
spec = population
files = population-milton-keynes.csv

[input.lookup]
spec = lsoa-lookup
files = lsoa-lookup-milton-keynes.csv

[input.health]
spec = fingertips
from = register

[input.survey]
spec = survey
from = register

[partner.police]
organisation = Thames Valley Police
contact = Data Officer, data@example.org
inputs = police
due = 2019-01-15

[partner.nhs]
organisation = NHS Milton Keynes
contact = Public health intelligence
inputs = health
due = 2019-01-15

[partner.council]
organisation = Milton Keynes City Council
contact = Community safety team
inputs = survey
due = 2019-01-20

[indicator.violence]
title = Violence and sexual offences
input = police
crime_types = Violence and sexual offences
comparator_value = 7.1

[indicator.admissions]
title = Hospital admissions for violence
theme = Health
input = health
indicator_id = 11201

[indicator.feel_safe_night]
title = Feel safe outside after dark
theme = Public confidence
input = survey
question = feel_safe_night
polarity = high-is-good
EOF
cd "$d"

# ---- the requests: what each partner is to send ----
SOURCE_DATE_EPOCH=$(at 2018-12-03T09:00Z) "$csa" request > "$tmp/request.out" 2>&1 ||
    FAIL "csa request: exit $?"
for p in police nhs council; do
    [ -f "requests/$p/manifest.json" ] || FAIL "csa request wrote no requests/$p"
done
for s in police-street fingertips survey; do "$csa" specs $s > "$tmp/spec-$s.txt"; done
pdftotext requests/nhs/letter.pdf "$tmp/letter.txt"
pdftotext requests/police/letter.pdf - | tr -s ' \n' '  ' > "$tmp/police-letter.txt"
has "$tmp/police-letter.txt" "(one file a month, with rows for every month from October 2018 to December 2018)"
has "$tmp/police-letter.txt" "csa validate --spec police-street FILE"
[ "$(pdfinfo requests/nhs/letter.pdf | awk '/^Pages:/ {print $2}')" = 1 ] || FAIL "letter: not one page"
# the validator page goes in each folder, and the letter says how to use it
printf '<!doctype html><title>validator</title>\n' > "$tmp/page.html"
SOURCE_DATE_EPOCH=$(at 2018-12-03T09:00Z) "$csa" request --validator "$tmp/page.html" \
    --out "$tmp/with-page" > "$tmp/request-page.out" 2>&1 || FAIL "csa request --validator: exit $?"
for p in police nhs council; do
    cmp -s "$tmp/page.html" "$tmp/with-page/$p/validator.html" || FAIL "no validator.html in $p's request"
done
grep -qF "request.xlsx, validator.html, letter.pdf for" "$tmp/request-page.out" ||
    FAIL "csa request does not say it wrote the page"
pdftotext "$tmp/with-page/police/letter.pdf" - | tr -s ' \n' '  ' > "$tmp/page-letter.txt"
has "$tmp/page-letter.txt" "or in a web browser: open validator.html (in this folder), choose \"police-street\" and drop all the files on it at once; they never leave your computer"
has "$tmp/page-letter.txt" "Check the monthly files together before sending them (a month given twice or missing, or a record in two files, is found so) with: csa validate --spec police-street FILE..."
[ "$(pdfinfo "$tmp/with-page/police/letter.pdf" | awk '/^Pages:/ {print $2}')" = 1 ] || FAIL "letter with the page: not one page"
if "$csa" request --validator "$tmp/no-page.html" --out "$tmp/bad-page" > /dev/null 2> "$tmp/bad-page.err"; then
    FAIL "csa request with a missing page: exit 0"
fi
grep -qF "no-page.html" "$tmp/bad-page.err" || { cat "$tmp/bad-page.err"; FAIL "a missing page is not named"; }
[ ! -e "$tmp/bad-page" ] || FAIL "a failed request left a folder"
/usr/bin/python3 - "$d" "$tmp" "$tmp/letter.txt" <<'PY' || fail=1
import csv, re, sys, openpyxl
d, tmp, letter = sys.argv[1:]
ok = True
def spec_columns(name):  # from csa specs (cli/specs.c), not the request's code
    cols = []
    for l in open(f"{tmp}/spec-{name}.txt"):
        m = re.match(r"^  (\S.*?)  \((.+?), (required|optional)", l)
        if m:
            cols.append((m[1], m[2], "yes" if m[3] == "required" else "no"))
    return cols
def header(path): return next(csv.reader(open(path, encoding="utf-8-sig")))
want = {
    # a real police.uk file's header, and the Fingertips export's
    "police": ("police", "police-street", header(f"{d}/police/2018-10-milton-keynes-street.csv")),
    "nhs": ("health", "fingertips", header(f"{d}/sent/fingertips.csv")),
    # the survey spec's columns, then the answer the config's indicator reads
    "council": ("survey", "survey", [c[0] for c in spec_columns("survey")] + ["feel_safe_night"]),
}
for partner, (inp, spec, cols) in want.items():
    got = open(f"{d}/requests/{partner}/{inp}-template.csv").read()
    # header names match in any case (Fingertips exports vary: "Compared to Region")
    if got.lower() != ",".join(cols).lower() + "\n":
        print(f"FAIL: {partner} template: {got!r} != {cols}"); ok = False
    if [c[0].lower() for c in spec_columns(spec)] != [c.lower() for c in cols[:len(spec_columns(spec))]]:
        print(f"FAIL: {partner} template differs from csa specs {spec}"); ok = False
    wb = openpyxl.load_workbook(f"{d}/requests/{partner}/request.xlsx")
    rows = [r for r in wb[inp].iter_rows(values_only=True)]
    top = rows.index(("Column", "Type", "Required", "Allowed values", "Example", "Description"))
    described = [(r[0], r[1], r[2]) for r in rows[top + 1:] if r[0]]
    if described[:len(spec_columns(spec))] != spec_columns(spec) or \
       [r[0] for r in described] != got.rstrip("\n").split(",") or any(not r[5] for r in rows[top + 1:]):
        print(f"FAIL: {partner} workbook columns: {described}"); ok = False
    about = {r[0]: r[1] for r in wb["Request"].iter_rows(values_only=True)}
    due = {"police": "2019-01-15", "nhs": "2019-01-15", "council": "2019-01-20"}[partner]
    if about.get("Due") != due or about.get("Period") != "October 2018 to December 2018" or \
       about.get("Partner") != partner:
        print(f"FAIL: {partner} workbook Request sheet: {about}"); ok = False
# the police month column's allowed values and example, from the spec
rows = list(openpyxl.load_workbook(f"{d}/requests/police/request.xlsx")["police"].iter_rows(values_only=True))
month = next(r for r in rows if r[0] == "Month")
crime = next(r for r in rows if r[0] == "Crime type")
if "Violence and sexual offences" not in crime[3] or not month[4]:
    print(f"FAIL: police workbook: {month} {crime}"); ok = False
text = " ".join(open(letter).read().split())
for phrase in ("Data request: Milton Keynes Community Safety Partnership",
               "To: Public health intelligence, NHS Milton Keynes",
               "Date: 3 December 2018", "Due: 15 January 2019",
               "Please send the data below by 15 January 2019",
               "health: OHID Fingertips \"all data\" export, as CSV with the header of health-template.csv",
               "csa validate --spec fingertips FILE",
               "data received after 15 January 2019 is shown as late"):
    if phrase not in text:
        print(f"FAIL: letter lacks: {phrase}\n{text}"); ok = False
sys.exit(0 if ok else 1)
PY

# ---- before anything is sent ----
SOURCE_DATE_EPOCH=$(at 2019-01-17T12:00Z) "$csa" status > "$tmp/status0" 2>&1 ||
    FAIL "csa status with no register: exit $?"
# 2 days past the police's and the NHS's due date, 3 days before the council's
grep -Eq '^police +police +2019-01-15 +- +2 +not received ' "$tmp/status0" ||
    FAIL "status before any submission: $(cat "$tmp/status0")"
grep -Eq '^council +survey +2019-01-20 +- +0 +not received ' "$tmp/status0" ||
    FAIL "status before any submission: $(cat "$tmp/status0")"
[ ! -e submissions.sqlite ] || FAIL "csa status made a register"
set +e
SOURCE_DATE_EPOCH=$(at 2019-01-17T12:00Z) "$csa" run assessment.ini --quiet > "$tmp/run0" 2>&1
rc=$?
set -e
[ "$rc" = 1 ] || FAIL "csa run with no register: exit $rc, not 1"
has "$tmp/run0" "there is no register yet: csa submit makes it with the first submission"

# ---- the submissions ----
SOURCE_DATE_EPOCH=$(at 2019-01-14T16:30Z) "$csa" submit --partner police police/*.csv \
    > "$tmp/police.out" 2>&1 || FAIL "police submit: exit $?"
has "$tmp/police.out" "received 2019-01-14 (due 2019-01-15, on time), valid (0 errors, 0 warnings), 6094 rows"
SOURCE_DATE_EPOCH=$(at 2019-01-20T10:00Z) "$csa" submit --partner nhs sent/fingertips.csv \
    > "$tmp/nhs.out" 2>&1 || FAIL "nhs submit: exit $?"
has "$tmp/nhs.out" "received 2019-01-20 (due 2019-01-15, 5 days late), valid"
set +e
SOURCE_DATE_EPOCH=$(at 2019-01-18T09:00Z) "$csa" submit --partner council --input survey \
    sent/survey-first.csv > "$tmp/council1.out" 2>&1
rc=$?
set -e
[ "$rc" = 1 ] || FAIL "a submission with errors: exit $rc, not 1"
has "$tmp/council1.out" "sent/survey-first.csv:3:3: error [bad-number] weight \"heavy\" is not a number"
has "$tmp/council1.out" "sent/survey-first.csv:5:2: error [bad-area-code] area code \"X05009418\""
has "$tmp/council1.out" "NOT valid (2 errors, 0 warnings)"
# until corrected, status shows the errors, and a run has no survey to use
SOURCE_DATE_EPOCH=$(at 2019-01-19T12:00Z) "$csa" status > "$tmp/status1" || FAIL "status: exit $?"
grep -Eq '^council +survey +2019-01-20 +2019-01-18 +0 +not valid +2 +0 +- +- +[0-9a-f]{12} +1$' \
    "$tmp/status1" || FAIL "status after the first survey: $(cat "$tmp/status1")"
set +e
"$csa" run assessment.ini --quiet > "$tmp/run1" 2>&1
rc=$?
set -e
[ "$rc" = 1 ] || FAIL "csa run with no valid survey: exit $rc, not 1"
has "$tmp/run1" "[input.survey] is from the register, which has no valid submission of it (csa status shows why): csa submit --partner council --input survey FILE..."
SOURCE_DATE_EPOCH=$(at 2019-01-21T08:00Z) "$csa" submit --partner council sent/survey.csv \
    > "$tmp/council2.out" 2>&1 || FAIL "council resubmit: exit $?"
has "$tmp/council2.out" "received 2019-01-21 (due 2019-01-20, 1 day late), valid"

# bad usage records nothing
set +e
"$csa" submit --partner fire sent/survey.csv > "$tmp/u1" 2>&1; r1=$?
"$csa" submit --partner nhs --input survey sent/survey.csv > "$tmp/u2" 2>&1; r2=$?
set -e
[ "$r1" = 2 ] && [ "$r2" = 2 ] || FAIL "bad usage: exit $r1 and $r2, not 2"
has "$tmp/u1" "assessment.ini declares no [partner.fire]"
has "$tmp/u2" "[partner.nhs] does not supply input 'survey': its inputs are health"

# ---- csa status: exactly what was sent ----
SOURCE_DATE_EPOCH=$(at 2019-02-01T12:00Z) "$csa" status > "$tmp/status" || FAIL "csa status: exit $?"
SOURCE_DATE_EPOCH=$(at 2019-02-01T12:00Z) "$csa" status --json > "$tmp/status.json" ||
    FAIL "csa status --json: exit $?"
/usr/bin/python3 - "$tmp/status" "$tmp/status.json" "$d" <<'PY' || fail=1
import csv, hashlib, json, re, sys
table, js, d = sys.argv[1:]
def sha(p): return hashlib.sha256(open(p, "rb").read()).hexdigest()
police = [f"{d}/police/2018-{m}-milton-keynes-street.csv" for m in ("10", "11", "12")]
want = [
    ["Partner", "Input", "Due", "Received", "Days late", "Status", "Errors", "Warnings",
     "Covers", "Missing", "Latest", "Versions"],
    ["police", "police", "2019-01-15", "2019-01-14", "0", "valid", "0", "0",
     "Oct 2018 to Dec 2018", "none", sha(police[0])[:12] + "+2", "1"],
    ["nhs", "health", "2019-01-15", "2019-01-20", "5", "valid", "0", "0", "-", "-",
     sha(f"{d}/sent/fingertips.csv")[:12], "1"],
    ["council", "survey", "2019-01-20", "2019-01-21", "1", "valid", "0", "0", "-", "-",
     sha(f"{d}/sent/survey.csv")[:12], "2"],
]
lines = open(table).read().splitlines()
ok = True
got = [re.split(r"  +", l.rstrip()) for l in lines]
if got != want:
    print("FAIL: csa status:\n" + "\n".join(lines)); ok = False
# aligned: every cell starts where its header does
starts = [m.start() for m in re.finditer(r"(?:(?<=  )|^)\S", lines[0])]
for l in lines[1:]:
    cells = [m.start() for m in re.finditer(r"(?:(?<=  )|^)\S", l)]
    if cells != starts:
        print(f"FAIL: not aligned: {l}"); ok = False
j = json.load(open(js))
rows = {r["input"]: r for r in j["inputs"]}
if rows["health"]["days_late"] != 5 or rows["health"]["received"] != "2019-01-20" or \
   rows["survey"]["versions"] != 2 or rows["police"]["covers"] != "Oct 2018 to Dec 2018" or \
   rows["health"]["covers"] is not None or rows["survey"]["status"] != "valid":
    print(f"FAIL: csa status --json: {j}"); ok = False
# the first survey is recorded, with its two findings
import sqlite3
db = sqlite3.connect(f"{d}/submissions.sqlite")
(version,), = db.execute("PRAGMA user_version")
subs = db.execute("SELECT partner, input, valid, errors, rows FROM submission ORDER BY id").fetchall()
rows_survey = sum(1 for _ in csv.reader(open(f"{d}/sent/survey.csv"))) - 1
if version != 1 or subs != [("police", "police", 1, 0, 6094), ("nhs", "health", 1, 0, 200),
                            ("council", "survey", 0, 2, rows_survey),
                            ("council", "survey", 1, 0, rows_survey)]:
    print(f"FAIL: register: version {version}, {subs}"); ok = False
found = db.execute("SELECT file, line, col, check_name FROM finding WHERE submission = 3 "
                   "ORDER BY line").fetchall()
if found != [("sent/survey-first.csv", 3, 3, "bad-number"),
             ("sent/survey-first.csv", 5, 2, "bad-area-code")]:
    print(f"FAIL: findings: {found}"); ok = False
sys.exit(0 if ok else 1)
PY

# ---- csa run: the latest valid versions ----
SOURCE_DATE_EPOCH=$(at 2019-02-01T12:00Z) "$csa" run assessment.ini --quiet > "$tmp/run" 2>&1 ||
    { FAIL "csa run: exit $?"; cat "$tmp/run"; }
/usr/bin/python3 - "$d" <<'PY' || fail=1
import csv, hashlib, json, sys
d = sys.argv[1]
def sha(p): return hashlib.sha256(open(p, "rb").read()).hexdigest()
m = json.load(open(f"{d}/out/manifest.json"))
by_spec = {}
for i in m["inputs"]:
    by_spec.setdefault(i["spec"], []).append(i["sha256"])
want = {"police-street": [sha(f"{d}/police/2018-{x}-milton-keynes-street.csv") for x in ("10", "11", "12")],
        "fingertips": [sha(f"{d}/sent/fingertips.csv")],
        "survey": [sha(f"{d}/sent/survey.csv")]}   # the corrected one, not the first
ok = True
for spec, digests in want.items():
    if by_spec.get(spec) != digests:
        print(f"FAIL: manifest {spec}: {by_spec.get(spec)} != {digests}"); ok = False
q = {r["Input"]: r for r in csv.DictReader(open(f"{d}/out/data-quality.csv"))}
for name, received, due, late in (("health", "2019-01-20 10:00:00", "2019-01-15", "5"),
                                  ("survey", "2019-01-21 08:00:00", "2019-01-20", "1"),
                                  ("police", "2019-01-14 16:30:00", "2019-01-15", "0")):
    r = q[name]
    if (r["Received (UTC)"], r["Due"], r["Days late"], r["Last modified (UTC)"]) != (received, due, late, ""):
        print(f"FAIL: data-quality {name}: {r}"); ok = False
r = q["imd"]
if r["Received (UTC)"] or r["Days late"] or not r["Last modified (UTC)"]:
    print(f"FAIL: data-quality imd (read from its file): {r}"); ok = False
sys.exit(0 if ok else 1)
PY
# the workbook's Data quality files and Provenance: received, due, days late
/usr/bin/python3 - "$d" <<'PY' || fail=1
import sys, datetime, openpyxl
d = sys.argv[1]
wb = openpyxl.load_workbook(f"{d}/out/assessment.xlsx")
ok = True
for sheet, head in (("Data quality", "Received (UTC)"), ("Provenance", "Received (UTC)")):
    ws = wb[sheet]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    top = next(i for i, r in enumerate(rows) if head in r)
    cols = rows[top]
    rc, dc, lc, mc = (cols.index(h) for h in (head, "Due", "Days late", cols[cols.index(head) - 1]))
    got = {}
    for r in rows[top + 1:]:
        if not r[0]:
            break
        got.setdefault(r[0], (r[rc], r[dc], r[lc], r[mc]))
    want = {"health": (datetime.datetime(2019, 1, 20, 10), "2019-01-15", 5, None),
            "survey": (datetime.datetime(2019, 1, 21, 8), "2019-01-20", 1, None)}
    for k, v in want.items():
        if got.get(k) != v:
            print(f"FAIL: workbook {sheet} {k}: {got.get(k)} != {v}"); ok = False
    if got["imd"][0] is not None or got["imd"][3] is None:
        print(f"FAIL: workbook {sheet} imd: {got['imd']}"); ok = False
sys.exit(0 if ok else 1)
PY
pdftotext -layout out/assessment-pack.pdf "$tmp/pack-layout.txt"
has "$tmp/pack-layout.txt" "Received or"
has "$tmp/pack-layout.txt" "last modified"
pdftotext out/assessment-pack.pdf - | tr -s ' \n' '  ' > "$tmp/pack.txt"
has "$tmp/pack.txt" "5 days late"

# ---- digest reuse: the register's digests stand for files unchanged ----
# the first run took the 5 stored copies' digests from the register (recorded
# by csa submit) and recorded the other 3; the next run reads only the file
# touched since: 7 of the 8 reused
has "$tmp/pack.txt" "the SHA-256 of 5 input files in the manifest came from the submissions register"
cp out/manifest.json "$tmp/manifest1.json"
inputs() { /usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["inputs"])' "$1"; }
touch -d 2019-03-01 imd2019-milton-keynes.csv
SOURCE_DATE_EPOCH=$(at 2019-02-01T12:00Z) "$csa" run assessment.ini --quiet > "$tmp/run2" 2>&1 ||
    FAIL "second csa run: exit $?"
pdftotext out/assessment-pack.pdf - | tr -s ' \n' '  ' > "$tmp/pack2.txt"
has "$tmp/pack2.txt" "the SHA-256 of 7 input files in the manifest came from the submissions register"
[ "$(inputs out/manifest.json)" = "$(inputs "$tmp/manifest1.json")" ] ||
    FAIL "the second run's manifest inputs differ"
/usr/bin/python3 - "$d" <<'PY' || fail=1
import hashlib, json, os, sys
d = sys.argv[1]
for i in json.load(open(f"{d}/out/manifest.json"))["inputs"]:
    path = os.path.normpath(os.path.join(f"{d}/out", i["path"]))
    if hashlib.sha256(open(path, "rb").read()).hexdigest() != i["sha256"]:
        print(f"FAIL: manifest digest of {path}"); sys.exit(1)
PY

# ---- every version in the store under its digest ----
n=0
for f in store/*; do
    n=$((n + 1))
    [ "$(sha256sum < "$f" | cut -c1-64)" = "$(basename "$f")" ] || FAIL "store: $f is not its digest"
    [ "$(stat -c %a "$f")" = 444 ] || FAIL "store: $f is not read-only"
done
[ "$n" = 6 ] || FAIL "store holds $n files, not 6 (3 police, 1 NHS, 2 survey)"
cmp -s "store/$(sha256sum < sent/survey-first.csv | cut -c1-64)" sent/survey-first.csv ||
    FAIL "the first survey's version is not kept"
ls -a store | grep -q incoming && FAIL "store: a temporary file is left"

# the same bytes sent again: a new submission, the same stored version
SOURCE_DATE_EPOCH=$(at 2019-02-02T08:00Z) "$csa" submit --partner nhs sent/fingertips.csv > /dev/null ||
    FAIL "nhs resubmit: exit $?"
[ "$(ls store | wc -l)" = 6 ] || FAIL "the same bytes stored twice"

# ---- eight submits at once: none lost ----
pids=()
for k in 1 2 3 4 5 6 7 8; do
    sed "$((k + 1))d" sent/survey.csv > "sent/survey-$k.csv" # each one respondent fewer
    SOURCE_DATE_EPOCH=$(at 2019-02-03T08:00Z) "$csa" submit --partner council "sent/survey-$k.csv" \
        > "$tmp/par$k" 2>&1 &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || FAIL "a parallel submit failed: $(cat "$tmp"/par*)"; done
/usr/bin/python3 - "$d" <<'PY' || fail=1
import hashlib, os, sqlite3, sys
d = sys.argv[1]
db = sqlite3.connect(f"{d}/submissions.sqlite")
got = sorted(r[0] for r in db.execute(
    "SELECT f.sha256 FROM submission s JOIN submission_file f ON f.submission = s.id "
    "WHERE s.received = (SELECT max(received) FROM submission)"))
want = sorted(hashlib.sha256(open(f"{d}/sent/survey-{k}.csv", "rb").read()).hexdigest()
              for k in range(1, 9))
(n,), = db.execute("SELECT count(*) FROM submission")
if got != want or n != 13:
    print(f"FAIL: parallel submits: {n} submissions, {len(got)} of the 8"); sys.exit(1)
for h in want:
    if not os.path.exists(f"{d}/store/{h}"):
        print(f"FAIL: parallel submit {h} not stored"); sys.exit(1)
PY

# four at once into a register none of them has yet: it is made once
sed "s#^output = out#output = out\nregister = fresh/register.sqlite#" assessment.ini > fresh.ini
mkdir fresh
pids=()
for k in 1 2 3 4; do
    SOURCE_DATE_EPOCH=$(at 2019-02-04T08:00Z) "$csa" submit --config fresh.ini --partner council \
        "sent/survey-$k.csv" > "$tmp/fresh$k" 2>&1 &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || FAIL "a first submit failed: $(cat "$tmp"/fresh*)"; done
[ "$(/usr/bin/python3 -c "import sqlite3; print(sqlite3.connect('fresh/register.sqlite').execute('SELECT count(*) FROM submission').fetchone()[0])")" = 4 ] ||
    FAIL "four first submits: not 4 recorded"
[ "$(ls fresh/store | wc -l)" = 4 ] || FAIL "four first submits: not 4 stored"

# ---- damaged registers: reported, never replaced ----
damaged() { # NAME what-to-expect: the register file $d/NAME is left as it was
    sed "s#^output = out#output = out\nregister = $1#" assessment.ini > "$1.ini"
    cp "$1" "$tmp/before"
    set +e
    "$csa" status --config "$1.ini" > "$tmp/d1" 2>&1; local r1=$?
    "$csa" submit --config "$1.ini" --partner nhs sent/fingertips.csv > "$tmp/d2" 2>&1; local r2=$?
    "$csa" run "$1.ini" --quiet > "$tmp/d3" 2>&1; local r3=$?
    set -e
    [ "$r1$r2$r3" = 111 ] || FAIL "$1: exits $r1 $r2 $r3, not 1 1 1"
    for o in d1 d2 d3; do has "$tmp/$o" "$2"; done
    cmp -s "$1" "$tmp/before" || FAIL "$1 was changed"
    [ ! -e "$1-journal" ] || FAIL "$1 has a journal left"
}
printf 'partner,input,received\nnhs,health,2019-01-20\n' > not-sqlite.sqlite
damaged not-sqlite.sqlite "not-sqlite.sqlite: is not a csa submissions register (not a SQLite database, or damaged): restore it from a backup"
/usr/bin/python3 -c "
import sqlite3; db = sqlite3.connect('other.sqlite'); db.execute('CREATE TABLE t (x)'); db.commit()
db = sqlite3.connect('future.sqlite'); db.execute('CREATE TABLE submission (x)'); db.execute('PRAGMA user_version = 7'); db.commit()
db = sqlite3.connect('cut.sqlite'); db.execute('CREATE TABLE submission (id)'); db.execute('PRAGMA user_version = 1'); db.commit()"
damaged other.sqlite "other.sqlite: is a SQLite database but not a csa submissions register"
damaged future.sqlite "future.sqlite: is a register of version 7, and this csa reads version 1"
damaged cut.sqlite "cut.sqlite: is a register of version 1 whose tables are not as csa made them"
# half of a real register (a copy cut short)
head -c 3000 submissions.sqlite > half.sqlite
damaged half.sqlite "half.sqlite: is not a csa submissions register"

exit $fail
