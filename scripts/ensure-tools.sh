#!/usr/bin/env bash
# Installs what `npm run up`, `npm test` and `npm run bench` need and is missing:
# the npm packages, and MariaDB's server binaries (no system service is started;
# Comeback runs its own private server). Sourced by the other scripts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "comeback: installing npm packages (npm ci)…" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi

have_mariadb() {
  { command -v mariadbd || [ -x /usr/sbin/mariadbd ]; } >/dev/null 2>&1 && command -v mariadb-install-db >/dev/null 2>&1
}

if ! have_mariadb && [ -z "${COMEBACK_DATABASE_URL:-}" ]; then
  packages="mariadb-server-core mariadb-client-core"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "comeback: installing MariaDB server binaries ($packages)…" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $packages >/dev/null
  else
    echo "comeback: MariaDB is not installed. Install it with:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y $packages" >&2
    echo "or point COMEBACK_DATABASE_URL at a MySQL 8 / MariaDB 10.6+ server." >&2
    exit 1
  fi
fi
