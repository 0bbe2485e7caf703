#!/usr/bin/env bash
# What the production-shaped stack (npm run stack:prod, docs/deploy.md) needs beyond bootstrap:
#   - PostgreSQL and HAProxy from Debian's packages (apt-get install, as root, when missing)
#   - the real Temporal server and its SQL schema tool, built from source with `go install`, cached
#     outside the clone so a machine builds it once (about 5 minutes on 2 cores):
#
#   $BATON_TEMPORAL_HOME   default ~/.cache/baton/temporal-server-v1.29.1
#     bin/temporal-server        go.temporal.io/server/cmd/server@v1.29.1
#     bin/temporal-sql-tool      go.temporal.io/server/cmd/tools/sql@v1.29.1
#     schema/postgresql/v12/     the module's PostgreSQL schemas (temporal/ and visibility/ versioned dirs)
#
#   scripts/stack-prod-setup.sh           installs and builds what is missing (idempotent; a no-op when done)
#   scripts/stack-prod-setup.sh --paths   installs nothing; prints {"home": …, "server": …, "sqlTool": …,
#                                            "schema": …} as JSON, or exits 3 saying what is missing
set -euo pipefail

TEMPORAL_VERSION=v1.29.1
TEMPORAL_HOME="${BATON_TEMPORAL_HOME:-$HOME/.cache/baton/temporal-server-$TEMPORAL_VERSION}"
SERVER="$TEMPORAL_HOME/bin/temporal-server"
SQL_TOOL="$TEMPORAL_HOME/bin/temporal-sql-tool"
SCHEMA="$TEMPORAL_HOME/schema/postgresql/v12"

say() { printf 'stack-prod-setup: %s\n' "$*" >&2; }

paths() {
  local missing=""
  [ -x "$SERVER" ] || missing="$missing $SERVER"
  [ -x "$SQL_TOOL" ] || missing="$missing $SQL_TOOL"
  [ -d "$SCHEMA/temporal/versioned" ] || missing="$missing $SCHEMA/temporal/versioned"
  [ -d "$SCHEMA/visibility/versioned" ] || missing="$missing $SCHEMA/visibility/versioned"
  if [ -n "$missing" ]; then
    say "not built: missing$missing (scripts/stack-prod-setup.sh builds it)"
    return 3
  fi
  printf '{"home":"%s","server":"%s","sqlTool":"%s","schema":"%s"}\n' "$TEMPORAL_HOME" "$SERVER" "$SQL_TOOL" "$SCHEMA"
}

build() {
  mkdir -p "$TEMPORAL_HOME"
  # One build per machine at a time: a second caller waits for the first, then finds it built.
  exec 9>"$TEMPORAL_HOME/.build.lock"
  flock 9
  if paths >/dev/null 2>&1; then
    say "already built in $TEMPORAL_HOME"
    return 0
  fi
  command -v go >/dev/null 2>&1 || { say "Go is required (https://go.dev/dl/)"; return 1; }
  local t0 log="$TEMPORAL_HOME/build.log" gobin="$TEMPORAL_HOME/gobin"
  t0=$(date +%s)
  mkdir -p "$TEMPORAL_HOME/bin" "$gobin"
  say "go install go.temporal.io/server/cmd/server@$TEMPORAL_VERSION and cmd/tools/sql (about 5 minutes on 2 cores; log: $log)..."
  if ! GOBIN="$gobin" CGO_ENABLED=0 go install "go.temporal.io/server/cmd/server@$TEMPORAL_VERSION" \
    "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_VERSION" >>"$log" 2>&1; then
    tail -n 30 "$log" >&2
    say "the build failed (log: $log)"
    return 1
  fi
  mv -f "$gobin/server" "$SERVER"
  mv -f "$gobin/sql" "$SQL_TOOL"
  rmdir "$gobin" 2>/dev/null || true
  # The schemas ship in the module source go install just downloaded.
  local module
  module="$(go env GOMODCACHE)/go.temporal.io/server@$TEMPORAL_VERSION"
  [ -d "$module/schema/postgresql/v12" ] || { say "no schema/postgresql/v12 in $module"; return 1; }
  rm -rf "$TEMPORAL_HOME/schema"
  mkdir -p "$TEMPORAL_HOME/schema/postgresql"
  cp -R "$module/schema/postgresql/v12" "$SCHEMA"
  chmod -R u+w "$TEMPORAL_HOME/schema"
  paths >/dev/null || { say "built, but something is still missing (log: $log)"; return 1; }
  say "built in $(($(date +%s) - t0))s"
}

# PostgreSQL's server (initdb, postgres) and HAProxy, from Debian's packages.
packages() {
  local missing=()
  compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null || command -v initdb >/dev/null 2>&1 || missing+=(postgresql)
  command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
  command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    say "missing ${missing[*]}: install them (Debian: sudo apt-get install ${missing[*]})"
    return 1
  fi
  local t0
  t0=$(date +%s)
  say "installing ${missing[*]} (apt-get)..."
  DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null || { say "apt-get update failed"; return 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null ||
    { say "apt-get install ${missing[*]} failed"; return 1; }
  say "installed ${missing[*]} in $(($(date +%s) - t0))s"
}

case "${1:-}" in
  --paths) paths ;;
  "")
    packages
    build
    paths
    ;;
  *)
    say "usage: scripts/stack-prod-setup.sh [--paths]"
    exit 2
    ;;
esac
