#!/usr/bin/env bash
# For profiling only: replaces dist's wasm with the same build plus its
# function names (wasm-bindgen, then wasm-opt with index.html's options and
# -g), split as the release build is, so Chromium's profiles and traces
# name our functions (those of the first module; the second has no names).
# The function indices are those of the release wasm. Run after `trunk build
# --release --offline`; a new `trunk build` puts the release wasm back.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

target="$ROOT/dist"
wasm=$(ls "$target"/*_bg.wasm)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wasm-bindgen --target web --no-typescript --out-dir "$work" --out-name saplay-ui \
  "$ROOT/target/wasm32-unknown-unknown/release/saplay-ui.wasm"
params=$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' "$ROOT/index.html")
# shellcheck disable=SC2086 # the options are words
wasm-opt -Oz -g $params --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals "$work/saplay-ui_bg.wasm" -o "$wasm"
# Split it as the build does (scripts/split/split_site.py profiles this
# named module), so that the primary keeps the names; the second module
# is made again from it too.
rm -f "$target"/*_cold.wasm
sed -i '/<meta name="saplay-cold-wasm"/d' "$target/index.html"
python3 "$ROOT/scripts/split/split_site.py" "$target"
# split_site.py names the primary after its new contents.
primary=$(ls "$target"/*_bg.wasm)
log "named build written as $primary ($(stat -c %s "$primary") bytes, split)"
