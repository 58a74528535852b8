# shellcheck shell=bash
# Shared set-up for scripts/serve and scripts/test: installs what is missing,
# at pinned versions, from the package registries only (never a download from
# anywhere else). Every step is skipped when it is already done, so a second
# run costs seconds.

TRUNK_VERSION=0.21.14
# Must equal the `wasm-bindgen = "=…"` pin in Cargo.toml and Trunk.toml's [tools].
WASM_BINDGEN_VERSION=0.2.130

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"

log() { printf '==> %s\n' "$*" >&2; }

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

# Debian packages, installed only when a command is missing.
ensure_debian_packages() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  if ((${#missing[@]})); then
    log "installing Debian packages: ${missing[*]}"
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

ensure_trunk() {
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    log "installing trunk $TRUNK_VERSION (takes several minutes once)"
    cargo install --locked trunk --version "$TRUNK_VERSION"
  fi
}

ensure_wasm_bindgen() {
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    # Not --locked: that version's lock file names a crate the registry lacks.
    cargo install --force wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
  fi
}

# wasm-opt (npm binaryen) and playwright-core, pinned by package-lock.json.
ensure_node_modules() {
  local stamp="$ROOT/node_modules/.saplay-lock"
  if ! cmp -s "$ROOT/package-lock.json" "$stamp"; then
    log "installing node tools (npm ci)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$ROOT/package-lock.json" "$stamp"
  fi
}

# The release build runs a first visit in headless Chromium to learn which
# functions start-up needs (scripts/split/split_site.py), so building needs
# Chromium as testing does.
ensure_build_tools() {
  ensure_wasm_target
  ensure_debian_packages python3:python3 chromium:chromium
  ensure_node_modules
  ensure_wasm_bindgen
  ensure_trunk
}

# check_disk GB: a clean build of everything the tests need takes about GB
# of disk; say so up front rather than fail half-way with "No space left on device".
check_disk() {
  local need_gb=${1:?} avail_kb
  avail_kb=$(df -Pk "$ROOT" | awk 'NR == 2 { print $4 }')
  log "free disk: $((avail_kb / 1024 / 1024)) GB (a clean build needs about $need_gb GB)"
  if ((avail_kb < need_gb * 1024 * 1024)); then
    log "warning: less free disk than a clean build needs; free some (e.g. old target/ folders) if the build fails"
  fi
}

ensure_test_tools() {
  check_disk 5
  ensure_build_tools
  ensure_debian_packages chromedriver:chromium-driver
}

# Builds the release site into dist/ (relative URLs: works from any sub-path).
build_site() {
  log "building the release site into dist/"
  (cd "$ROOT" && cargo fetch --locked && trunk build --release --offline "$@")
}
