#!/usr/bin/env bash
# npm run bench [-- --quick] [-- --only=a,b] [-- --write-docs]: prepares the local stack,
# builds the storage agent, control plane and test stack, then runs every bench module (bench/run.mjs) and prints one table.
set -euo pipefail
source "$(dirname "$0")/lib/node.sh"
source "$BP_ROOT/scripts/lib/prepare.sh"

trap 'stop_started_services' EXIT
prepare_machine
nx_run_many build -p @branchpoint/contracts,@branchpoint/storage-agent,@branchpoint/api-client,@branchpoint/testing,@branchpoint/backend
node "$BP_ROOT/bench/run.mjs" "$@"
