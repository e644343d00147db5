# Sourced: installs the npm dependencies when package-lock.json changed since the last install.
# A fresh clone gets `npm ci`; an existing node_modules is only topped up with `npm install`
# (never wiped: other processes of the same tree may be using it). Installs are serialized
# with flock and the check is repeated under the lock, so concurrent runs install once.
: "${BP_NPM_LOCK:=${TMPDIR:-/tmp}/bp-npm.lock}"

dependencies_current() {
  cmp -s "$BP_ROOT/node_modules/.branchpoint-lock" "$BP_ROOT/package-lock.json"
}

ensure_dependencies() {
  dependencies_current && return 0
  (
    cd "$BP_ROOT" || exit 1
    if command -v flock >/dev/null 2>&1; then exec 9>"$BP_NPM_LOCK" && flock 9; fi
    dependencies_current && exit 0
    install=(npm ci)
    [ -d node_modules ] && install=(npm install)
    echo "branchpoint: installing npm dependencies (${install[*]})"
    "${install[@]}" --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.branchpoint-lock
  )
}
