# Sourced: the local stack every run needs — a ZFS pool (file-backed under zfs-fuse when the
# machine has no kernel ZFS), a metadata PostgreSQL, Redis, and a demo "production" PostgreSQL
# and MariaDB to ingest from. Each piece is reused when present and left alone when configured
# from outside (BP_ZFS_ROOT, DATABASE_URL, REDIS_URL, BP_SOURCE_ADMIN_URL, BP_SOURCE_MARIADB_URL).

# closed_ancestor DIR — the topmost directory from / down to DIR (its real path) that other
# users cannot pass (no o+x); fails when they can pass every one. Missing ones do not count.
closed_ancestor() {
  local dir closed=''
  dir=$(realpath -m "$1")
  while :; do
    if [ -e "$dir" ] && [ "$((8#$(stat -L -c %a "$dir") & 1))" = 0 ]; then closed=$dir; fi
    [ "$dir" = / ] && break
    dir=$(dirname "$dir")
  done
  [ -n "$closed" ] && echo "$closed"
}

# machine_data_dir — where this checkout keeps its state when other users cannot reach the
# checkout (root's 0700 home, say): a folder of its own under /var/lib/branchpoint.
machine_data_dir() {
  realpath -m "/var/lib/branchpoint/$(realpath "$BP_ROOT" | tr -d '\n' | sha256sum | cut -c1-8)"
}

# default_data_dir — $BP_ROOT/.data. The clone servers (tenant uids) and the postgres user
# must pass every directory above it, so where some directory above the checkout is closed to
# them the state lives in machine_data_dir and .data becomes a link to it (made by
# link_data_dir). A link there, of that run or the user's, is followed to its real path:
# the pool's mountpoint and the agent's run directory are checked by the real path.
default_data_dir() {
  local link="$BP_ROOT/.data"
  if [ -L "$link" ]; then realpath -m "$link"
  elif [ -e "$link" ] || ! closed_ancestor "$BP_ROOT" >/dev/null; then echo "$link"
  else machine_data_dir
  fi
}

: "${BP_DATA_DIR:=$(default_data_dir)}"
# BP_DATA_DIR set to that link by hand: its real path too (a tenant cannot follow the link).
if [ "$BP_DATA_DIR" = "$BP_ROOT/.data" ] && [ -L "$BP_DATA_DIR" ]; then
  BP_DATA_DIR=$(realpath -m "$BP_DATA_DIR")
fi
: "${BP_ZFS_POOL_SIZE:=20G}"
: "${BP_META_PG_PORT:=54329}"
: "${BP_SOURCE_PG_PORT:=54330}"
: "${BP_REDIS_PORT:=63799}"
export BP_DATA_DIR
BP_POOL_DIR="$BP_DATA_DIR/zfs"

BP_STARTED_SERVICES=()
source "$BP_ROOT/scripts/lib/mariadb.sh"

# secret NAME — a random secret made once and kept in $BP_DATA_DIR/secrets/NAME (mode 0600),
# so a second run (and what was stored with the first value) keeps working with the same one.
secret() {
  local dir="$BP_DATA_DIR/secrets"
  mkdir -p "$dir" && chmod 0700 "$dir"
  if [ ! -s "$dir/$1" ]; then
    (umask 077 && head -c 32 /dev/urandom | base64 -w 0 | tr '+/' '-_' | tr -d '=' >"$dir/$1")
  fi
  cat "$dir/$1"
}

# secure_data_dir — a clone's server runs as an OS uid of its own and must not read the
# stack's files: other uids may only traverse $BP_DATA_DIR to the pool's mounts and the
# agent's run dir; secrets, logs, pids, Redis' files and the pool image are root's alone.
secure_data_dir() {
  local dir
  link_data_dir || return 1
  refuse_closed_data_dir || return 1
  mkdir -p "$BP_DATA_DIR" "$BP_POOL_DIR"
  chmod 0711 "$BP_DATA_DIR" "$BP_POOL_DIR"
  for dir in secrets logs pids redis; do
    mkdir -p "$BP_DATA_DIR/$dir"
    chmod 0700 "$BP_DATA_DIR/$dir"
  done
  find "$BP_DATA_DIR/secrets" "$BP_DATA_DIR/logs" -maxdepth 1 -type f ! -perm 0600 -exec chmod 0600 {} +
  find "$BP_POOL_DIR" -maxdepth 1 -name 'pool*.img' ! -perm 0600 -exec chmod 0600 {} +
}

