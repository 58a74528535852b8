#!/usr/bin/env bash
# For profiling only: replaces dist's wasm with the same build plus its
# function names (wasm-bindgen, then wasm-opt with index.html's options and
# -g), so Chromium's profiles and traces name our functions. The function
# indices are those of the release wasm. Run after `trunk build --release
# --offline`; a new `trunk build` puts the release wasm back.
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
# Trunk's index.html pins the wasm by its hash (subresource integrity).
old=$(sed -n 's/.*_bg.wasm" crossorigin="anonymous" integrity="\([^"]*\)".*/\1/p' "$target/index.html")
new="sha384-$(openssl dgst -sha384 -binary "$wasm" | base64 -w0)"
sed -i "s|$old|$new|" "$target/index.html"
log "named build written over $wasm ($(stat -c %s "$wasm") bytes)"
