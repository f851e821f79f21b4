#!/usr/bin/env bash
# npm run up: Comeback on its embedded defaults (a private MariaDB under .comeback/, the dev
# outbox) and, while no real shop is connected, the demo stand-in shop.
set -euo pipefail
source "$(dirname "$0")/ensure-tools.sh"
export COMEBACK_DEMO="${COMEBACK_DEMO:-auto}"
# The dev outbox opens without the admin token (only while the sidecar is bound to loopback).
export COMEBACK_DEV_OUTBOX="${COMEBACK_DEV_OUTBOX:-on}"
# The demo shop, and a development shop, run on this machine: let the sidecar reach them.
export COMEBACK_ALLOW_PRIVATE_URLS="${COMEBACK_ALLOW_PRIVATE_URLS:-on}"
# The admin UI (served at /admin) is built when missing or older than its sources.
cd "$(dirname "$0")/.."
if [ ! -f admin-ui/dist/index.html ] || [ -n "$(find admin-ui/src admin-ui/index.html shortcodes/catalog.json -newer admin-ui/dist/index.html -print -quit)" ]; then
  npm run build -w admin-ui --silent > /dev/null
fi
exec node --import tsx sidecar/src/main.ts "$@"
