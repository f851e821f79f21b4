#!/usr/bin/env bash
# npm test: every test (unit, integration on a real MariaDB, reliability, the admin UI in Chromium, the plugin's PHPUnit on
# WordPress core), then one summary line.
set -uo pipefail
COMEBACK_NEEDS_PHP=1 source "$(dirname "$0")/ensure-tools.sh"
mkdir -p test/output
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json=test/output/vitest.json "$@" || status=$?
node scripts/summarise-tests.mjs test/output/vitest.json || status=1
exit $status
