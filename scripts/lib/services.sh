# Sourced: runs the storage agent and the control plane in the background of the calling
# script — each in its own session so a Ctrl-C reaches only the script, which then stops
# them in order — with their output prefixed on the terminal and kept in $BP_DATA_DIR/logs.
# Sourced after lib/stack.sh (its `secret` helper and the private data folder).

: "${PORT:=3000}"
: "${BP_AGENT_HOST:=127.0.0.1}"
: "${BP_AGENT_PORT:=7070}"
export PORT BP_AGENT_HOST BP_AGENT_PORT
# The first admin's password: BRANCHPOINT_ADMIN_PASSWORD when set (it must pass the password
# policy), otherwise one generated on the first run (a well-known default would be everyone's).
admin_password() { echo "${BRANCHPOINT_ADMIN_PASSWORD:-$(secret admin-password)}"; }
admin_password_note() {
  if [ -n "${BRANCHPOINT_ADMIN_PASSWORD:-}" ]; then echo "(BRANCHPOINT_ADMIN_PASSWORD)"
  else echo "(generated; also in $BP_DATA_DIR/secrets/admin-password)"
  fi
}

# The token the control plane presents to the local agent: BP_AGENT_TOKEN when set, the fixed
# development token with BP_AGENT_DEV=1, otherwise a generated one.
agent_token() {
  if [ -n "${BP_AGENT_TOKEN:-}" ]; then echo "$BP_AGENT_TOKEN"
  elif [ "${BP_AGENT_DEV:-}" = 1 ]; then echo dev-agent-token
  else secret agent-token
  fi
}

agent_url() { echo "https://$BP_AGENT_HOST:$BP_AGENT_PORT"; }
# The certificate the agent serves: the given one, or the self-signed one it makes in its run
# directory at first start. Local calls to the agent trust this file and nothing else.
agent_cert() { echo "${BP_AGENT_TLS_CERT:-${BP_AGENT_RUN_DIR:-$BP_DATA_DIR/agent}/tls/agent.crt}"; }
app_url() { echo "http://localhost:$PORT"; }

# start_service VAR NAME COMMAND... — starts COMMAND, stores its pid in VAR and in
# $BP_DATA_DIR/pids/NAME.pid (for npm run reset).
start_service() {
  local var=$1 name=$2
  shift 2
  mkdir -p "$BP_DATA_DIR/logs" "$BP_DATA_DIR/pids"
  setsid "$@" </dev/null > >(node "$BP_ROOT/scripts/lib/log-prefix.mjs" "$name" "$BP_DATA_DIR/logs/$name.log") 2>&1 &
  printf -v "$var" '%s' "$!"
  echo "$!" >"$BP_DATA_DIR/pids/$name.pid"
}

# require_free_port PORT NAME — refuses to start when something already listens there
# (another npm start, say), instead of mistaking it for the new service.
require_free_port() {
  if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then
    echo "branchpoint: port $1 for the $2 is already in use (another npm start?); stop it or choose another port" >&2
    return 1
  fi
}

# wait_http URL PID NAME [SECONDS] [CA-FILE] — until URL answers 2xx, trusting CA-FILE for an
# https URL (it may appear only once the service runs); fails early when PID has exited.
wait_http() {
  local url=$1 pid=$2 name=$3 seconds=${4:-120} i tls=()
  [ -n "${5:-}" ] && tls=(--cacert "$5")
  for ((i = 0; i < seconds * 4; i++)); do
    curl -fsS -o /dev/null --max-time 2 "${tls[@]}" "$url" 2>/dev/null && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "branchpoint: the $name exited while starting (log: $BP_DATA_DIR/logs/$name.log)" >&2
      return 1
    fi
    sleep 0.25
  done
  echo "branchpoint: the $name did not answer $url within ${seconds}s" >&2
  return 1
}

