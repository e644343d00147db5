#!/usr/bin/env bash
# npm run bench: prepares the local stack, builds the storage agent, then runs
# bench/clone-vs-copy (full copy vs. branch of a pgbench database at two sizes).
set -euo pipefail
source "$(dirname "$0")/lib/node.sh"
source "$BP_ROOT/scripts/lib/prepare.sh"

trap 'stop_started_services' EXIT
prepare_machine
nx_run_many build -p @branchpoint/contracts,@branchpoint/storage-agent
node "$BP_ROOT/bench/clone-vs-copy/run.mjs"
