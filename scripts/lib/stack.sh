# Sourced: the local stack every run needs — a ZFS pool (file-backed under zfs-fuse when the
# machine has no kernel ZFS), a metadata PostgreSQL, Redis, and a demo "production" PostgreSQL
# to ingest from. Each piece is reused when present and left alone when configured from
# outside (BP_ZFS_ROOT, DATABASE_URL, REDIS_URL, BP_SOURCE_ADMIN_URL).

: "${BP_DATA_DIR:=$BP_ROOT/.data}"
: "${BP_ZFS_POOL_SIZE:=20G}"
: "${BP_META_PG_PORT:=54329}"
: "${BP_SOURCE_PG_PORT:=54330}"
: "${BP_REDIS_PORT:=63799}"
export BP_DATA_DIR
BP_POOL_DIR="$BP_DATA_DIR/zfs"

BP_STARTED_SERVICES=()

pg_bin_dir() {
  if [ -n "${BP_PG_BIN:-}" ]; then echo "$BP_PG_BIN"; return 0; fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] || { echo "branchpoint: no PostgreSQL server binaries under /usr/lib/postgresql" >&2; return 1; }
  echo "$dir"
}

as_postgres() { runuser -u postgres -- "$@"; }

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port FROM — FROM, or the next port after it that nothing listens on (another checkout's
# stack may hold the default ports, e.g. when CI runs beside a developer's `npm start`).
free_port() {
  local port=$1
  while port_taken "$port"; do port=$((port + 1)); done
  echo "$port"
}

# free_pool_name — "branchpoint", or when another checkout's pool holds that name (zfs-fuse
# serves every pool of the machine), a name derived from this checkout's data folder.
free_pool_name() {
  if zpool list -H -o name branchpoint >/dev/null 2>&1; then
    echo "branchpoint-$(printf %s "$BP_POOL_DIR" | sha256sum | cut -c1-8)"
  else
    echo branchpoint
  fi
}

# imported_pool — the name of the imported pool backed by this checkout's image, if any.
imported_pool() {
  zpool status 2>/dev/null | awk -v image="$BP_POOL_DIR/pool.img" '
    $1 == "pool:" { name = $2 }
    $1 == image { print name; exit }'
}

# ensure_own_pool — imports or creates this checkout's file-backed pool and prints its name.
# While it was not imported another checkout may have taken its name; zpool import then
# renames it to a free one. The name it was last imported with is kept in pool-name.
ensure_own_pool() {
  local name stored
  name=$(imported_pool)
  if [ -z "$name" ] && [ -f "$BP_POOL_DIR/pool.img" ]; then
    stored=$(cat "$BP_POOL_DIR/pool-name" 2>/dev/null || echo branchpoint)
    name=$stored
    zpool list -H -o name "$name" >/dev/null 2>&1 && name=$(free_pool_name)
    zpool import -o cachefile=none -d "$BP_POOL_DIR" "$stored" "$name" >&2
    [ "$(imported_pool)" = "$name" ] || {
      echo "branchpoint: cannot import pool $stored from $BP_POOL_DIR/pool.img (npm run reset starts over)" >&2
      return 1
    }
  elif [ -z "$name" ]; then
    name=${BP_ZFS_POOL:-$(free_pool_name)}
    echo "branchpoint: creating file-backed ZFS pool $name ($BP_ZFS_POOL_SIZE sparse) in $BP_POOL_DIR" >&2
    truncate -s "$BP_ZFS_POOL_SIZE" "$BP_POOL_DIR/pool.img"
    # cachefile=none: the daemon never re-imports it on its own, so a pool whose image has
    # gone (a deleted checkout) cannot linger under a name another checkout wants.
    zpool create -o cachefile=none -m "$BP_POOL_DIR/mnt" "$name" "$BP_POOL_DIR/pool.img" >&2 || return 1
  fi
  echo "$name" >"$BP_POOL_DIR/pool-name"
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

cluster_port() { sed -n 's/^port = \([0-9]*\).*/\1/p' "$1/postgresql.conf" | tail -n 1; }

# init_cluster DIR PORT — a private PostgreSQL cluster run by the postgres OS user. It keeps
# the port it was first given unless another process holds it when it must start; the port in
# use is left in BP_CLUSTER_PORT.
init_cluster() {
  local dir=$1 port=$2 bin
  bin=$(pg_bin_dir) || return 1
  mkdir -p "$BP_DATA_DIR/run"
  chown postgres: "$BP_DATA_DIR/run"
  chmod 0775 "$BP_DATA_DIR/run"
  if [ ! -f "$dir/PG_VERSION" ]; then
    mkdir -p "$dir" && chown postgres: "$dir" && chmod 0700 "$dir"
    as_postgres "$bin/initdb" -D "$dir" -U postgres --auth-local=peer --auth-host=scram-sha-256 -E UTF8 >/dev/null || return 1
    cat >>"$dir/postgresql.conf" <<CONF
port = $(free_port "$port")
listen_addresses = '127.0.0.1'
unix_socket_directories = '$BP_DATA_DIR/run'
CONF
  fi
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
  fi
  BP_CLUSTER_PORT=$port
}

psql_as_postgres() { # PORT DB SQL...
  local port=$1 db=$2; shift 2
  as_postgres "$(pg_bin_dir)/psql" -h "$BP_DATA_DIR/run" -p "$port" -d "$db" -v ON_ERROR_STOP=1 -qAt "$@"
}

ensure_metadata_db() {
  if [ -n "${DATABASE_URL:-}" ]; then export DATABASE_URL; return 0; fi
  init_cluster "$BP_DATA_DIR/pg-meta" "$BP_META_PG_PORT" || return 1
  BP_META_PG_PORT=$BP_CLUSTER_PORT
  psql_as_postgres "$BP_META_PG_PORT" postgres <<'SQL' || return 1
SELECT 'CREATE ROLE branchpoint LOGIN CREATEDB PASSWORD ''branchpoint''' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'branchpoint')\gexec
SELECT 'CREATE DATABASE branchpoint OWNER branchpoint' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'branchpoint')\gexec
SQL
  export DATABASE_URL="postgres://branchpoint:branchpoint@127.0.0.1:$BP_META_PG_PORT/branchpoint"
}

