#!/usr/bin/env bash
# npm run bench [-- --topology prod [--conversations N] [--concurrency N] [--legs dev,prod2,prod1]]
# Without arguments: the benches of docs/performance.md in turn (triage, phrases, interpreter, designer).
# With --topology prod: the dev stack beside the production-shaped stack (engine/prod/bench.ts) only.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/bootstrap.sh
if [ "$#" -gt 0 ]; then
  exec npx tsx engine/bench/run.ts "$@"
fi
npx tsx engine/bench/triage.ts
npx tsx engine/bench/phrases.ts
npx tsx engine/bench/run.ts
npx tsx engine/bench/designer.ts
