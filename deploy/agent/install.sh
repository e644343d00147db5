#!/usr/bin/env bash
# Installs (or upgrades) the Branchpoint storage agent on a ZFS host as a systemd service.
# Run as root from a checkout of the repository:
#
#   sudo BP_ZFS_ROOT=tank/branchpoint BP_AGENT_HOST=0.0.0.0 deploy/agent/install.sh
#
# Settings (environment; kept in /etc/branchpoint/agent.env, which a re-run leaves alone):
#   BP_ZFS_ROOT      root dataset the agent owns (required on first install; created if missing)
#   BP_AGENT_HOST    address to listen on (127.0.0.1; 0.0.0.0 when the control plane is remote)
#   BP_AGENT_PORT    7070
#   BP_CLONE_PORTS   ports of the clone PostgreSQL servers (55000-55999)
#   BP_CLONE_HOST    host name put in connection strings (this host's FQDN)
#   BP_PG_BIN        PostgreSQL server binaries (the newest /usr/lib/postgresql/*/bin)
#   BP_INSTALL_DIR   /opt/branchpoint-agent  (BP_AGENT_ENV_FILE, BP_SYSTEMD_DIR move the other two files)
# A token is generated on first install and printed; register the host with it in the
# control plane (POST /api/v1/hosts {name, url: https://…, token, fingerprint}); the end of
# the run prints the call, with the fingerprint of the certificate the agent serves.
set -euo pipefail

NODE_MAJOR=24
REPO=$(cd "$(dirname "$0")/../.." && pwd)
INSTALL_DIR=${BP_INSTALL_DIR:-/opt/branchpoint-agent}
ENV_FILE=${BP_AGENT_ENV_FILE:-/etc/branchpoint/agent.env}
UNIT=${BP_SYSTEMD_DIR:-/etc/systemd/system}/branchpoint-agent.service

say() { printf 'install: %s\n' "$*"; }
die() { printf 'install: %s\n' "$*" >&2; exit 1; }

check_host() {
  [ "$(id -u)" = 0 ] || die "run as root (the agent drives zfs and runs PostgreSQL as the postgres user)"
  command -v zfs >/dev/null || die "zfs is not installed (OpenZFS 2.x: apt-get install zfsutils-linux)"
  command -v runuser >/dev/null || die "runuser (util-linux) is missing"
  command -v openssl >/dev/null || die "openssl is missing (the agent makes its TLS certificate with it)"
}

ensure_postgres() {
  if [ -z "${BP_PG_BIN:-}" ]; then
    BP_PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  fi
  if [ -z "$BP_PG_BIN" ] && command -v apt-get >/dev/null; then
    say "installing the PostgreSQL server"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    BP_PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  [ -x "${BP_PG_BIN:-}/pg_ctl" ] || die "no PostgreSQL server binaries found; install PostgreSQL and set BP_PG_BIN"
  id postgres >/dev/null 2>&1 || die "the postgres OS user is missing (it comes with the PostgreSQL packages)"
}

node_arch() {
  case "$(uname -m)" in
    x86_64) echo x64 ;;
    aarch64 | arm64) echo arm64 ;;
    *) die "unsupported CPU architecture $(uname -m)" ;;
  esac
}

# Node 24 in $INSTALL_DIR/node: the one on PATH when it is 24, else the official build,
# checked against its published SHA-256.
ensure_node() {
  local node="$INSTALL_DIR/node/bin/node"
  if [ -x "$node" ] && [ "$("$node" -p 'process.versions.node.split(".")[0]')" = "$NODE_MAJOR" ]; then return 0; fi
  mkdir -p "$INSTALL_DIR"
  rm -rf "$INSTALL_DIR/node"
  if command -v node >/dev/null && [ "$(node -p 'process.versions.node.split(".")[0]')" = "$NODE_MAJOR" ]; then
    local prefix
    prefix=$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")
    say "using Node $(node --version) from $prefix"
    ln -s "$prefix" "$INSTALL_DIR/node"
    return 0
  fi
  local base="https://nodejs.org/dist/latest-v$NODE_MAJOR.x" tmp file
  tmp=$(mktemp -d)
  curl -fsSL "$base/SHASUMS256.txt" -o "$tmp/SHASUMS256.txt"
  file=$(awk -v a="linux-$(node_arch).tar.xz" '$2 ~ a"$" {print $2}' "$tmp/SHASUMS256.txt")
  [ -n "$file" ] || die "no Node $NODE_MAJOR build for linux-$(node_arch)"
  say "downloading $file"
  curl -fsSL "$base/$file" -o "$tmp/$file"
  (cd "$tmp" && grep " $file\$" SHASUMS256.txt | sha256sum -c --quiet -) || die "checksum mismatch for $file"
  mkdir -p "$INSTALL_DIR/node"
  tar -xJf "$tmp/$file" -C "$INSTALL_DIR/node" --strip-components=1
  rm -rf "$tmp"
}

