#!/bin/sh
# Vendor the front-end packages of frontend/package.json into the web package: the built files
# and their licences, committed, so that pages load nothing from a CDN. Run from the repository
# root (or `make vendor`) after changing a version; npm is needed only here, never at run time.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENDOR="$ROOT/src/tehgraph/web/static/vendor"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp "$ROOT/frontend/package.json" "$WORK/"
[ -f "$ROOT/frontend/package-lock.json" ] && cp "$ROOT/frontend/package-lock.json" "$WORK/"
(cd "$WORK" && npm install --no-audit --no-fund --ignore-scripts --silent)
cp "$WORK/package-lock.json" "$ROOT/frontend/package-lock.json"
M="$WORK/node_modules"

copy() { # copy PACKAGE DEST FILE...
    package=$1; dest=$2; shift 2
    rm -rf "${VENDOR:?}/$dest"; mkdir -p "$VENDOR/$dest"
    for file in "$@"; do cp "$M/$package/$file" "$VENDOR/$dest/"; done
    for licence in LICENSE LICENSE.md LICENSE.txt license; do
        [ -f "$M/$package/$licence" ] && cp "$M/$package/$licence" "$VENDOR/$dest/LICENSE"
    done
    node -e "const p=require('$M/$package/package.json');console.log(p.name+' '+p.version+' ('+p.license+')')" \
        > "$VENDOR/$dest/VERSION"
}

copy @zazuko/yasgui yasgui build/yasgui.min.js build/yasgui.min.css
copy chart.js chart.js dist/chart.umd.min.js
copy chartjs-chart-matrix chartjs-chart-matrix dist/chartjs-chart-matrix.min.js
copy cytoscape cytoscape dist/cytoscape.min.js
copy simple-datatables simple-datatables dist/umd/simple-datatables.js dist/style.css
# @zazuko/yasgui ships no licence file: its package.json says MIT; keep the text with its authors.
if [ ! -f "$VENDOR/yasgui/LICENSE" ]; then
    node -e "const p=require('$M/@zazuko/yasgui/package.json');console.log('MIT License\n\nCopyright (c) '+p.author+', Zazuko GmbH and the YASGUI contributors ('+p.repository.url+')\n')" \
        > "$VENDOR/yasgui/LICENSE"
    cat >> "$VENDOR/yasgui/LICENSE" <<'MIT'
Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
MIT
fi
echo "vendored into $VENDOR"
