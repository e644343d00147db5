# Sourced after lib/node.sh by every entry script: everything a run needs on this machine.
source "$BP_ROOT/scripts/lib/system.sh"
source "$BP_ROOT/scripts/lib/deps.sh"
source "$BP_ROOT/scripts/lib/stack.sh"
source "$BP_ROOT/scripts/lib/build.sh"

# System packages, Node 24, npm dependencies, then the local stack (pool, PostgreSQL, Redis).
prepare_machine() {
  ensure_system_packages
  ensure_node
  ensure_dependencies
  ensure_stack
}