# link_data_dir — the machine-level state folder (default_data_dir) is made 0711, with a note
# of whose it is, and reached from the checkout as .data. The folder comes first, so a run
# interrupted in between finds the same folder (its name follows from the checkout's path).
link_data_dir() {
  local machine
  machine=$(machine_data_dir)
  [ "$BP_DATA_DIR" = "$machine" ] || return 0
  if [ ! -d "$BP_DATA_DIR" ]; then
    echo "branchpoint: other users cannot pass $(closed_ancestor "$BP_ROOT"), so the state of this checkout lives in $BP_DATA_DIR (linked as .data)" >&2
  fi
  mkdir -p "$BP_DATA_DIR" || return 1
  chmod 0711 "$(dirname "$BP_DATA_DIR")" "$BP_DATA_DIR"
  realpath "$BP_ROOT" >"$BP_DATA_DIR/checkout"
  [ -L "$BP_ROOT/.data" ] || ln -sfn "$BP_DATA_DIR" "$BP_ROOT/.data"
}

# refuse_closed_data_dir — a data folder other users cannot reach (a .data made in a closed
# checkout by an earlier version, or a BP_DATA_DIR of the user's) would fail later and less
# clearly: initdb as postgres, or the agent's check of its run directory.
refuse_closed_data_dir() {
  local closed
  closed=$(closed_ancestor "$(dirname "$BP_DATA_DIR")") || return 0
  echo "branchpoint: other users cannot pass $closed (mode $(stat -c %a "$closed")), but the postgres user and the clone servers' uids must reach $BP_DATA_DIR." >&2
  if [ "$BP_DATA_DIR" = "$BP_ROOT/.data" ]; then
    echo "  Run npm run reset once: the next start keeps the state in $(machine_data_dir), linked as .data. Or: chmod o+x $closed" >&2
  else
    echo "  Choose another BP_DATA_DIR, or: chmod o+x $closed" >&2
  fi
  return 1
}

pg_bin_dir() {
  if [ -n "${BP_PG_BIN:-}" ]; then echo "$BP_PG_BIN"; return 0; fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] || { echo "branchpoint: no PostgreSQL server binaries under /usr/lib/postgresql" >&2; return 1; }
  echo "$dir"
}

