#!/usr/bin/env bash
# npm run reset [-- --yes]: stops everything a local run left running and deletes the local
# state — the file-backed ZFS pool (or, when BP_ZFS_ROOT points into a pool of yours, that
# root dataset) and $BP_DATA_DIR — so the next npm start begins from scratch. Asks first
# unless --yes is given. zfs-fuse itself stays running (other pools may live in it).
set -euo pipefail
source "$(dirname "$0")/lib/node.sh"
source "$BP_ROOT/scripts/lib/stack.sh"
source "$BP_ROOT/scripts/lib/hosts.sh"

assume_yes=0
for arg in "$@"; do
  case "$arg" in
    -y | --yes) assume_yes=1 ;;
    *) echo "usage: npm run reset [-- --yes]" >&2; exit 2 ;;
  esac
done

own_pool=$(imported_pool)
# The pools of a multi-host dev stack's other hosts (BP_DEMO_HOSTS, lib/hosts.sh): pool-I.img.
extra_pools=()
for image in "$BP_POOL_DIR"/pool-*.img; do
  [ -f "$image" ] || continue
  index=${image##*/pool-}
  index=${index%.img}
  name=$(imported_pool "$index")
  [ -n "$name" ] && extra_pools+=("$name")
done
zfs_target() {
  if [ -n "$own_pool" ]; then echo "ZFS pool $own_pool ($BP_POOL_DIR/pool.img)"
  elif [ -n "${BP_ZFS_ROOT:-}" ]; then echo "dataset $BP_ZFS_ROOT (and everything under it)"
  fi
}

confirm() {
  [ "$assume_yes" = 1 ] && return 0
  if [ ! -t 0 ]; then
    echo "branchpoint: reset needs confirmation; run: npm run reset -- --yes" >&2
    exit 1
  fi
  local target answer
  target=$(zfs_target)
  echo "This stops Branchpoint's local services and deletes, for good:"
  [ -n "$target" ] && echo "  - $target"
  [ "${#extra_pools[@]}" -gt 0 ] && echo "  - the other dev hosts' ZFS pools: ${extra_pools[*]}"
  echo "  - $BP_DATA_DIR (metadata database, Redis, demo source, logs, secrets)"
  [ "$BP_DATA_DIR" = "$(machine_data_dir)" ] && [ -L "$BP_ROOT/.data" ] && echo "  - the link $BP_ROOT/.data to it"
  read -r -p "Type 'yes' to continue: " answer
  [ "$answer" = yes ] || { echo "Nothing changed."; exit 1; }
}

# stop_pidfile FILE — the agent or control plane a run left behind (pid reuse checked).
stop_pidfile() {
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 0
  if [ -n "$pid" ] && grep -qa 'dist/main.js' "/proc/$pid/cmdline" 2>/dev/null; then
    echo "branchpoint: stopping $(basename "$1" .pid) (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 240); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
}

stop_local_services() {
  local pidfile dir
  for pidfile in "$BP_DATA_DIR"/pids/api.pid "$BP_DATA_DIR"/pids/agent.pid "$BP_DATA_DIR"/pids/agent-*.pid; do
    [ -f "$pidfile" ] && stop_pidfile "$pidfile"
  done
  for dir in "$BP_DATA_DIR/pg-meta" "$BP_DATA_DIR/pg-source"; do
    if [ -f "$dir/postmaster.pid" ]; then
      echo "branchpoint: stopping the PostgreSQL server on $dir"
      as_postgres "$(pg_bin_dir)/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
    fi
  done
  if mariadb_source_pid >/dev/null; then
    echo "branchpoint: stopping the demo MariaDB source"
    stop_source_mariadb
  fi
  if redis_pid "$BP_DATA_DIR/redis" >/dev/null; then
    echo "branchpoint: stopping Redis"
    stop_redis "$BP_DATA_DIR/redis" || true
  fi
}

# retry_busy COMMAND... — zfs-fuse reports a dataset or pool busy for a moment after its
# file systems were last used; the same command succeeds a little later.
retry_busy() {
  local attempt
  for attempt in 1 2 3 4 5; do
    "$@" 2>/dev/null && return 0
    sleep "$attempt"
  done
  "$@"
}

# The file-backed pool in $BP_DATA_DIR goes as a whole (its image is deleted with the
# folder); a pool of yours only loses BP_ZFS_ROOT.
destroy_zfs() {
  local pool
  for pool in "${extra_pools[@]}"; do
    stop_servers_below "$pool" QUIT
    echo "branchpoint: destroying the ZFS pool $pool"
    retry_busy zpool destroy -f "$pool"
  done
  if [ -z "$own_pool" ]; then
    if [ -n "${BP_ZFS_ROOT:-}" ] && zfs list -H -o name "$BP_ZFS_ROOT" >/dev/null 2>&1; then
      stop_servers_below "$BP_ZFS_ROOT" QUIT
      echo "branchpoint: destroying $BP_ZFS_ROOT"
      retry_busy zfs destroy -R "$BP_ZFS_ROOT"
    fi
  else
    stop_servers_below "$own_pool" QUIT
    echo "branchpoint: destroying the ZFS pool $own_pool"
    retry_busy zpool destroy -f "$own_pool"
  fi
}

# rm -rf must never walk into a file system that is still mounted below the data folder.
refuse_mounted_data_dir() {
  local mounted
  mounted=$(findmnt -rn -o TARGET | grep -F "$BP_DATA_DIR/" || true)
  if [ -n "$mounted" ]; then
    echo "branchpoint: still mounted below $BP_DATA_DIR, not deleting it:" >&2
    echo "$mounted" >&2
    exit 1
  fi
}

confirm
stop_local_services
# The dev stack's network namespaces (BP_DEMO_HOSTS), and those of runs that died.
bash "$BP_ROOT/scripts/lib/netns.sh" down "$BP_NETNS_SET" || true
bash "$BP_ROOT/scripts/lib/netns.sh" prune || true
destroy_zfs
refuse_mounted_data_dir
echo "branchpoint: deleting $BP_DATA_DIR"
rm -rf "$BP_DATA_DIR"
# State kept outside the checkout (lib/stack.sh, link_data_dir): the link to it goes too.
if [ "$BP_DATA_DIR" = "$(machine_data_dir)" ]; then
  if [ -L "$BP_ROOT/.data" ] && [ "$(realpath -m "$BP_ROOT/.data")" = "$BP_DATA_DIR" ]; then
    rm -f "$BP_ROOT/.data"
  fi
  rmdir --ignore-fail-on-non-empty "$(dirname "$BP_DATA_DIR")" 2>/dev/null || true
fi
echo "branchpoint: reset done; npm start sets everything up again"
