#!/usr/bin/env bash
# npm start: installs what is missing, prepares the local stack (ZFS pool, metadata
# PostgreSQL, Redis, the demo source database), builds, runs the storage agent and the control
# plane in the foreground, seeds the demo and prints how to reach it. Ctrl-C or SIGTERM stops
# everything this run started; running it again reuses the state kept in $BP_DATA_DIR.
set -euo pipefail
source "$(dirname "$0")/lib/node.sh"
source "$BP_ROOT/scripts/lib/prepare.sh"
source "$BP_ROOT/scripts/lib/services.sh"
source "$BP_ROOT/scripts/lib/demo.sh"

BP_AGENT_PID=''
BP_API_PID=''
stopping=0

# Control plane first (it may still be talking to the agent), then the clone PostgreSQL
# servers and the agent, then the metadata PostgreSQL, Redis and the source.
stop_all() {
  [ "$stopping" = 1 ] && return 0
  stopping=1
  trap '' INT TERM
  stop_service "$BP_API_PID" 'control plane' 30
  stop_agent
  stop_started_services
  echo "branchpoint: stopped"
}
trap 'stop_all' EXIT
trap 'echo; stop_all; exit 0' INT TERM

seed_demo() {
  echo "branchpoint: seeding the demo (host local, template employees, container demo)" >&2
  ensure_demo_source
  BP_API_URL="http://127.0.0.1:$PORT" BP_AGENT_URL="$(agent_url)" BP_AGENT_TOKEN="$(agent_token)" \
    BP_AGENT_CERT="$(agent_cert)" BP_DEMO_SOURCE_URL="$(demo_source_url)" \
    node "$BP_ROOT/scripts/demo-seed.mjs" 2> >(node "$BP_ROOT/scripts/lib/log-prefix.mjs" seed >&2)
}

# print_welcome SEED_JSON — where to go, how to log in, and the demo database's address.
print_welcome() {
  local connection
  connection=$(node -e '
    const { endpoints } = JSON.parse(process.argv[1]);
    console.log(endpoints.map((e) => e.connectionString).filter(Boolean).join("\n") || "(no endpoint yet)");
  ' "$1")
  local password_note="(BRANCHPOINT_ADMIN_PASSWORD)"
  [ "$BRANCHPOINT_ADMIN_PASSWORD" = admin ] && password_note="(the default; set BRANCHPOINT_ADMIN_PASSWORD to change it)"
  cat <<EOF

  Branchpoint is running.

    Open       $(app_url)
    Log in     admin / $BRANCHPOINT_ADMIN_PASSWORD  $password_note
    Demo DB    $connection
               (container "demo" of template "employees": connect with psql or any client,
                change rows, then bookmark, restore and branch in the UI)

  Logs: $BP_DATA_DIR/logs/   Stop: Ctrl-C   Start over: npm run reset

EOF
}

main() {
  prepare_machine
  require_free_port "$BP_AGENT_PORT" 'storage agent (BP_AGENT_PORT)'
  require_free_port "$PORT" 'control plane (PORT)'
  build_all
  start_agent
  start_control_plane
  local seeded
  if ! seeded=$(seed_demo); then
    echo "branchpoint: the demo could not be seeded (see above); the services keep running" >&2
    seeded='{"endpoints":[]}'
  fi
  print_welcome "$seeded"
  # Stay in the foreground until a service exits or we are asked to stop. npm's `sh -c` does
  # not pass SIGTERM on, so a vanished parent counts as a request to stop too.
  while kill -0 "$BP_AGENT_PID" 2>/dev/null && kill -0 "$BP_API_PID" 2>/dev/null; do
    kill -0 "$PPID" 2>/dev/null || { stop_all; exit 0; }
    sleep 1 &
    wait $! || true
  done
  echo "branchpoint: a service exited unexpectedly (logs in $BP_DATA_DIR/logs/)" >&2
  exit 1
}

main "$@"
