#!/usr/bin/env bash
# Helm, for the chart's test (engine/config/test/helm-chart.test.ts runs `helm lint` and `helm template`
# on deploy/helm/baton). Built from source with `go install` and cached outside the clone, so a machine
# builds it once (a few minutes on 2 cores; seconds when Go's build cache has it):
#
#   $BATON_HELM_HOME/helm   default ~/.cache/baton/helm/helm: helm.sh/helm/v4/cmd/helm@v4.3.2
#
#   scripts/helm.sh           builds it when missing (idempotent; a no-op when built)
#   scripts/helm.sh --path    builds nothing; prints the binary's path, or exits 3 saying it is missing
set -euo pipefail

HELM_VERSION=v4.3.2
HELM_HOME="${BATON_HELM_HOME:-$HOME/.cache/baton/helm}"
HELM="$HELM_HOME/helm"

say() { printf 'helm: %s\n' "$*" >&2; }

path() {
  if [ -x "$HELM" ] && "$HELM" version --short >/dev/null 2>&1; then
    printf '%s\n' "$HELM"
    return 0
  fi
  say "not built: no $HELM (scripts/helm.sh builds it)"
  return 3
}

build() {
  mkdir -p "$HELM_HOME"
  # One build per machine at a time: a second caller waits for the first, then finds it built.
  exec 9>"$HELM_HOME/.build.lock"
  flock 9
  if path >/dev/null 2>&1; then
    return 0
  fi
  command -v go >/dev/null 2>&1 || { say "Go is required (https://go.dev/dl/)"; return 1; }
  local t0 log="$HELM_HOME/build.log" gobin="$HELM_HOME/gobin"
  t0=$(date +%s)
  mkdir -p "$gobin"
  say "go install helm.sh/helm/v4/cmd/helm@$HELM_VERSION (log: $log)..."
  # Outside the clone: go install of a module@version needs no go.mod, and must not see the repo's.
  if ! (cd "$HELM_HOME" && GOBIN="$gobin" CGO_ENABLED=0 go install "helm.sh/helm/v4/cmd/helm@$HELM_VERSION") >>"$log" 2>&1; then
    tail -n 30 "$log" >&2
    say "the build failed (log: $log)"
    return 1
  fi
  mv -f "$gobin/helm" "$HELM"
  rmdir "$gobin" 2>/dev/null || true
  path >/dev/null || { say "built, but $HELM does not run (log: $log)"; return 1; }
  say "built in $(($(date +%s) - t0))s"
}

case "${1:-}" in
  --path) path ;;
  "")
    build
    path
    ;;
  *)
    say "usage: scripts/helm.sh [--path]"
    exit 2
    ;;
esac