# as_postgres COMMAND... — run from /: postgres may not enter the caller's directory (a
# checkout in root's home, say), and PostgreSQL's tools complain when they cannot.
as_postgres() { (cd / && runuser -u postgres -- "$@"); }

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port FROM — FROM, or the next port after it that nothing listens on (another checkout's
# stack may hold the default ports, e.g. when CI runs beside a developer's `npm start`).
free_port() {
  local port=$1
  while port_taken "$port"; do port=$((port + 1)); done
  echo "$port"
}

# Host I's pool files (the dev stack's hosts, BP_DEMO_HOSTS): host 1 keeps the names it always
# had, host I > 1 gets pool-I.img, pool-I-name and mnt-I beside them.
pool_file() { # NAME INDEX — NAME (pool.img, pool-name, mnt) for host INDEX
  local base=${1%.*} ext=''
  [[ "$1" == *.* ]] && ext=".${1##*.}"
  if [ "${2:-1}" = 1 ]; then echo "$BP_POOL_DIR/$1"; else echo "$BP_POOL_DIR/${base}-$2$ext"; fi
}

# free_pool_name [INDEX] — "branchpoint" ("branchpoint-I" for host I > 1), or when another
# checkout's pool holds that name (zfs-fuse serves every pool of the machine), a name derived
# from this checkout's data folder.
free_pool_name() {
  local name=branchpoint hashed=$BP_POOL_DIR
  [ "${1:-1}" = 1 ] || { name="branchpoint-$1"; hashed=$(pool_file pool.img "$1"); }
  if zpool list -H -o name "$name" >/dev/null 2>&1; then
    echo "$name-$(printf %s "$hashed" | sha256sum | cut -c1-8)"
  else
    echo "$name"
  fi
}

# imported_pool [INDEX] — the name of the imported pool backed by this checkout's image of
# host INDEX (default 1), if any.
imported_pool() {
  zpool status 2>/dev/null | awk -v image="$(pool_file pool.img "${1:-1}")" '
    $1 == "pool:" { name = $2 }
    $1 == image { print name; exit }'
}

# ensure_own_pool [INDEX] — imports or creates this checkout's file-backed pool of host INDEX
# (default 1) and prints its name. While it was not imported another checkout may have taken
# its name; zpool import then renames it to a free one. The name it was last imported with is
# kept in pool-name (pool-I-name).
ensure_own_pool() {
  local index=${1:-1} name stored image
  image=$(pool_file pool.img "$index")
  name=$(imported_pool "$index")
  if [ -z "$name" ] && [ -f "$image" ]; then
    stored=branchpoint
    [ "$index" = 1 ] || stored="branchpoint-$index"
    stored=$(cat "$(pool_file pool-name "$index")" 2>/dev/null || echo "$stored")
    name=$stored
    zpool list -H -o name "$name" >/dev/null 2>&1 && name=$(free_pool_name "$index")
    zpool import -o cachefile=none -d "$BP_POOL_DIR" "$stored" "$name" >&2
    [ "$(imported_pool "$index")" = "$name" ] || {
      echo "branchpoint: cannot import pool $stored from $image (npm run reset starts over)" >&2
      return 1
    }
  elif [ -z "$name" ]; then
    name=$(free_pool_name "$index")
    [ "$index" = 1 ] && name=${BP_ZFS_POOL:-$name}
    echo "branchpoint: creating file-backed ZFS pool $name ($BP_ZFS_POOL_SIZE sparse) in $BP_POOL_DIR" >&2
    (umask 077 && truncate -s "$BP_ZFS_POOL_SIZE" "$image")
    # cachefile=none: the daemon never re-imports it on its own, so a pool whose image has
    # gone (a deleted checkout) cannot linger under a name another checkout wants.
    zpool create -o cachefile=none -m "$(pool_file mnt "$index")" "$name" "$image" >&2 || return 1
  fi
  echo "$name" >"$(pool_file pool-name "$index")"
  echo "$name"
}

# start_zfs_fuse — a daemon killed with the session that started it leaves its pid file, and
# zfs-fuse refuses to start while that file exists; its FUSE mounts stay behind dead
# ("transport endpoint is not connected") and would block mounting the same paths or names
# again. With no daemon running every such mount is dead, so all of them go first.
start_zfs_fuse() {
  echo "branchpoint: starting zfs-fuse"
  mkdir -p /var/run/zfs /var/lock/zfs
  rm -f /var/run/zfs/zfs-fuse.pid
  local mount
  awk '$3 == "fuse.zfs" || $2 == "/zfs-kstat" { print $2 }' /proc/mounts | sort -r |
    while read -r mount; do umount -l "$mount" 2>/dev/null || true; done
  zfs-fuse --pidfile /var/run/zfs/zfs-fuse.pid || { echo "branchpoint: zfs-fuse failed to start (see syslog)" >&2; return 1; }
  for _ in $(seq 1 50); do zpool list >/dev/null 2>&1 && break; sleep 0.1; done
  zpool list >/dev/null || { echo "branchpoint: zfs-fuse did not come up (it needs /dev/fuse)" >&2; return 1; }
}

ensure_zfs() {
  if [ -n "${BP_ZFS_ROOT:-}" ]; then
    zfs list -H -o name "$BP_ZFS_ROOT" >/dev/null || { echo "branchpoint: BP_ZFS_ROOT=$BP_ZFS_ROOT does not exist" >&2; return 1; }
    export BP_ZFS_ROOT
    return 0
  fi
  if [ ! -e /dev/zfs ] && ! pgrep -x zfs-fuse >/dev/null; then
    start_zfs_fuse || return 1
  fi
  mkdir -p "$BP_POOL_DIR"
  # A given BP_ZFS_POOL that exists is a pool of the machine's, used as it is.
  if [ -z "${BP_ZFS_POOL:-}" ] || ! zpool list -H -o name "$BP_ZFS_POOL" >/dev/null 2>&1; then
    BP_ZFS_POOL=$(ensure_own_pool) || return 1
  fi
  export BP_ZFS_POOL
  export BP_ZFS_ROOT="$BP_ZFS_POOL/branchpoint"
  zfs list -H -o name "$BP_ZFS_ROOT" >/dev/null 2>&1 || zfs create "$BP_ZFS_ROOT" || return 1
}

# stop_servers_below DATASET SIGNAL — the PostgreSQL servers whose data lies in DATASET or
# below: the clone and ingest servers the agent left running. They run as the containers' and
# templates' own uids, whose data directories only those uids and root may read, so root
# signals each postmaster itself (INT: pg_ctl's fast shutdown, QUIT: immediate), waits up to
# 10 s for all of them, then kills what is left.
stop_servers_below() {
  local root=$1 signal=$2 mountpoint pidfile pid comm sig pids=()
  while read -r mountpoint; do
    [ -d "$mountpoint" ] || continue
    while read -r pidfile; do
      pid=$(head -n 1 "$pidfile" 2>/dev/null) || continue
      comm=$(cat "/proc/$pid/comm" 2>/dev/null) || continue
      [ -n "$pid" ] && [[ "$comm" =~ ^(postgres|mariadbd)$ ]] || continue
      [[ " ${pids[*]} " == *" $pid "* ]] && continue # found again from a parent's mountpoint
      echo "branchpoint: stopping the database server on $(dirname "$pidfile")"
      # SIGTERM is mariadbd's shutdown; PostgreSQL's signals name its shutdown modes.
      [ "$comm" = mariadbd ] && sig=TERM || sig=$signal
      kill -"$sig" "$pid" 2>/dev/null && pids+=("$pid")
    done < <(find "$mountpoint" -maxdepth 3 \( -name postmaster.pid -o -name mariadbd.pid \) 2>/dev/null)
  done < <(zfs list -H -o mountpoint -r "$root" 2>/dev/null)
  for _ in $(seq 1 100); do
    any_alive "${pids[@]}" || return 0
    sleep 0.1
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
}

any_alive() { # PID...
  local pid
  for pid in "$@"; do kill -0 "$pid" 2>/dev/null && return 0; done
  return 1
}

cluster_port() { sed -n 's/^port = \([0-9]*\).*/\1/p' "$1/postgresql.conf" | tail -n 1; }

# write_hba DIR [LINE...] — the cluster's whole pg_hba.conf, rewritten on every start (so a
# cluster made by an older run loses what it allowed then): the postgres OS user administers
# over the socket, in a directory only it can enter; everyone else needs a password over TCP.
# Succeeds when the file changed.
write_hba() {
  local dir=$1 next
  shift
  next=$(mktemp)
  {
    echo "# Written by scripts/lib/stack.sh on every start; changes here are lost."
    echo "local all postgres peer"
    echo "host all all 127.0.0.1/32 scram-sha-256"
    printf '%s\n' "$@"
  } >"$next"
  if cmp -s "$next" "$dir/pg_hba.conf"; then rm -f "$next"; return 1; fi
  install -o postgres -g postgres -m 0600 "$next" "$dir/pg_hba.conf"
  rm -f "$next"
}

# init_cluster DIR PORT [HBA_LINE...] — a private PostgreSQL cluster run by the postgres OS
# user. It keeps the port it was first given unless another process holds it when it must
# start; the port in use is left in BP_CLUSTER_PORT.
init_cluster() {
  local dir=$1 port=$2 bin
  shift 2
  bin=$(pg_bin_dir) || return 1
  mkdir -p "$BP_DATA_DIR/run"
  chown postgres: "$BP_DATA_DIR/run"
  chmod 0700 "$BP_DATA_DIR/run"
  if [ ! -f "$dir/PG_VERSION" ]; then
    mkdir -p "$dir" && chown postgres: "$dir" && chmod 0700 "$dir"
    as_postgres "$bin/initdb" -D "$dir" -U postgres --auth-local=peer --auth-host=scram-sha-256 -E UTF8 >/dev/null || return 1
    cat >>"$dir/postgresql.conf" <<CONF
port = $(free_port "$port")
listen_addresses = '127.0.0.1'
unix_socket_directories = '$BP_DATA_DIR/run'
password_encryption = scram-sha-256
CONF
  fi
  local hba_changed=0
  write_hba "$dir" "$@" && hba_changed=1
  port=$(cluster_port "$dir")
  if ! as_postgres "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    if port_taken "$port"; then
      port=$(free_port "$port")
      echo "port = $port" >>"$dir/postgresql.conf"
    fi
    echo "branchpoint: starting PostgreSQL $dir on port $port"
    as_postgres "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start >/dev/null || {
      echo "branchpoint: PostgreSQL on $dir did not start (port $port taken? see $dir/server.log)" >&2
      return 1
    }
    BP_STARTED_SERVICES+=("pg:$dir")
  elif [ "$hba_changed" = 1 ]; then
    echo "branchpoint: PostgreSQL $dir now asks everyone but the postgres OS user for a password"
    as_postgres "$bin/pg_ctl" -D "$dir" reload >/dev/null || return 1
  fi
  BP_CLUSTER_PORT=$port
}

