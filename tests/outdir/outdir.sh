#!/bin/bash
# The output folder, all or nothing (issue 20 cases 1, 2, 3): symbolic links
# planted at every temporary name csa ever used, kill -9 at every step of the
# commit (the output layer's CSA_TEST_OUTDIR_PAUSE hook), failing steps
# (CSA_TEST_OUTDIR_FAIL, a folder named manifest.json in the way), debris of
# killed runs removed by the next run, a re-run without an indicator leaving
# exactly the manifest's files, and two runs into one folder at once.
set -eu
csa=$(realpath "$1") src=$(realpath "$2")
tmp=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$tmp"' EXIT
fail=0
FAIL() { echo "FAIL: $*"; fail=1; }
cp -r "$src/data-samples" "$tmp/data"
# the sample assessment made small: what this test checks is the output
# folder, not the figures (sample.sh)
. "$src/tests/golden/sample.sh"
sample_small "$tmp/data/assessment.ini" > "$tmp/data/small.ini"
cfg="$tmp/data/small.ini"
out="$tmp/out"
export SOURCE_DATE_EPOCH=1700000000

# DIR holds exactly manifest.json and the outputs it lists, each with its
# size and SHA-256, and was written by the run of epoch EPOCH (its
# "created"); checked here, not by csa
exact() { # dir epoch what
    /usr/bin/python3 - "$1" "$2" <<'PY' || FAIL "$3"
import datetime, hashlib, json, os, sys
d, epoch = sys.argv[1], int(sys.argv[2])
m = json.load(open(f"{d}/manifest.json"))
want = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
names = sorted(o["path"] for o in m["outputs"])
bad = []
if m["created"] != want:
    bad.append(f"created {m['created']}, expected {want}")
if sorted(os.listdir(d)) != sorted(names + ["manifest.json"]):
    extra = set(os.listdir(d)) - set(names) - {"manifest.json"}
    missing = set(names) - set(os.listdir(d))
    bad.append(f"files not as listed: extra {sorted(extra)[:5]}, missing {sorted(missing)[:5]}")
for o in m["outputs"]:
    p = f"{d}/{o['path']}"
    if os.path.islink(p) or not os.path.isfile(p):
        bad.append(f"{o['path']} is not a regular file")
        continue
    b = open(p, "rb").read()
    if len(b) != o["bytes"] or hashlib.sha256(b).hexdigest() != o["sha256"]:
        bad.append(f"{o['path']}: {len(b)} bytes, not as the manifest says")
if bad:
    print(*bad, sep="\n")
    sys.exit(1)
PY
}
# the private folders beside the output folder
private() { find "$tmp" -maxdepth 1 -name '.out.csa-??????' | sort; }

# ---- case 8: an output folder that is, or holds, the config's folder or an
# input's is a config error (a run replaces it whole); so is an empty one
# (in a copy of the data: an older csa wrote its outputs among them)
cp -r "$tmp/data" "$tmp/cfgdata"
line=$(grep -n '^output = ' "$cfg" | cut -d: -f1)
(cd "$tmp/cfgdata" && find . -type f | sort | xargs sha256sum) > "$tmp/data.sums"
for value in '' . .. police new/../police health/x/..; do
    sed "s#^output = .*#output = $value#" "$cfg" > "$tmp/cfgdata/bad.ini"
    set +e
    "$csa" run "$tmp/cfgdata/bad.ini" --quiet 2> "$tmp/err"
    st=$?
    set -e
    [ $st = 2 ] || FAIL "output = $value: exit $st, expected 2"
    case $value in
    '') want="bad.ini:$line: output has no value" ;;
    . | ..) want="bad.ini:$line: output $value is the config's folder or holds it, and a run replaces the whole output folder" ;;
    *) want="bad.ini:$line: output $value is an input's folder or holds it" ;;
    esac
    grep -qF "$want" "$tmp/err" || { cat "$tmp/err"; FAIL "output = $value: message lacks: $want"; }
done
rm "$tmp/cfgdata/bad.ini"
(cd "$tmp/cfgdata" && find . -type f | sort | xargs sha256sum) | cmp -s - "$tmp/data.sums" ||
    FAIL "a refused output folder changed the inputs"
"$csa" run "$tmp/cfgdata/small.ini" --out "" --quiet 2> "$tmp/err" && FAIL "--out '': exit 0"
grep -qF "csa: the output folder is empty: give one, such as csa-out" "$tmp/err" ||
    { cat "$tmp/err"; FAIL "--out '': message"; }

