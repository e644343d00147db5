#!/usr/bin/env bash
# npm run soak: the same preparation as npm test (packages, Node 24, dependencies, ZFS pool,
# PostgreSQL, Redis), a build of the control plane and agent, then the soak of
# backend/e2e/soak.e2e.ts with a larger budget: BP_SOAK_OPERATIONS (default 3000) operations or
# BP_SOAK_MINUTES (default 40) minutes, whichever comes first; BP_SOAK_SEED replays a run.
# Prints the closing note (operations, failures by kind, invariant violations) and exits
# non-zero on any unexpected failure or violation.
set -euo pipefail
source "$(dirname "$0")/lib/node.sh"
source "$BP_ROOT/scripts/lib/prepare.sh"

trap 'stop_started_services' EXIT
prepare_machine
nx_run_many build -p @branchpoint/contracts,@branchpoint/storage-agent,@branchpoint/backend
export BP_SOAK_OPERATIONS="${BP_SOAK_OPERATIONS:-3000}"
export BP_SOAK_MINUTES="${BP_SOAK_MINUTES:-40}"
export BP_SOAK_REFRESH_WEIGHT="${BP_SOAK_REFRESH_WEIGHT:-3}"
cd "$BP_ROOT/backend"
"$BP_ROOT/node_modules/.bin/vitest" run --project e2e e2e/soak.e2e.ts </dev/null
