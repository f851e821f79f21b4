#!/usr/bin/env bash
# npm run soak [-- --quick]: reminders due while sidecars are killed with SIGKILL and restarted, counted
# by Message-ID at a real SMTP sink (not part of npm test); figures go into BENCHMARKS.md with this command.
set -euo pipefail
source "$(dirname "$0")/ensure-tools.sh"
exec node --import tsx sidecar/bench/soak.ts "$@"
