#!/usr/bin/env bash
# npm run bench: the benchmarks (not part of npm test); figures go into BENCHMARKS.md by hand, with this command.
set -euo pipefail
COMEBACK_NEEDS_REDIS=1 source "$(dirname "$0")/ensure-tools.sh"
exec node --import tsx --expose-gc sidecar/bench/run.ts "$@"
