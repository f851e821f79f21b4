#!/usr/bin/env bash
# npm run up: Comeback on its embedded defaults (a private MariaDB under .comeback/).
set -euo pipefail
source "$(dirname "$0")/ensure-tools.sh"
exec node --import tsx sidecar/src/main.ts "$@"
