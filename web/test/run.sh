#!/bin/sh
# The validator page's browser test (validator.test.js beside this), or a
# skip that says why: with no emcc there is no page (web/meson.build), with
# no chromium nothing to open it in.
#
# usage: run.sh CSA SOURCE_ROOT PAGE SCREENSHOT   (PAGE "" when not built)
set -u
csa=$1 root=$2 page=$3 shot=$4
if [ -z "$page" ]; then
    echo "SKIP: emcc (Debian's emscripten) was not found when this build was set up, so there is no validator page to test"
    exit 77
fi
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
    echo "SKIP: no $chromium (Debian's chromium) to open the validator page in"
    exit 77
fi
if [ ! -d "$root/web/node_modules/puppeteer-core" ]; then
    echo "FAIL: $root/web/node_modules has no puppeteer-core: run 'npm ci --prefix web' first (the README's test command does)"
    exit 1
fi
CHROMIUM=$chromium exec node "$root/web/test/validator.test.js" "$csa" "$root" "$page" "$shot"