psql_as_postgres() { # PORT DB SQL...
  local port=$1 db=$2; shift 2
  as_postgres "$(pg_bin_dir)/psql" -h "$BP_DATA_DIR/run" -p "$port" -d "$db" -v ON_ERROR_STOP=1 -qAt "$@"
}

# ensure_login_role PORT ROLE SECRET_NAME OPTIONS — the role exists with OPTIONS and the
# password kept in secrets/SECRET_NAME (set on every start: a role an older run made with a
# well-known password gets the generated one). The SQL goes in on stdin, not the command line.
ensure_login_role() {
  local port=$1 role=$2 password options=$4
  password=$(secret "$3") || return 1
  psql_as_postgres "$port" postgres <<SQL
SELECT 'CREATE ROLE $role' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role')\gexec
ALTER ROLE $role $options PASSWORD '$password';
SQL
}

ensure_metadata_db() {
  if [ -n "${DATABASE_URL:-}" ]; then export DATABASE_URL; return 0; fi
  init_cluster "$BP_DATA_DIR/pg-meta" "$BP_META_PG_PORT" || return 1
  BP_META_PG_PORT=$BP_CLUSTER_PORT
  ensure_login_role "$BP_META_PG_PORT" branchpoint metadata-db-password 'LOGIN CREATEDB' || return 1
  psql_as_postgres "$BP_META_PG_PORT" postgres <<'SQL' || return 1
SELECT 'CREATE DATABASE branchpoint OWNER branchpoint' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'branchpoint')\gexec
SQL
  export DATABASE_URL="postgres://branchpoint:$(secret metadata-db-password)@127.0.0.1:$BP_META_PG_PORT/branchpoint"
}