# The agent and the contracts it imports, built in the checkout when needed.
build_agent() {
  export PATH="$INSTALL_DIR/node/bin:$PATH"
  if [ -f "$REPO/storage-agent/dist/main.js" ] && [ -f "$REPO/libs/contracts/dist/index.js" ]; then return 0; fi
  say "building the agent in $REPO"
  (cd "$REPO" && { [ -d node_modules ] || npm ci --no-audit --no-fund; } &&
    NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false npx nx run-many -t build -p @branchpoint/contracts,@branchpoint/storage-agent)
}

# $INSTALL_DIR/app: the agent's dist, the contracts as a local package, production
# dependencies from the npm registry. Built beside the old one and swapped in.
stage_app() {
  local next="$INSTALL_DIR/app.next"
  rm -rf "$next"
  mkdir -p "$next/vendor/contracts"
  cp -r "$REPO/storage-agent/dist" "$next/dist"
  cp -r "$REPO/libs/contracts/package.json" "$REPO/libs/contracts/dist" "$next/vendor/contracts/"
  node -e '
    const fs = require("node:fs");
    const agent = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    const dependencies = { ...agent.dependencies, "@branchpoint/contracts": "file:./vendor/contracts" };
    const app = { name: "branchpoint-agent", version: agent.version, private: true, type: "module", dependencies };
    fs.writeFileSync(process.argv[2], JSON.stringify(app, null, 2) + "\n");
  ' "$REPO/storage-agent/package.json" "$next/package.json"
  say "installing the agent's dependencies"
  (cd "$next" && npm install --omit=dev --no-audit --no-fund --loglevel=error)
  rm -rf "$INSTALL_DIR/app.old"
  [ -d "$INSTALL_DIR/app" ] && mv "$INSTALL_DIR/app" "$INSTALL_DIR/app.old"
  mv "$next" "$INSTALL_DIR/app"
  rm -rf "$INSTALL_DIR/app.old"
}

ensure_root_dataset() {
  zfs list -H -o name "$BP_ZFS_ROOT" >/dev/null 2>&1 && return 0
  zpool list -H -o name "${BP_ZFS_ROOT%%/*}" >/dev/null 2>&1 || die "pool ${BP_ZFS_ROOT%%/*} does not exist"
  say "creating dataset $BP_ZFS_ROOT"
  zfs create -p "$BP_ZFS_ROOT"
}

write_env_file() {
  if [ -f "$ENV_FILE" ]; then
    say "keeping $ENV_FILE (and its token)"
    # shellcheck disable=SC1090
    BP_ZFS_ROOT=$(. "$ENV_FILE" && echo "$BP_ZFS_ROOT")
    return 0
  fi
  [ -n "${BP_ZFS_ROOT:-}" ] || die "set BP_ZFS_ROOT (e.g. tank/branchpoint) for the first install"
  local token
  token=$("$INSTALL_DIR/node/bin/node" -e 'process.stdout.write(require("node:crypto").randomBytes(32).toString("base64url"))')
  mkdir -p "$(dirname "$ENV_FILE")"
  (umask 077 && cat >"$ENV_FILE" <<EOF
BP_AGENT_HOST=${BP_AGENT_HOST:-127.0.0.1}
BP_AGENT_PORT=${BP_AGENT_PORT:-7070}
BP_AGENT_TOKEN=$token
BP_ZFS_ROOT=$BP_ZFS_ROOT
BP_PG_BIN=$BP_PG_BIN
BP_CLONE_PORTS=${BP_CLONE_PORTS:-55000-55999}
BP_CLONE_HOST=${BP_CLONE_HOST:-$(hostname -f 2>/dev/null || hostname)}
BP_AGENT_RUN_DIR=/var/lib/branchpoint-agent
EOF
  )
  say "wrote $ENV_FILE with a new token"
}

