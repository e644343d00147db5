# Sourced: runs Nx targets over every project, offline and without its daemon or terminal UI,
# so it behaves the same on a laptop, in CI and from a fresh clone (the Nx cache only speeds
# it up). BP_BUILD_EXCLUDE (comma-separated project names) leaves projects out, e.g. while one
# is being written.
# nx_run_many TARGET [NX ARGS...]
nx_run_many() {
  local args=(run-many -t "$1" --outputStyle=stream "${@:2}")
  [ -n "${BP_BUILD_EXCLUDE:-}" ] && args+=("--exclude=$BP_BUILD_EXCLUDE")
  echo "branchpoint: $1 (nx ${args[*]})"
  (
    cd "$BP_ROOT"
    export NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false NX_INTERACTIVE=false NX_VERBOSE_LOGGING=false
    node_modules/.bin/nx "${args[@]}"
  )
}

build_all() { nx_run_many build; }
# ESLint and the type check per project through Nx (the type check also covers specs and e2e
# tests, which the build leaves out), ESLint over bench/ and scripts/ (plain Node modules outside
# the projects), then Prettier over the whole tree (.prettierignore).
lint_all() {
  nx_run_many lint && nx_run_many typecheck &&
    (cd "$BP_ROOT" && node_modules/.bin/eslint bench scripts &&
      node_modules/.bin/prettier --check . --log-level warn)
}
