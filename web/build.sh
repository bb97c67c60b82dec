#!/bin/sh
# Builds the validator page, OUT/validator.html: one self-contained file
# (CSS, script and the WebAssembly module inline) that runs csa validate's
# own C code (ingest/, web/validator.c) in a partner's browser.
#
# usage: web/build.sh SOURCE_ROOT OUT C_SOURCE...
#
# web/meson.build names the C sources: web/validator.c, ingest's, and the
# few engine files validation needs (`ninja -C build web/validator.html`).
#
# Needs Debian's emscripten (emcc), and libcsv's source, which Debian's
# libcsv-dev does not ship: the Debian source package's upstream tarball is
# fetched from deb.debian.org into OUT/libcsv once and checked against the
# SHA-256 its .dsc (libcsv 3.0.3+dfsg-6, bookworm) gives. Debian's patches
# to it change documentation, examples and a comment only. Offline, put the
# tarball at OUT/libcsv/ first, or name it in CSA_LIBCSV_TARBALL.
set -eu

root=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)
shift 2

tarball=libcsv_3.0.3+dfsg.orig.tar.gz
sha256=06fddfaca720a4be7603bad63eb1833bca5b6c5a69b42b1c518a02cda2a73aef
url=https://deb.debian.org/debian/pool/main/libc/libcsv/$tarball

mkdir -p "$out/libcsv"
if [ -n "${CSA_LIBCSV_TARBALL:-}" ]; then
    cp "$CSA_LIBCSV_TARBALL" "$out/libcsv/$tarball"
elif [ ! -f "$out/libcsv/$tarball" ]; then
    curl -sSfL --retry 3 -o "$out/libcsv/$tarball.part" "$url"
    mv "$out/libcsv/$tarball.part" "$out/libcsv/$tarball"
fi
if ! echo "$sha256  $out/libcsv/$tarball" | sha256sum -c --status; then
    echo "web/build.sh: $out/libcsv/$tarball is not Debian's libcsv 3.0.3 source (SHA-256 differs)" >&2
    rm -f "$out/libcsv/$tarball"
    exit 1
fi
tar -xzf "$out/libcsv/$tarball" -C "$out/libcsv" libcsv-3.0.3/libcsv.c libcsv-3.0.3/csv.h
csv="$out/libcsv/libcsv-3.0.3"

# Debian's emscripten runs its JavaScript optimiser with node, which needs
# Debian's node-acorn: found on NODE_PATH when node is not Debian's own
export NODE_PATH="${NODE_PATH:+$NODE_PATH:}/usr/share/nodejs"

# ASYNCIFY: the C code waits for each chunk the browser reads (page_read).
emcc -std=c11 -O2 -D_GNU_SOURCE -Wall -Wextra -Werror -Wformat=2 \
    -I"$root/include" -I"$csv" "$@" "$csv/libcsv.c" \
    --no-entry -sENVIRONMENT=web -sMODULARIZE=1 -sEXPORT_NAME=csaValidator \
    -sSINGLE_FILE=1 -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=2GB \
    -sASYNCIFY=1 -sASYNCIFY_STACK_SIZE=65536 -sFORCE_FILESYSTEM=1 \
    -sEXPORTED_FUNCTIONS=_page_specs,_page_validate,_page_output,_page_output_length,_free \
    -sEXPORTED_RUNTIME_METHODS=ccall,FS,UTF8ToString,HEAPU8 \
    -o "$out/validator.js"

# The page: the module's script goes in place of the template's
# "/* MODULE */" line, whole. A "</script" inside it would end the page's
# script early.
if grep -qi '</script' "$out/validator.js"; then
    echo "web/build.sh: the module's script holds '</script': it cannot be inlined" >&2
    exit 1
fi
[ "$(grep -c '^/\* MODULE \*/$' "$root/web/validator.html")" = 1 ] || {
    echo "web/build.sh: web/validator.html must hold one line '/* MODULE */'" >&2
    exit 1
}
awk -v module="$out/validator.js" '
    $0 == "/* MODULE */" { while ((getline line < module) > 0) print line; next }
    { print }' "$root/web/validator.html" > "$out/validator.html.part"
mv "$out/validator.html.part" "$out/validator.html"
