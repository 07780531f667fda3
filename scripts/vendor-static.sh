#!/usr/bin/env bash
# Refresh the vendored front-end files from the npm registry at the pinned versions below.
# The result is committed; run this only to change a version, then review the diff.
set -euo pipefail

UTRECHT_CSS=9.0.4          # @utrecht/component-library-css: NL Design System components
UTRECHT_TOKENS=5.0.1       # @utrecht/design-tokens: the theme (CSS custom properties)
HTMX=2.0.11                # htmx.org, 2.0.x line
AXE=4.14.1                 # axe-core: accessibility scan in the browser tests only

root=$(cd "$(dirname "$0")/.." && pwd)
static="$root/src/koers/core/static/vendor"
axe_dir="$root/src/koers/core/tests/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() {  # fetch NAME VERSION -> unpacked into $work/NAME
  local name=$1 version=$2 dir="$work/${1//\//_}"
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "$name@$version" >/dev/null && tar xzf ./*.tgz)
  echo "$dir/package"
}

pkg=$(fetch @utrecht/component-library-css "$UTRECHT_CSS")
mkdir -p "$static/utrecht"
cp "$pkg/dist/index.css" "$static/utrecht/component-library.css"
cp "$pkg/LICENSE.md" "$static/utrecht/LICENSE-component-library.md" 2>/dev/null || true

pkg=$(fetch @utrecht/design-tokens "$UTRECHT_TOKENS")
cp "$pkg/dist/index.css" "$static/utrecht/design-tokens.css"
cp "$pkg/LICENSE.md" "$static/utrecht/LICENSE-design-tokens.md" 2>/dev/null || true

pkg=$(fetch htmx.org "$HTMX")
mkdir -p "$static/htmx"
cp "$pkg/dist/htmx.min.js" "$static/htmx/htmx.min.js"
cp "$pkg/LICENSE" "$static/htmx/LICENSE" 2>/dev/null || true

pkg=$(fetch axe-core "$AXE")
mkdir -p "$axe_dir"
cp "$pkg/axe.min.js" "$axe_dir/axe.min.js"
cp "$pkg/LICENSE" "$axe_dir/LICENSE-axe-core" 2>/dev/null || true

cat > "$static/VERSIONS" <<TXT
@utrecht/component-library-css $UTRECHT_CSS
@utrecht/design-tokens $UTRECHT_TOKENS
htmx.org $HTMX
axe-core $AXE (tests only)
TXT
echo "Vendored: $(tr '\n' ';' < "$static/VERSIONS")"
