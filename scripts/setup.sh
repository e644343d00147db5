#!/usr/bin/env bash
# Prepares everything a run needs and prints the environment as `export` lines.
# Used by start.sh and test.sh; also handy by hand: eval "$(bash scripts/setup.sh)".
set -euo pipefail
source "$(dirname "$0")/lib/node.sh"
source "$BP_ROOT/scripts/lib/prepare.sh"
prepare_machine >&2
for v in PATH BP_DATA_DIR BP_ZFS_POOL BP_ZFS_ROOT BP_PG_BIN DATABASE_URL REDIS_URL BP_SOURCE_ADMIN_URL BP_SOURCE_MARIADB_URL; do
  printf 'export %s=%q\n' "$v" "${!v}"
done