# The demo "production" database that templates ingest from. pg_basebackup needs a replication
# connection; PostgreSQL's defaults (wal_level replica, max_wal_senders 10) allow it.
ensure_source_db() {
  if [ -n "${BP_SOURCE_ADMIN_URL:-}" ]; then export BP_SOURCE_ADMIN_URL; return 0; fi
  init_cluster "$BP_DATA_DIR/pg-source" "$BP_SOURCE_PG_PORT" "host replication all 127.0.0.1/32 scram-sha-256" || return 1
  BP_SOURCE_PG_PORT=$BP_CLUSTER_PORT
  ensure_login_role "$BP_SOURCE_PG_PORT" bpsource source-db-password 'LOGIN SUPERUSER REPLICATION' || return 1
  export BP_SOURCE_ADMIN_URL="postgres://bpsource:$(secret source-db-password)@127.0.0.1:$BP_SOURCE_PG_PORT/postgres"
}

# redis_cli PORT ARGS... — redis-cli against this stack's Redis with its password, which
# travels in the environment (a command line is readable by every user in /proc).
redis_cli() {
  local port=$1
  shift
  REDISCLI_AUTH=$(cat "$BP_DATA_DIR/secrets/redis-password" 2>/dev/null) \
    redis-cli --no-auth-warning -h 127.0.0.1 -p "$port" "$@" 2>/dev/null
}