# The demo "production" database that templates ingest from (pg_basebackup needs replication).
ensure_source_db() {
  if [ -n "${BP_SOURCE_ADMIN_URL:-}" ]; then export BP_SOURCE_ADMIN_URL; return 0; fi
  local dir="$BP_DATA_DIR/pg-source"
  local fresh=0
  [ -f "$dir/PG_VERSION" ] || fresh=1
  init_cluster "$dir" "$BP_SOURCE_PG_PORT" || return 1
  BP_SOURCE_PG_PORT=$BP_CLUSTER_PORT
  if [ "$fresh" = 1 ]; then
    cat >>"$dir/postgresql.conf" <<'CONF'
wal_level = replica
max_wal_senders = 10
CONF
    echo "host replication all 127.0.0.1/32 scram-sha-256" >>"$dir/pg_hba.conf"
    as_postgres "$(pg_bin_dir)/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 restart >/dev/null || return 1
  fi
  psql_as_postgres "$BP_SOURCE_PG_PORT" postgres <<'SQL' || return 1
SELECT 'CREATE ROLE bpsource LOGIN SUPERUSER REPLICATION PASSWORD ''bpsource''' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'bpsource')\gexec
SQL
  export BP_SOURCE_ADMIN_URL="postgres://bpsource:bpsource@127.0.0.1:$BP_SOURCE_PG_PORT/postgres"
}

ensure_redis() {
  if [ -n "${REDIS_URL:-}" ]; then export REDIS_URL; return 0; fi
  local dir="$BP_DATA_DIR/redis"
  mkdir -p "$dir"
  [ -f "$dir/port" ] && BP_REDIS_PORT=$(cat "$dir/port")
  if ! { [ -f "$dir/redis.pid" ] && kill -0 "$(cat "$dir/redis.pid")" 2>/dev/null; }; then
    BP_REDIS_PORT=$(free_port "$BP_REDIS_PORT")
    echo "$BP_REDIS_PORT" >"$dir/port"
    echo "branchpoint: starting Redis on port $BP_REDIS_PORT"
    redis-server --daemonize yes --bind 127.0.0.1 --port "$BP_REDIS_PORT" --dir "$dir" \
      --appendonly yes --save "" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null || return 1
    BP_STARTED_SERVICES+=("redis:$BP_REDIS_PORT")
    for _ in $(seq 1 50); do redis-cli -p "$BP_REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
    redis-cli -p "$BP_REDIS_PORT" ping >/dev/null 2>&1 || { echo "branchpoint: Redis did not start (see $dir/redis.log)" >&2; return 1; }
  fi
  export REDIS_URL="redis://127.0.0.1:$BP_REDIS_PORT"
}

# Stops what this run started (a service that was already running is left running).
stop_started_services() {
  local s
  for s in "${BP_STARTED_SERVICES[@]}"; do
    case "$s" in
      pg:*) as_postgres "$(pg_bin_dir)/pg_ctl" -D "${s#pg:}" -m fast -w stop >/dev/null 2>&1 || true ;;
      redis:*) redis-cli -p "${s#redis:}" shutdown nosave >/dev/null 2>&1 || true ;;
    esac
  done
  BP_STARTED_SERVICES=()
}

# Each step returns non-zero on failure (also where the caller has set -e switched off).
ensure_stack() {
  ensure_zfs || return 1
  ensure_metadata_db || return 1
  ensure_source_db || return 1
  ensure_redis || return 1
  BP_PG_BIN="$(pg_bin_dir)" || return 1
  export BP_PG_BIN
}
