#!/usr/bin/env bash
# npm start: installs what is missing, prepares the local stack (ZFS pool, metadata
# PostgreSQL, Redis, the demo source database), builds, runs the storage agent and the control
# plane in the foreground, seeds the demo and prints how to reach it. A service that exits is
# started again after a pause that doubles per crash (1 s … 30 s). Ctrl-C or SIGTERM stops
# everything this run started; running it again reuses the state kept in $BP_DATA_DIR.
set -euo pipefail
source "$(dirname "$0")/lib/node.sh"
source "$BP_ROOT/scripts/lib/prepare.sh"
source "$BP_ROOT/scripts/lib/services.sh"
source "$BP_ROOT/scripts/lib/demo.sh"
source "$BP_ROOT/scripts/lib/hosts.sh"

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
  for_each_host stop_agent
  remove_hosts
  stop_started_services
  echo "branchpoint: stopped"
}
trap 'stop_all' EXIT
trap 'echo; stop_all; exit 0' INT TERM

# for_each_host COMMAND... — COMMAND as every host's agent (lib/hosts.sh), the first first.
for_each_host() {
  local i
  for ((i = 1; i <= BP_DEMO_HOSTS; i++)); do as_host "$i" "$@"; done
}

seed_demo() {
  echo "branchpoint: seeding the demo (host local, templates employees and shop, container demo)" >&2
  ensure_demo_source
  ensure_demo_shop_source
  BP_API_URL="http://127.0.0.1:$PORT" BRANCHPOINT_ADMIN_PASSWORD="$(admin_password)" BP_AGENT_URL="$(as_host 1 agent_url)" BP_AGENT_TOKEN="$(agent_token)" \
    BP_AGENT_CERT="$(as_host 1 agent_cert)" BP_DEMO_SOURCE_URL="$(demo_source_url)" BP_DEMO_EXTRA_HOSTS="$(host_agents_json)" \
    BP_DEMO_MARIADB_URL="$(demo_mariadb_url)" BP_DEMO_FILES_DIR="$(demo_files_dir)" \
    node "$BP_ROOT/scripts/demo-seed.mjs" 2> >(node "$BP_ROOT/scripts/lib/log-prefix.mjs" seed >&2)
}

# print_welcome SEED_JSON — where to go, how to log in, and the demo database's address.
print_welcome() {
  local connection
  connection=$(node -e '
    const { endpoints } = JSON.parse(process.argv[1]);
    console.log(endpoints.map((e) => e.connectionString).filter(Boolean).join("\n") || "(no endpoint yet)");
  ' "$1")
  cat <<EOF

  Branchpoint is running.

    Open       $(app_url)
    Log in     admin / $(admin_password)
               $(admin_password_note)
    Demo DB    $connection
               (container "demo" of template "employees": connect with psql or any client,
                change rows, then bookmark, restore and branch in the UI)

  Logs: $BP_DATA_DIR/logs/   Stop: Ctrl-C   Start over: npm run reset

EOF
}

# Supervision: a service that exits is started again after a pause of 1 s, doubled after each
# exit that follows a short run (2 s, 4 s … at most 30 s); a run of a minute counts as
# healthy and the next pause is 1 s again. Per service: its pid variable, what starts it, when
# it last started, its last pause and when it is due to start again (empty while it runs).
BP_RESTART_MAX_DELAY=30
BP_HEALTHY_RUN=60
declare -A svc_pid=([api]=BP_API_PID) svc_start=([api]=start_control_plane)
declare -A svc_label=([api]='control plane')
declare -A svc_started=([api]=0) svc_delay=([api]=0) svc_due=([api]='')
# One agent per host (lib/hosts.sh): agent, agent-2 …
for ((i = 1; i <= BP_DEMO_HOSTS; i++)); do
  name=$(host_service "$i")
  svc_pid[$name]=$(host_pid_var "$i")
  svc_start[$name]="as_host $i launch_agent"
  svc_label[$name]="storage agent $name"
  svc_started[$name]=0 svc_delay[$name]=0 svc_due[$name]=''
  printf -v "${svc_pid[$name]}" '%s' ''
done

# supervise NAME — called every second: notices that the service exited, logs it with its exit
# status and the pause, and starts it again once the pause is over.
supervise() {
  local name=$1 pid_var=${svc_pid[$1]} pid code delay
  pid=${!pid_var}
  if [ -n "${svc_due[$name]}" ]; then
    [ "$SECONDS" -ge "${svc_due[$name]}" ] || return 0
    svc_due[$name]=''
    echo "branchpoint: restarting the ${svc_label[$name]}" >&2
    svc_started[$name]=$SECONDS
    # shellcheck disable=SC2086 # "as_host I launch_agent": words, no globs
    if ! ${svc_start[$name]}; then
      # One that runs without answering is stopped: the next round counts it as a crash.
      pid=${!pid_var}
      stop_service "$pid" "${svc_label[$name]}" 10
    fi
    return 0
  fi
  kill -0 "$pid" 2>/dev/null && return 0
  code=0
  wait "$pid" 2>/dev/null || code=$?
  printf -v "$pid_var" '%s' '' # its pid may be another process's soon
  delay=${svc_delay[$name]}
  if [ "$delay" = 0 ] || [ $((SECONDS - svc_started[$name])) -ge "$BP_HEALTHY_RUN" ]; then
    delay=1
  else
    delay=$((delay * 2 > BP_RESTART_MAX_DELAY ? BP_RESTART_MAX_DELAY : delay * 2))
  fi
  svc_delay[$name]=$delay
  svc_due[$name]=$((SECONDS + delay))
  echo "branchpoint: the ${svc_label[$name]} exited (status $code, log: $BP_DATA_DIR/logs/$name.log); restarting it in ${delay}s" >&2
}

main() {
  prepare_machine
  multi_host || require_free_port "$BP_AGENT_PORT" 'storage agent (BP_AGENT_PORT)'
  require_free_port "$PORT" 'control plane (PORT)'
  build_all
  ensure_hosts
  for ((i = 1; i <= BP_DEMO_HOSTS; i++)); do
    as_host "$i" start_agent
    svc_started[$(host_service "$i")]=$SECONDS
  done
  start_control_plane
  svc_started[api]=$SECONDS
  local seeded
  if ! seeded=$(seed_demo); then
    echo "branchpoint: the demo could not be seeded (see above); the services keep running" >&2
    seeded='{"endpoints":[]}'
  fi
  print_welcome "$seeded"
  # Stay in the foreground, restarting what exits, until we are asked to stop. npm's `sh -c`
  # does not pass SIGTERM on, so a vanished parent counts as a request to stop too.
  while :; do
    kill -0 "$PPID" 2>/dev/null || { stop_all; exit 0; }
    for ((i = 1; i <= BP_DEMO_HOSTS; i++)); do supervise "$(host_service "$i")"; done
    supervise api
    sleep 1 &
    wait $! || true
  done
}

main "$@"
