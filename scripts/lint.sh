#!/usr/bin/env bash
# npm run lint: ESLint (eslint.config.js; a warning fails too), prettier's check (.prettierrc.json) and,
# once it exists, the plugin's PHP lint (scripts/lint-php.sh). All of them run, so one pass shows every
# problem; any failure fails the whole, and CI (.ci/run) with it.
# npm run format (--fix): ESLint's fixes first, then prettier, which has the last word on layout.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ ! -x node_modules/.bin/eslint ] || [ ! -x node_modules/.bin/prettier ]; then
  echo "comeback: ESLint and prettier are not installed: run npm ci first." >&2
  exit 1
fi
PATH="$PWD/node_modules/.bin:$PATH"
status=0
if [ "${1:-}" = --fix ]; then
  eslint --fix . || status=$?
  prettier --write --log-level=warn . || status=$?
  exit $status
fi
eslint --max-warnings=0 . || status=$?
prettier --check --log-level=warn . || status=$?
if [ -f scripts/lint-php.sh ]; then bash scripts/lint-php.sh || status=$?; fi
exit $status
