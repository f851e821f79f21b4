#!/usr/bin/env bash
# Installs what `npm run up`, `npm test` and `npm run bench` need and is missing:
# the npm packages, MariaDB's server binaries, and for the bench redis-server (no system service is
# started; Comeback runs its own private servers). Sourced by the other scripts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "comeback: installing npm packages (npm ci)…" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi

# Installs Debian packages as root without letting them start services (wordpress pulls in
# apache2): Comeback starts what it needs itself, bound to 127.0.0.1. Not root: prints the command
# and stops. $1 says what they are for, $2 what else the user could do.
require_packages() {
  local why="$1" alternative="$2"
  shift 2
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "comeback: $why are missing. Install them with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends $*" >&2
    [ -n "$alternative" ] && echo "$alternative" >&2
    exit 1
  fi
  echo "comeback: installing $why ($*)…" >&2
  local guard="" status=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && guard=1
  fi
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null; } || status=$?
  if [ -n "$guard" ]; then rm -f /usr/sbin/policy-rc.d; fi
  return $status
}

have_mariadb() {
  { command -v mariadbd || [ -x /usr/sbin/mariadbd ]; } >/dev/null 2>&1 && command -v mariadb-install-db >/dev/null 2>&1
}

if ! have_mariadb && [ -z "${COMEBACK_DATABASE_URL:-}" ]; then
  require_packages "MariaDB's server binaries" "or point COMEBACK_DATABASE_URL at a MySQL 8 / MariaDB 10.6+ server." \
    mariadb-server-core mariadb-client-core
fi

# The step race of `npm run bench` runs BullMQ against Debian's redis-server (started and stopped by
# the bench itself, in a temporary folder). Only the bench script asks for it (COMEBACK_NEEDS_REDIS=1).
if [ "${COMEBACK_NEEDS_REDIS:-0}" = 1 ] && ! command -v redis-server >/dev/null 2>&1; then
  require_packages "redis-server for the benchmark's race against BullMQ" "or run the bench without it: npm run bench -- --only=render,scheduler,ingest,reminders,segments,import" redis-server
fi

# The plugin's tests (npm test) run PHPUnit on real WordPress core: Debian's php, phpunit and
# wordpress packages. Only the test script asks for them (COMEBACK_NEEDS_PHP=1).
have_php_tools() {
  command -v php >/dev/null 2>&1 && command -v phpunit >/dev/null 2>&1 && [ -f /usr/share/wordpress/wp-settings.php ] &&
    php -r 'exit(extension_loaded("mysqli") ? 0 : 1);' 2>/dev/null
}

if [ "${COMEBACK_NEEDS_PHP:-0}" = 1 ] && ! have_php_tools; then
  require_packages "PHP, PHPUnit and WordPress core for the plugin tests" "" php-cli php-mysql php-xml php-mbstring phpunit wordpress
fi

# scripts/lint-php.sh checks the plugin with Debian's phpcs (php-codesniffer), installed with the PHP tools.
if [ "${COMEBACK_NEEDS_PHP:-0}" = 1 ] && ! command -v phpcs >/dev/null 2>&1; then
  require_packages "PHP_CodeSniffer for the plugin's lint" "" php-codesniffer
fi

# The admin UI's tests drive Debian's Chromium (playwright-core, no downloaded browser).
if [ "${COMEBACK_NEEDS_PHP:-0}" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
  require_packages "Chromium for the admin UI tests" "" chromium
fi