# ---- a first run: exactly the manifest's files, the folder's usual permissions
"$csa" run "$cfg" --out "$out" --quiet || FAIL "first run"
exact "$out" 1700000000 "first run"
[ -z "$(private)" ] || FAIL "first run left $(private)"
[ "$(stat -c %a "$out")" = "$(printf '%o' $((0777 & ~$(umask))))" ] ||
    FAIL "output folder mode $(stat -c %a "$out")"

# ---- case 1: links planted at every name the old scheme wrote through
# (.NAME.PID.tmp, with PID the run's: exec keeps the shell's), at the
# private folder's pattern, and at the output folder itself
mkdir "$tmp/victim"
echo precious > "$tmp/victim/file"
cp -r "$tmp/victim" "$tmp/victim.orig"
names=$(cd "$out" && ls)
SOURCE_DATE_EPOCH=1700000100 bash -c '
    for n in $3; do ln -s "$4/file" "$2/.$n.$$.tmp"; done
    exec "$0" run "$1" --out "$2" --quiet' "$csa" "$cfg" "$out" "$names" "$tmp/victim" ||
    FAIL "run with links planted at the old temporary names"
diff -r "$tmp/victim.orig" "$tmp/victim" >/dev/null || FAIL "wrote through a planted link"
exact "$out" 1700000100 "links at the old temporary names: removed with the old outputs"
# links and others' folders at the private folders' pattern stay as they are
ln -s "$tmp/victim" "$tmp/.out.csa-AAAAAA"
mkdir "$tmp/.out.csa-BBBBBB"
echo mine > "$tmp/.out.csa-BBBBBB/notes.txt"
"$csa" run "$cfg" --out "$out" --quiet || FAIL "run with the private pattern planted"
[ -L "$tmp/.out.csa-AAAAAA" ] && diff -r "$tmp/victim.orig" "$tmp/victim" >/dev/null ||
    FAIL "a link at the private folders' pattern was followed or removed"
[ "$(cat "$tmp/.out.csa-BBBBBB/notes.txt")" = mine ] || FAIL "removed a folder not csa's"
rm -r "$tmp/.out.csa-AAAAAA" "$tmp/.out.csa-BBBBBB"
exact "$out" 1700000000 "run after links at the private pattern"
# the output folder and the lock file as links: refused, nothing written through them
ln -s "$tmp/victim" "$tmp/linked"
"$csa" run "$cfg" --out "$tmp/linked" --quiet 2> "$tmp/err" && FAIL "output folder a link: exit 0"
grep -qF "$tmp/linked: the output folder is a symbolic link" "$tmp/err" || { cat "$tmp/err"; FAIL "output folder a link: message"; }
ln -s "$tmp/victim/lock" "$tmp/.locked.csa-lock"
"$csa" run "$cfg" --out "$tmp/locked" --quiet 2> "$tmp/err" && FAIL "lock file a link: exit 0"
grep -qF "cannot open its lock file .locked.csa-lock" "$tmp/err" || { cat "$tmp/err"; FAIL "lock file a link: message"; }
diff -r "$tmp/victim.orig" "$tmp/victim" >/dev/null || FAIL "wrote through a planted link"

# ---- case 2: kill -9 at every step of the commit. Before the switch the
# folder holds the previous run's outputs, after it the new run's, whole;
# each next run removes what the killed one left.
epoch=1700000000 # the outputs in place
n=0
for step in open written unmarked switch switched removing removed; do
    n=$((n + 1))
    new=$((1710000000 + n))
    SOURCE_DATE_EPOCH=$new CSA_TEST_OUTDIR_PAUSE=$step "$csa" run "$cfg" --out "$out" --quiet \
        2> "$tmp/err" &
    pid=$!
    pids+=("$pid")
    for _ in $(seq 600); do
        grep -q "test pause at $step" "$tmp/err" && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    grep -q "test pause at $step" "$tmp/err" || { cat "$tmp/err"; FAIL "$step: never paused"; }
    # the killed run before this one left its private folder; this run removed it
    [ "$(private | wc -l)" -le 1 ] || FAIL "$step: debris of the killed run not removed: $(private)"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    case $step in switched | removing | removed) epoch=$new ;; esac
    exact "$out" $epoch "killed at $step: not the whole of one run's outputs"
done
"$csa" run "$cfg" --out "$out" --quiet || FAIL "run after the killed ones"
exact "$out" 1700000000 "run after the killed ones"
[ -z "$(private)" ] || FAIL "debris of killed runs left: $(private)"
# where the file system cannot exchange two names, the folder moves aside
# first: killed in between, there is no output folder, then the next run
# writes it whole
SOURCE_DATE_EPOCH=1720000000 CSA_TEST_OUTDIR_NO_EXCHANGE=1 "$csa" run "$cfg" --out "$out" --quiet ||
    FAIL "run without RENAME_EXCHANGE"
