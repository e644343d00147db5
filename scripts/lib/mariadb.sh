# Sourced by lib/stack.sh: the demo MariaDB source server that templates with a `mariadb` source
# ingest from (mariadb-backup copies its files, so it runs on this host). A server of its own on
# a port of its own, run by the `mysql` OS user (Debian's mariadb-server makes it), with its data
# in $BP_DATA_DIR/mariadb-source: the system MariaDB on 3306, when there is one, is left alone.

: "${BP_SOURCE_MARIADB_PORT:=54331}"

mariadb_source_dir() { echo "$BP_DATA_DIR/mariadb-source"; }
mariadb_source_run() { echo "$BP_DATA_DIR/run-mariadb"; }

# mariadb_source_sql SQL... — as root through the socket (unix_socket authentication).
mariadb_source_sql() {
  mariadb --no-defaults --socket="$(mariadb_source_run)/mariadbd.sock" -u root -N -B "$@"
}

mariadb_source_pid() {
  local pid
  pid=$(cat "$(mariadb_source_run)/mariadbd.pid" 2>/dev/null) || return 1
  [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = mariadbd ] && echo "$pid"
}

# ensure_source_mariadb — the server runs and `bpsource`@`127.0.0.1` logs in with the password
# kept in secrets/source-mariadb-password; exports BP_SOURCE_MARIADB_URL (mysql://…/mysql).
ensure_source_mariadb() {
  if [ -n "${BP_SOURCE_MARIADB_URL:-}" ]; then export BP_SOURCE_MARIADB_URL; return 0; fi
  local dir run port password
  dir=$(mariadb_source_dir)
  run=$(mariadb_source_run)
  command -v mariadbd >/dev/null || { echo "branchpoint: mariadbd is missing (apt-get install mariadb-server)" >&2; return 1; }
  if [ ! -d "$dir/mysql" ]; then
    echo "branchpoint: creating the demo MariaDB source in $dir"
    mkdir -p "$dir" && chown mysql: "$dir" && chmod 0700 "$dir"
    mariadb-install-db --no-defaults --user=mysql --datadir="$dir" --auth-root-authentication-method=socket \
      --skip-test-db >"$BP_DATA_DIR/mariadb-source-install.log" 2>&1 || {
      echo "branchpoint: mariadb-install-db failed (see $BP_DATA_DIR/mariadb-source-install.log)" >&2
      return 1
    }
    free_port "$BP_SOURCE_MARIADB_PORT" >"$dir/branchpoint-port"
  fi
  mkdir -p "$run" && chown mysql: "$run" && chmod 0700 "$run"
  port=$(cat "$dir/branchpoint-port")
  if ! mariadb_source_pid >/dev/null; then
    if port_taken "$port"; then
      port=$(free_port "$port")
      echo "$port" >"$dir/branchpoint-port"
    fi
    echo "branchpoint: starting the demo MariaDB source on port $port"
    # Detached, and no shell stays in between: `exec` drops the copies of our stdout that bash
    # keeps while a function's output is redirected, which would hold
    # `eval "$(bash scripts/setup.sh)"` open for as long as the server runs.
    ( (cd / && exec setsid runuser -u mysql -- mariadbd --no-defaults --datadir="$dir" \
      --port="$port" --bind-address=127.0.0.1 --socket="$run/mariadbd.sock" \
      --pid-file="$run/mariadbd.pid" --log-error="$dir/server.log" --skip-name-resolve \
      --innodb-buffer-pool-size=64M --performance-schema=OFF --skip-log-bin \
      </dev/null >/dev/null 2>&1) &)
    local _
    for _ in $(seq 1 300); do
      mariadb_source_sql -e 'SELECT 1' >/dev/null 2>&1 && break
      sleep 0.1
    done
    mariadb_source_sql -e 'SELECT 1' >/dev/null 2>&1 || {
      echo "branchpoint: the demo MariaDB source did not start (see $dir/server.log)" >&2
      return 1
    }
    BP_STARTED_SERVICES+=("mariadb:$dir")
  fi
  password=$(secret source-mariadb-password) || return 1
  # The password goes in on stdin, never on a command line.
  mariadb_source_sql <<SQL || return 1
CREATE USER IF NOT EXISTS 'bpsource'@'127.0.0.1';
ALTER USER 'bpsource'@'127.0.0.1' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON *.* TO 'bpsource'@'127.0.0.1' WITH GRANT OPTION;
SQL
  export BP_SOURCE_MARIADB_URL="mysql://bpsource:$password@127.0.0.1:$port/mysql"
}

stop_source_mariadb() {
  local pid _
  pid=$(mariadb_source_pid) || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
}
