# Sourced after lib/services.sh by start.sh and reset.sh: the dev stack's storage hosts.
# BP_DEMO_HOSTS=1 (the default): one agent on 127.0.0.1:BP_AGENT_PORT, host `local`.
# BP_DEMO_HOSTS=N (2-9): N agents, each in a network namespace of its own with an address of its
# own (lib/netns.sh, set `d<hash of the checkout>`), listening on <address>:BP_AGENT_PORT with
# their clone servers on <address>; host 1 on BP_ZFS_ROOT, host I on a file-backed pool of its
# own (pool-I.img beside the first, named branchpoint-I). Registered as `local`, `local-2` …
# Inside the namespaces the demo sources' ports of 127.0.0.1 reach this machine's
# (lib/netns-relay.mjs), so templates ingest from the same connection strings.

: "${BP_DEMO_HOSTS:=1}"
[[ "$BP_DEMO_HOSTS" =~ ^[1-9]$ ]] || { echo "branchpoint: BP_DEMO_HOSTS must be 1-9" >&2; exit 2; }
BP_NETNS_SET="d$(realpath "$BP_ROOT" | tr -d '\n' | sha256sum | cut -c1-7)"
declare -a BP_HOST_NS=() BP_HOST_ADDRESS=() BP_HOST_ROOT=()
BP_RELAY_PID=''

multi_host() { [ "$BP_DEMO_HOSTS" -gt 1 ]; }
host_name() { if [ "$1" = 1 ]; then echo local; else echo "local-$1"; fi; }
# The service (log, pid file) name of host I's agent: agent, agent-2 …
host_service() { if [ "$1" = 1 ]; then echo agent; else echo "agent-$1"; fi; }
host_pid_var() { if [ "$1" = 1 ]; then echo BP_AGENT_PID; else echo "BP_AGENT_${1}_PID"; fi; }

# as_host I COMMAND... — COMMAND with host I's agent settings (address, run directory, root,
# namespace, pid variable); the helpers of lib/services.sh read them.
as_host() {
  local i=$1
  shift
  local BP_AGENT_NAME BP_AGENT_PID_VAR BP_AGENT_NETNS=''
  BP_AGENT_NAME=$(host_service "$i")
  BP_AGENT_PID_VAR=$(host_pid_var "$i")
  # `return $?`, not `return`: in a trap (Ctrl-C) a bare return answers the status of the
  # command the signal interrupted, and set -e would end the stop half way.
  if ! multi_host; then "$@"; return $?; fi
  BP_AGENT_NETNS=${BP_HOST_NS[$i]}
  local -x BP_AGENT_HOST=${BP_HOST_ADDRESS[$i]} BP_CLONE_HOST=${BP_HOST_ADDRESS[$i]}
  local -x BP_ZFS_ROOT=${BP_HOST_ROOT[$i]}
  [ "$i" = 1 ] || local -x BP_AGENT_RUN_DIR="$BP_DATA_DIR/agent-$i"
  "$@"
}

# The ports of the demo sources, reached from inside the namespaces.
source_ports() {
  local url
  for url in "${BP_SOURCE_ADMIN_URL:-}" "${BP_SOURCE_MARIADB_URL:-}"; do
    [ -n "$url" ] && node -e 'const u = new URL(process.argv[1]); console.log(u.port || 5432)' "$url"
  done
}

# ensure_hosts — for BP_DEMO_HOSTS > 1: the pools of hosts 2…N, the namespaces (a set of an
# earlier run that was killed goes first) and the relay of the source ports.
ensure_hosts() {
  multi_host || return 0
  local i line kind index ns address pool ports=()
  BP_HOST_ROOT[1]=$BP_ZFS_ROOT
  for ((i = 2; i <= BP_DEMO_HOSTS; i++)); do
    pool=$(ensure_own_pool "$i") || return 1
    BP_HOST_ROOT[i]="$pool/branchpoint"
    zfs list -H -o name "${BP_HOST_ROOT[i]}" >/dev/null 2>&1 || zfs create "${BP_HOST_ROOT[i]}" || return 1
  done
  while read -r line; do
    read -r kind index ns address _ <<<"$line"
    [ "$kind" = host ] || continue
    BP_HOST_NS[index]=$ns
    BP_HOST_ADDRESS[index]=$address
    echo "branchpoint: host $(host_name "$index") in network namespace $ns at $address"
  done < <(bash "$BP_ROOT/scripts/lib/netns.sh" up "$BP_NETNS_SET" "$BP_DEMO_HOSTS" "$$")
  [ -n "${BP_HOST_NS[1]:-}" ] || { echo "branchpoint: the network namespaces could not be made" >&2; return 1; }
  mapfile -t ports < <(source_ports)
  [ "${#ports[@]}" -gt 0 ] || return 0
  local args=()
  for ((i = 1; i <= BP_DEMO_HOSTS; i++)); do args+=(--ns "${BP_HOST_NS[i]}"); done
  for i in "${ports[@]}"; do args+=(--port "$i"); done
  # BP_RELAY_PID is set by coproc.
  coproc BP_RELAY { exec node "$BP_ROOT/scripts/lib/netns-relay.mjs" "${args[@]}"; }
  read -r -t 30 line <&"${BP_RELAY[0]}" && [ "$line" = ready ] || {
    echo "branchpoint: the relay of the source ports into the namespaces did not start" >&2
    return 1
  }
}

# remove_hosts — the relay and the namespaces (the agents are stopped already).
remove_hosts() {
  multi_host || return 0
  # bash unsets a coproc's PID once it has exited (as on Ctrl-C, which reaches it too).
  [ -z "${BP_RELAY_PID:-}" ] || kill "$BP_RELAY_PID" 2>/dev/null || true
  bash "$BP_ROOT/scripts/lib/netns.sh" down "$BP_NETNS_SET" || true
}

# host_agents_json — hosts 2…N for the seed: [{"name","url","cert"}].
host_agents_json() {
  local i sep='' out='['
  for ((i = 2; i <= BP_DEMO_HOSTS; i++)); do
    out+="$sep{\"name\":\"$(host_name "$i")\",\"url\":\"$(as_host "$i" agent_url)\",\"cert\":\"$(as_host "$i" agent_cert)\"}"
    sep=','
  done
  echo "$out]"
}
