#!/bin/bash
# csa run under address-space limits (ulimit -v; issue 20 case 15): every
# run either finishes (exit 0) or stops with "out of memory" and exit 2;
# never a signal, never GLib's or pango's own message (pango starts a
# thread per font lookup, and GLib ends the process when it cannot). At
# 50 MB the run must stop. Skipped under AddressSanitizer, which reserves
# more address space than any such limit allows.
set -eu
csa=$(realpath "$1") src=$(realpath "$2")
if ldd "$csa" | grep -q -E 'libasan|libtsan'; then
    echo "SKIP: sanitizer build"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
FAIL() { echo "FAIL: $*"; fail=1; }

cp -r "$src/data-samples" "$tmp/data"
for mb in 50 90 100 110 120 130 140 160; do
    status=0
    (ulimit -v $((mb * 1024)); exec "$csa" run "$tmp/data/assessment.ini" --out "$tmp/out" --quiet) \
        > "$tmp/stdout" 2> "$tmp/stderr" || status=$?
    if [ "$status" = 2 ]; then
        grep -q "out of memory" "$tmp/stderr" || FAIL "$mb MB: exit 2 without 'out of memory'"
    elif [ "$status" != 0 ]; then
        FAIL "$mb MB: exit $status"
    fi
    [ "$mb" != 50 ] || [ "$status" = 2 ] || FAIL "50 MB: exit $status, not 2"
    ! grep -q -E 'GLib|Pango|Fontconfig|cairo' "$tmp/stderr" || FAIL "$mb MB: a library's message"
    [ "$fail" = 0 ] || { cat "$tmp/stderr"; break; }
    echo "$mb MB: exit $status $(head -c 160 "$tmp/stderr")"
done
exit $fail
