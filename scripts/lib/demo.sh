# Sourced: the demo "production" database — `employees` in the source cluster
# (BP_SOURCE_ADMIN_URL), one table of a few hundred employees, created once and then left
# alone so that what people did to it survives a restart.

# demo_source_url — BP_SOURCE_ADMIN_URL pointed at the `employees` database.
demo_source_url() {
  local base=${BP_SOURCE_ADMIN_URL%%\?*}
  local query=${BP_SOURCE_ADMIN_URL#"$base"}
  printf '%s/employees%s\n' "${base%/*}" "$query"
}

# psql_url URL ARGS... — psql on URL with its password in PGPASSWORD: a command line is
# readable by every user in /proc, clones' servers (other uids) among them.
psql_url() {
  local parts
  mapfile -t parts < <(node -e '
    const url = new URL(process.argv[1]);
    console.log(decodeURIComponent(url.password));
    url.password = "";
    console.log(url.toString());
  ' "$1")
  shift
  PGPASSWORD=${parts[0]} "$BP_PG_BIN/psql" "${parts[1]}" "$@"
}

ensure_demo_source() {
  local -x PGOPTIONS='-c client_min_messages=warning'
  psql_url "$BP_SOURCE_ADMIN_URL" -v ON_ERROR_STOP=1 -qAt <<'SQL'
SELECT 'CREATE DATABASE employees' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'employees')\gexec
SQL
  psql_url "$(demo_source_url)" -v ON_ERROR_STOP=1 -qAt <<'SQL'
CREATE TABLE IF NOT EXISTS employees (
  id         serial PRIMARY KEY,
  name       text NOT NULL,
  email      text NOT NULL UNIQUE,
  department text NOT NULL,
  salary     integer NOT NULL CHECK (salary > 0),
  hired_on   date NOT NULL
);
-- 300 employees, the same ones on every machine.
INSERT INTO employees (name, email, department, salary, hired_on)
SELECT first || ' ' || last,
       lower(first || '.' || last || '.' || g) || '@example.com',
       department, 42000 + (g * 7919) % 90000, DATE '2015-01-05' + (g * 37) % 3800
FROM generate_series(1, 300) AS g
CROSS JOIN LATERAL (SELECT
  (ARRAY['Ada','Grace','Alan','Edsger','Barbara','Donald','Frances','Ken','Margaret','Dennis',
         'Radia','Linus','Sophie','John','Katherine','Tim','Hedy','Niklaus','Lynn','Guido'])[1 + g % 20] AS first,
  (ARRAY['Lovelace','Hopper','Turing','Dijkstra','Liskov','Knuth','Allen','Thompson','Hamilton',
         'Ritchie','Perlman','Torvalds','Wilson','Backus','Johnson','Berners-Lee','Lamarr','Wirth',
         'Conway','van Rossum','Goldberg','Kay','Lamport','Stonebraker','Codd'])[1 + (g * 7) % 25] AS last,
  (ARRAY['Engineering','Sales','Support','Finance','Marketing','Operations'])[1 + g % 6] AS department
) AS person
WHERE NOT EXISTS (SELECT FROM employees);
SQL
}

# The second demo, template `shop`, spans engines as a Frappe bench does: the MariaDB database
# `shop` (BP_SOURCE_MARIADB_URL's server) as `site`, a folder of files as `files`, and the
# PostgreSQL `employees` as `analytics`. Also created once and then left alone.

# demo_mariadb_url — BP_SOURCE_MARIADB_URL pointed at the `shop` database.
demo_mariadb_url() {
  printf '%s/shop\n' "${BP_SOURCE_MARIADB_URL%/*}"
}

demo_files_dir() { echo "$BP_DATA_DIR/demo-files"; }

ensure_demo_shop_source() {
  mariadb_source_sql <<'SQL' || return 1
CREATE DATABASE IF NOT EXISTS shop;
USE shop;
CREATE TABLE IF NOT EXISTS products (
  id          int AUTO_INCREMENT PRIMARY KEY,
  name        varchar(64) NOT NULL,
  price_cents int NOT NULL,
  stock       int NOT NULL
) ENGINE=InnoDB;
-- 120 products, the same ones on every machine (seq_1_to_120: MariaDB's sequence engine).
INSERT INTO products (name, price_cents, stock)
SELECT CONCAT(ELT(1 + seq % 6, 'Desk', 'Lamp', 'Chair', 'Shelf', 'Rug', 'Clock'), ' ', seq),
       990 + (seq * 7919) % 40000, (seq * 37) % 60
FROM seq_1_to_120
WHERE (SELECT COUNT(*) FROM products) = 0;
SQL
  local dir
  dir=$(demo_files_dir)
  mkdir -p "$dir/images"
  [ -f "$dir/README.txt" ] || echo "Site files of the shop demo: uploads the MariaDB rows point at." >"$dir/README.txt"
  [ -f "$dir/images/logo.svg" ] ||
    echo '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><circle cx="32" cy="32" r="30"/></svg>' >"$dir/images/logo.svg"
}