# stop_service PID NAME [SECONDS] — SIGTERM, then SIGKILL when it has not exited in time.
stop_service() {
  local pid=$1 name=$2 seconds=${3:-30} i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  echo "branchpoint: stopping the $name"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < seconds * 4; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.25
  done
  echo "branchpoint: the $name did not stop within ${seconds}s; killing it" >&2
  kill -KILL "$pid" 2>/dev/null || true
}

# The agent these helpers act on: the one of lib/hosts.sh's as_host, else the single one.
agent_name() { echo "${BP_AGENT_NAME:-agent}"; }
agent_pid_var() { echo "${BP_AGENT_PID_VAR:-BP_AGENT_PID}"; }

# clone_servers stop|start — the agent keeps clone PostgreSQL servers running when it stops
# (so restarting it cuts nobody off); a local run stops them itself and starts the same
# containers again next time.
clone_servers() {
  local state="$BP_DATA_DIR/pids/running-containers.json"
  [ "$(agent_name)" = agent ] || state="$BP_DATA_DIR/pids/running-containers-$(agent_name).json"
  BP_AGENT_URL="$(agent_url)" BP_AGENT_TOKEN="$(agent_token)" NODE_EXTRA_CA_CERTS="$(agent_cert)" \
    node "$BP_ROOT/scripts/lib/clone-servers.mjs" "$1" "$state"
}

# launch_agent — the agent process, until it answers. It adopts the clone servers that still
# run (after a crash, say), so a restart leaves them alone. In a network namespace
# (BP_AGENT_NETNS, lib/hosts.sh) it runs behind nsenter, which only changes the network.
launch_agent() {
  local name pid_var launcher=()
  name=$(agent_name)
  pid_var=$(agent_pid_var)
  if [ -n "${BP_AGENT_NETNS:-}" ]; then
    launcher=(nsenter "--net=/run/netns/$BP_AGENT_NETNS")
  else
    require_free_port "$BP_AGENT_PORT" 'storage agent (BP_AGENT_PORT)' || return 1
  fi
  echo "branchpoint: starting the storage agent $name on $(agent_url) (root dataset $BP_ZFS_ROOT)"
  BP_AGENT_LAUNCHED=1
  BP_AGENT_TOKEN="$(agent_token)" BP_AGENT_DEV='' \
    start_service "$pid_var" "$name" "${launcher[@]}" node "$BP_ROOT/storage-agent/dist/main.js"
  wait_http "$(agent_url)/v1/health" "${!pid_var}" "$name" 60 "$(agent_cert)"
}

# start_agent — the agent, then the containers whose databases ran when the last run stopped.
start_agent() {
  launch_agent || return 1
  clone_servers start || true
}

# stop_agent — its clone servers first (through its API), then the agent itself. When the agent
# is down (between restarts), root stops its servers directly.
stop_agent() {
  local pid_var
  pid_var=$(agent_pid_var)
  if [ -n "${!pid_var:-}" ] && kill -0 "${!pid_var}" 2>/dev/null; then
    clone_servers stop || true
  elif [ "${BP_AGENT_LAUNCHED:-0}" = 1 ] && [ -n "${BP_ZFS_ROOT:-}" ]; then
    stop_servers_below "$BP_ZFS_ROOT" INT
  fi
  stop_service "${!pid_var:-}" "storage agent $(agent_name)" 60
}

start_control_plane() {
  require_free_port "$PORT" 'control plane (PORT)' || return 1
  echo "branchpoint: starting the control plane on $(app_url)"
  BP_JWT_SECRET="${BP_JWT_SECRET:-$(secret jwt-secret)}" \
  BP_SECRET_KEY="${BP_SECRET_KEY:-$(secret secret-key)}" \
  BRANCHPOINT_ADMIN_PASSWORD="$(admin_password)" \
    start_service BP_API_PID api node "$BP_ROOT/backend/dist/main.js"
  wait_http "http://127.0.0.1:$PORT/api/v1/health" "$BP_API_PID" api 120
}