# The unit's file system is read-only (ProtectSystem=strict) but for its state directory and
# what this drop-in names: the mountpoint of the root dataset, and a run dir kept elsewhere.
write_writable_paths() {
  local mountpoint run_dir paths
  mountpoint=$(zfs get -H -o value mountpoint "$BP_ZFS_ROOT")
  case "$mountpoint" in
    /*) ;;
    *) die "dataset $BP_ZFS_ROOT has no mountpoint ($mountpoint); the agent needs one" ;;
  esac
  # shellcheck disable=SC1090
  run_dir=$(. "$ENV_FILE" && echo "${BP_AGENT_RUN_DIR:-/var/lib/branchpoint-agent}")
  paths=$mountpoint
  case "$run_dir" in /var/lib/branchpoint-agent | /var/lib/branchpoint-agent/*) ;; *) paths="$paths $run_dir" ;; esac
  mkdir -p "$UNIT.d"
  {
    echo "# Written by install.sh: what the agent may write besides its state directory."
    echo "[Service]"
    echo "ReadWritePaths=$paths"
    # ProtectHome=yes hides these trees entirely; a root dataset mounted there needs them.
    case " $paths" in *" /home"* | *" /root"* | *" /run/user"*) echo "ProtectHome=no" ;; esac
  } >"$UNIT.d/paths.conf"
  say "the agent may write to: $paths (and /var/lib/branchpoint-agent)"
}

start_service() {
  sed "s#/opt/branchpoint-agent#$INSTALL_DIR#g" "$REPO/deploy/agent/branchpoint-agent.service" >"$UNIT"
  write_writable_paths
  if [ ! -d /run/systemd/system ]; then
    say "systemd is not running here; installed $UNIT — start it with: systemctl enable --now branchpoint-agent"
    return 0
  fi
  systemctl daemon-reload
  systemctl enable branchpoint-agent >/dev/null 2>&1
  systemctl restart branchpoint-agent
  # shellcheck disable=SC1090
  local port
  port=$(. "$ENV_FILE" && echo "$BP_AGENT_PORT")
  for _ in $(seq 1 60); do
    # -k: only "is it up?"; the certificate may not name 127.0.0.1, and no secret is sent.
    curl -fsSk "https://127.0.0.1:$port/v1/health" >/dev/null 2>&1 && { say "the agent is up on port $port"; return 0; }
    sleep 1
  done
  die "the agent did not answer on port $port; see: journalctl -u branchpoint-agent"
}

check_host
ensure_postgres
ensure_node
build_agent
write_env_file
ensure_root_dataset
stage_app
start_service
# shellcheck disable=SC1090
. "$ENV_FILE"
# The certificate the agent serves (made at its first start unless given): its fingerprint is
# what the control plane pins.
fingerprint=$(openssl x509 -noout -fingerprint -sha256 \
  -in "${BP_AGENT_TLS_CERT:-${BP_AGENT_RUN_DIR:-/var/lib/branchpoint-agent}/tls/agent.crt}" 2>/dev/null | cut -d= -f2) ||
  fingerprint='<the "certificate sha256" of: journalctl -u branchpoint-agent | grep listening>'
cat <<EOF

Storage agent installed. Register this host in the control plane (as admin):
  POST /api/v1/hosts {"name": "$(hostname -s)", "url": "https://$BP_CLONE_HOST:$BP_AGENT_PORT", "token": "<BP_AGENT_TOKEN from $ENV_FILE>", "fingerprint": "$fingerprint"}
Clone servers listen on ports $BP_CLONE_PORTS; open them (and $BP_AGENT_PORT, to the control plane only) in the firewall.
EOF
