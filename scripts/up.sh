#!/usr/bin/env bash
# npm run up: Comeback on its embedded defaults (a private MariaDB under .comeback/, the dev
# outbox) and, while no real shop is connected, the demo stand-in shop.
set -euo pipefail
source "$(dirname "$0")/ensure-tools.sh"
export COMEBACK_DEMO="${COMEBACK_DEMO:-auto}"
exec node --import tsx sidecar/src/main.ts "$@"
