#!/bin/bash
# The web page in a real browser (issue 19): the fixture's assessment.html
# opened in headless chromium, driven by puppeteer-core, checked by
# axe-core for WCAG 2.1 A and AA, for requests leaving the page and for
# sideways scrolling at 320 px; screenshots at 1280 and 375 px are left in
# the build folder (tests/browser-shots, or tests/browser-shots-NAME) to be
# looked at. MAKE_PAGE is called with ARGS and then the folder, where it
# writes assessment.html.
# Usage: browser.sh MAKE_PAGE SOURCE_ROOT BUILD_DIR [NAME [ARGS...]]
set -euo pipefail
make_page=$1 root=$2 build=$3 name=${4:-}
shift 3; [ $# -gt 0 ] && shift
here=$root/tests/browser
chromium=${CHROMIUM:-/usr/bin/chromium}
command -v node >/dev/null || { echo "browser: node is not installed (apt-get install nodejs npm)" >&2; exit 1; }
[ -x "$chromium" ] || { echo "browser: no $chromium (apt-get install chromium)" >&2; exit 1; }
# the pinned packages (the README's test command installs them with npm
# ci); installed here too when missing or not the lock's versions
pinned() {
    node -e 'const d = process.argv[1], lock = require(d + "/package-lock.json");
        for (const p of ["puppeteer-core", "axe-core"])
            if (require(d + "/node_modules/" + p + "/package.json").version !==
                lock.packages["node_modules/" + p].version) process.exit(1);' "$here" 2>/dev/null
}
pinned || npm ci --prefix "$here" --no-audit --no-fund >&2
shots=$build/tests/browser-shots${name:+-$name}
rm -rf "$shots"
mkdir -p "$shots"
"$make_page" "$@" "$shots"
node "$here/check-page.js" "$shots/assessment.html" "$shots" "$chromium"