exact "$out" 1720000000 "run without RENAME_EXCHANGE"
SOURCE_DATE_EPOCH=1720000001 CSA_TEST_OUTDIR_NO_EXCHANGE=1 CSA_TEST_OUTDIR_PAUSE=aside \
    "$csa" run "$cfg" --out "$out" --quiet 2> "$tmp/err" &
pid=$!
pids+=("$pid")
for _ in $(seq 600); do grep -q "test pause at aside" "$tmp/err" && break; sleep 0.05; done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
[ ! -e "$out" ] || FAIL "killed between the two renames: the output folder is still there"
"$csa" run "$cfg" --out "$out" --quiet || FAIL "run after a kill between the two renames"
exact "$out" 1700000000 "run after a kill between the two renames"
[ -z "$(private)" ] || FAIL "debris after a kill between the two renames: $(private)"

# ---- a failing step keeps the previous outputs and leaves nothing behind
for step in fsync written unmarked switch aside; do
    extra=
    [ $step = aside ] && extra=1
    set +e
    SOURCE_DATE_EPOCH=1730000000 CSA_TEST_OUTDIR_FAIL=$step CSA_TEST_OUTDIR_NO_EXCHANGE=$extra \
        "$csa" run "$cfg" --out "$out" --quiet 2> "$tmp/err"
    st=$?
    set -e
    [ $st = 2 ] || FAIL "$step failing: exit $st, expected 2"
    grep -qF "csa: $out" "$tmp/err" || { cat "$tmp/err"; FAIL "$step failing: message lacks the output"; }
    exact "$out" 1700000000 "$step failing: previous outputs changed"
    [ -z "$(private)" ] || FAIL "$step failing: left $(private)"
done
grep -qF "cannot switch in the new outputs: Input/output error; the previous outputs are as they were" \
    "$tmp/err" || FAIL "failing switch: message"

# ---- a folder that is not csa's is never replaced: a folder named
# manifest.json in the way, a file of the user's
mkdir -p "$tmp/other/manifest.json"
"$csa" run "$cfg" --out "$tmp/other" --quiet 2> "$tmp/err" && FAIL "manifest.json a folder: exit 0"
grep -qF "$tmp/other/manifest.json: the output folder holds files but no csa manifest.json" "$tmp/err" ||
    { cat "$tmp/err"; FAIL "manifest.json a folder: message"; }
[ -d "$tmp/other/manifest.json" ] || FAIL "manifest.json a folder: removed"
cp "$out/summary.csv" "$out/notes.txt"
"$csa" run "$cfg" --out "$out" --quiet 2> "$tmp/err" && FAIL "a file of the user's: exit 0"
grep -qF "$out/notes.txt: the output folder holds notes.txt, which its manifest.json does not list" \
    "$tmp/err" || { cat "$tmp/err"; FAIL "a file of the user's: message"; }
[ -f "$out/notes.txt" ] || FAIL "a file of the user's: removed"
rm "$out/notes.txt"

# ---- case 3: an older csa's temporary files go with the outputs they were
# beside; a re-run without an indicator leaves none of its files
for n in summary.csv assessment.xlsx; do head -c 100 "$out/$n" > "$out/.$n.4242.tmp"; done
ls "$out" | grep -q '^damage-' || FAIL "no files of [indicator.damage] to begin with"
sed '/^\[indicator.damage\]/,/^$/d' "$cfg" > "$tmp/data/less.ini"
"$csa" run "$tmp/data/less.ini" --out "$out" --quiet || FAIL "run without [indicator.damage]"
exact "$out" 1700000000 "run without [indicator.damage]"
ls "$out" | grep -q '^damage-' && FAIL "[indicator.damage]'s files left behind"

# ---- two runs into one folder at once: the second stops, saying why, and
# leaves the first's private folder alone
CSA_TEST_OUTDIR_PAUSE=written "$csa" run "$cfg" --out "$out" --quiet 2> "$tmp/err" &
pid=$!
pids+=("$pid")
for _ in $(seq 600); do grep -q "test pause at written" "$tmp/err" && break; sleep 0.05; done
first=$(private)
set +e
"$csa" run "$cfg" --out "$out" --quiet 2> "$tmp/err2"
st=$?
set -e
[ $st = 2 ] || FAIL "second run at once: exit $st, expected 2"
grep -qF "$out: another csa run is writing this output folder" "$tmp/err2" ||
    { cat "$tmp/err2"; FAIL "second run at once: message"; }
[ -n "$first" ] && [ "$(private)" = "$first" ] && [ -f "$first/.csa-partial" ] ||
    FAIL "second run at once touched the first's folder"
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true

[ $fail = 0 ] && echo "outdir: all checks passed"
exit $fail
