# Sourced: installs the system packages Branchpoint needs when they are missing.
# Debian/Ubuntu via apt; elsewhere it names what to install and stops.

BP_APT_PACKAGES=(zfs-fuse postgresql postgresql-contrib mariadb-server mariadb-backup redis-server chromium rsync python3 make g++ procps iproute2 curl util-linux)

missing_packages() {
  local p
  for p in "${BP_APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

# has_tool NAME — on PATH, or (for PostgreSQL's server tools) in BP_PG_BIN or Debian's layout.
has_tool() {
  command -v "$1" >/dev/null 2>&1 && return 0
  [ -x "${BP_PG_BIN:-/nonexistent}/$1" ] && return 0
  compgen -G "/usr/lib/postgresql/*/bin/$1" >/dev/null
}

ensure_system_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    local tool
    for tool in zpool zfs pg_ctl pg_basebackup redis-server redis-cli curl; do
      has_tool "$tool" || {
        echo "branchpoint: '$tool' is missing and this is not Debian/Ubuntu; install ZFS (OpenZFS or zfs-fuse), the PostgreSQL server, Redis, curl and Chromium, then run again" >&2
        return 1
      }
    done
    return 0
  fi
  local missing
  mapfile -t missing < <(missing_packages)
  [ "${#missing[@]}" = 0 ] && return 0
  if [ "$(id -u)" != 0 ]; then
    echo "branchpoint: missing system packages: ${missing[*]} — run as root, or: sudo apt-get install ${missing[*]}" >&2
    return 1
  fi
  echo "branchpoint: installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; then
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}
