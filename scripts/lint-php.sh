#!/usr/bin/env bash
# The PHP lint: Debian's phpcs with phpcs.xml.dist (WordPress coding style from phpcs's bundled
# sniffs) over plugin/ and test/php/, or over the files given. Exits non-zero on any finding,
# warnings included, so the tree stays at none; `phpcbf` run at the repo root (same ruleset) fixes the [x] ones.
# Results are cached per file in the system temp directory (phpcs --cache): a run after a small
# change re-reads only what changed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if ! command -v phpcs >/dev/null 2>&1; then
  echo "comeback: phpcs (Debian's php-codesniffer) is missing. Install it with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends php-codesniffer" >&2
  echo "(as root, \`COMEBACK_NEEDS_PHP=1 bash scripts/ensure-tools.sh\` installs it with the other PHP tools)" >&2
  exit 1
fi

# The ruleset's own paths are relative to it, so this runs from any directory; files given as
# arguments (relative to where it is run) replace plugin/ and test/php/.
exec phpcs -q --standard="$root/phpcs.xml.dist" --cache "$@"
