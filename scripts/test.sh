#!/usr/bin/env bash
# npm test [unit|e2e]: every project's `test:unit` script, then every `test:e2e` script.
#   npm test           the same preparation as npm start (packages, Node 24, npm dependencies, ZFS
#                      pool, metadata PostgreSQL, Redis, source PostgreSQL), a build and lint of
#                      every project, then the unit and the e2e tests: what CI proves.
#   npm run test:unit  Node 24, npm dependencies and the shared libraries' build, then the unit
#                      tests alone: no services, no ZFS, under two minutes.
#   npm run test:e2e   the preparation and build, then the integration and end-to-end tests.
# Ends with the line "N passed, N failed" and a non-zero exit code when anything failed.
# Services this run started are stopped again.
set -euo pipefail
source "$(dirname "$0")/lib/node.sh"
source "$BP_ROOT/scripts/lib/prepare.sh"

mode=${1:-all}
case "$mode" in all | unit | e2e) ;; *)
  echo "usage: test.sh [unit|e2e]" >&2
  exit 2
  ;;
esac

reports=$(mktemp -d)
passed=0
failed=0
summary=()
stage=preparation

finish() {
  local code=$?
  if [ "$code" != 0 ] && [ "$stage" != tests ]; then
    summary+=("$stage failed (exit $code)")
    failed=$((failed + 1))
  fi
  stop_started_services
  rm -rf "$reports"
  echo
  echo "Test summary:"
  local line
  for line in "${summary[@]}"; do echo "  $line"; done
  echo "$passed passed, $failed failed"
}
trap 'finish' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# projects — the workspace folders of the root package.json ("libs/*" expanded), in order.
projects() {
  node -e '
    const { existsSync, readdirSync } = require("node:fs");
    const { join } = require("node:path");
    const root = process.argv[1];
    for (const pattern of require(join(root, "package.json")).workspaces) {
      const dirs = pattern.endsWith("/*")
        ? readdirSync(join(root, pattern.slice(0, -2))).sort().map((name) => join(pattern.slice(0, -2), name))
        : [pattern];
      for (const dir of dirs) if (existsSync(join(root, dir, "package.json"))) console.log(dir);
    }
  ' "$BP_ROOT"
}

# script_of DIR NAME — the npm script NAME of the project in DIR, empty when it has none.
script_of() {
  node -e 'const p = require(process.argv[1]); process.stdout.write(p.scripts?.[process.argv[2]] ?? "")' \
    "$BP_ROOT/$1/package.json" "$2"
}

has_tests() {
  [ -n "$(find "$BP_ROOT/$1" \( -name node_modules -o -name dist \) -prune -o \
    \( -name '*.spec.ts' -o -name '*.test.ts' -o -name '*.spec.mjs' -o -name '*.test.mjs' \) -print -quit)" ]
}

# reporter_args SCRIPT JSON_FILE — extra arguments that make the runner also write a JSON report.
reporter_args() {
  case "$1" in
    *'ng test'*) printf '%s\n' --reporters=default --reporters=json "--output-file=$2" ;;
    *vitest*) printf '%s\n' --reporter=default --reporter=json "--outputFile=$2" --passWithNoTests ;;
  esac
}

# run_suite DIR SCRIPT — runs it, adds its counts to the totals.
run_suite() {
  local dir=$1 script=$2 label="$1 $2" json log code counts
  json="$reports/${dir//\//-}-${script//:/-}.json"
  log="$reports/${dir//\//-}-${script//:/-}.log"
  local args=()
  mapfile -t args < <(reporter_args "$(script_of "$dir" "$script")" "$json")
  echo
  echo "── $label ─────────────────────────────────────────"
  set +e
  (cd "$BP_ROOT/$dir" && npm run "$script" -- "${args[@]}" </dev/null) 2>&1 | tee "$log"
  code=${PIPESTATUS[0]}
  set -e
  counts=$(node "$BP_ROOT/scripts/lib/test-report.mjs" "$json" "$log" "$code")
  passed=$((passed + ${counts% *}))
  failed=$((failed + ${counts#* }))
  summary+=("$label: ${counts% *} passed, ${counts#* } failed (exit $code)")
}

# The shared libraries (workspaces under libs/): unit tests load them from their builds.
build_libraries() {
  local names
  names=$(node -e '
    const { existsSync, readdirSync } = require("node:fs");
    const { join } = require("node:path");
    const libs = join(process.argv[1], "libs");
    console.log(readdirSync(libs).filter((d) => existsSync(join(libs, d, "package.json")))
      .map((d) => require(join(libs, d, "package.json")).name).join(","));
  ' "$BP_ROOT")
  nx_run_many build "--projects=$names"
}

main() {
  if [ "$mode" = unit ]; then
    ensure_node
    ensure_dependencies
    stage=build
    build_libraries
  else
    prepare_machine
    stage=build
    build_all
  fi
  if [ "$mode" = all ]; then
    stage=lint
    lint_all
  fi
  stage=tests
  local dir projects_list
  mapfile -t projects_list < <(projects)
  if [ "$mode" != e2e ]; then
    for dir in "${projects_list[@]}"; do
      if [ -z "$(script_of "$dir" test:unit)" ]; then continue; fi
      if has_tests "$dir"; then run_suite "$dir" test:unit; else summary+=("$dir test:unit: no tests"); fi
    done
  fi
  if [ "$mode" != unit ]; then
    for dir in "${projects_list[@]}"; do
      if [ -n "$(script_of "$dir" test:e2e)" ]; then run_suite "$dir" test:e2e; fi
    done
  fi
  [ "$failed" = 0 ]
}

main "$@"