# redis_pid DIR — the pid of the Redis server whose pid file is in DIR, while it runs.
redis_pid() {
  local pid
  pid=$(cat "$1/redis.pid" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = redis-server ] && echo "$pid"
}

# redis_guarded PORT — the server asks for the password and takes ours.
redis_guarded() {
  [ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" != PONG ] && [ "$(redis_cli "$1" ping)" = PONG ]
}

# stop_redis DIR — SIGTERM (Redis shuts down cleanly on it, whatever password it has).
stop_redis() {
  local pid
  pid=$(redis_pid "$1") || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  echo "branchpoint: Redis (pid $pid) did not stop" >&2
  return 1
}

# write_redis_conf DIR PORT PASSWORD — the server's settings, in a file only root reads (the
# password must not be on the command line).
write_redis_conf() {
  (umask 077 && cat >"$1/redis.conf.next" <<CONF && mv "$1/redis.conf.next" "$1/redis.conf")
# Written by scripts/lib/stack.sh on every start; changes here are lost.
daemonize yes
bind 127.0.0.1
port $2
dir $1
appendonly yes
save ""
pidfile $1/redis.pid
logfile $1/redis.log
requirepass $3
CONF
}

# ensure_redis — Redis with a password, generated once into secrets/redis-password. A server
# an older run left without one (or with another) is restarted with it.
ensure_redis() {
  if [ -n "${REDIS_URL:-}" ]; then export REDIS_URL; return 0; fi
  local dir="$BP_DATA_DIR/redis" password
  password=$(secret redis-password) || return 1
  mkdir -p "$dir" && chmod 0700 "$dir"
  [ -f "$dir/port" ] && BP_REDIS_PORT=$(cat "$dir/port")
  if redis_pid "$dir" >/dev/null && ! redis_guarded "$BP_REDIS_PORT"; then
    echo "branchpoint: restarting Redis on port $BP_REDIS_PORT with the password in $BP_DATA_DIR/secrets/redis-password"
    stop_redis "$dir" || return 1
  fi
  if ! redis_pid "$dir" >/dev/null; then
    BP_REDIS_PORT=$(free_port "$BP_REDIS_PORT")
    echo "$BP_REDIS_PORT" >"$dir/port"
    write_redis_conf "$dir" "$BP_REDIS_PORT" "$password" || return 1
    echo "branchpoint: starting Redis on port $BP_REDIS_PORT"
    redis-server "$dir/redis.conf" >/dev/null || return 1
    BP_STARTED_SERVICES+=("redis:$BP_REDIS_PORT")
    for _ in $(seq 1 50); do redis_guarded "$BP_REDIS_PORT" && break; sleep 0.1; done
    redis_guarded "$BP_REDIS_PORT" || { echo "branchpoint: Redis did not start with its password (see $dir/redis.log)" >&2; return 1; }
  fi
  export REDIS_URL="redis://:$password@127.0.0.1:$BP_REDIS_PORT"
}

# Stops what this run started (a service that was already running is left running).
stop_started_services() {
  local s
  for s in "${BP_STARTED_SERVICES[@]}"; do
    case "$s" in
      pg:*) as_postgres "$(pg_bin_dir)/pg_ctl" -D "${s#pg:}" -m fast -w stop >/dev/null 2>&1 || true ;;
      redis:*) redis_cli "${s#redis:}" shutdown nosave >/dev/null || true ;;
      mariadb:*) stop_source_mariadb ;;
    esac
  done
  BP_STARTED_SERVICES=()
}

# Each step returns non-zero on failure (also where the caller has set -e switched off).
ensure_stack() {
  secure_data_dir || return 1
  ensure_zfs || return 1
  ensure_metadata_db || return 1
  ensure_source_db || return 1
  ensure_source_mariadb || return 1
  ensure_redis || return 1
  BP_PG_BIN="$(pg_bin_dir)" || return 1
  export BP_PG_BIN
}
