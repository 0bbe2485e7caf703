#!/usr/bin/env bash
# npm run stack:prod [-- start [--verbose] | stop]: the production-shaped stack on this machine
# (docs/deploy.md). Start: bootstrap, PostgreSQL/HAProxy/the Temporal server (scripts/stack-prod-setup.sh,
# built once per machine), then engine/prod/run.ts in the foreground. Stop: signals the running one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ "${1:-start}" != "stop" ]; then
  bash scripts/bootstrap.sh >/dev/null
  bash scripts/stack-prod-setup.sh >/dev/null
fi
exec node --require tsx/cjs engine/prod/run.ts "$@"
