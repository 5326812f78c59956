#!/usr/bin/env bash
# `npm start`: VS Code in the browser (code-server on 127.0.0.1) with Leakscope installed from
# this folder's fresh build, a copy of demo/ as the workspace, and the demo's programs running:
# a leaking Python server, a leaking Node service and a Python worker that only plateaus.
# Prints the URL and the pids; Ctrl+C stops everything it started.
#   PORT=9000 npm start                     another port (default 8080, or the next free one)
#   LEAKSCOPE_NO_DEMO_PROGRAMS=1 npm start  do not start the demo programs (Terminal › Run Task… does)
#   LEAKSCOPE_RESET_DEMO=1 npm start        a fresh copy of demo/ (otherwise your edits are kept)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
state="$root/tools/state"
workspace="$state/demo-workspace"
server_state="$state/code-server"
log() { echo "[start] $*"; }

[ -d node_modules ] || { echo "[start] node_modules is missing: run \`npm install && npm start\`" >&2; exit 1; }

bash scripts/ensure-tools.sh
log "building the extension"
node scripts/build.mjs

# Installed as a plain extension folder (what the .vsix would hold), so the URL needs no payload
# and code-server no test driver (which would hide notification toasts).
install_extension() {
  rm -rf "$server_state/ext"
  mkdir -p "$server_state/ext"
  node --input-type=module -e 'import { installExtensionFolder } from "./scripts/code-server.mjs"; installExtensionFolder(process.argv[1], process.argv[2]);' "$root" "$server_state/ext"
}

prepare_workspace() {
  if [ "${LEAKSCOPE_RESET_DEMO:-0}" = 1 ] || [ ! -d "$workspace" ]; then
    rm -rf "$workspace"
    mkdir -p "$state"
    cp -R demo "$workspace"
  elif ! diff -rq -x __pycache__ demo "$workspace" >/dev/null 2>&1; then
    # Quick fixes applied in an earlier session are kept: say so, or the "leaking" demo may not leak.
    log "the demo workspace keeps your earlier edits (${workspace#"$root"/}); LEAKSCOPE_RESET_DEMO=1 npm start gives a fresh copy"
  fi
}

started_groups=()
cleanup() {
  trap - EXIT INT TERM
  echo
  log "stopping"
  for group in "${started_groups[@]}"; do
    kill -TERM -- "-$group" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Each program in its own process group (setsid), so a wrapper and what it runs stop together.
# The programs print "pid N" first: that is the interpreter's own pid (python3 may be a shim).
start_demo_program() {
  local name=$1 output
  shift
  output="$state/$name.log"
  : >"$output"
  (cd "$workspace" && exec setsid "$@" >"$output" 2>&1) &
  started_groups+=("$!")
  for _ in $(seq 50); do
    grep -q 'pid [0-9]' "$output" && break
    sleep 0.1
  done
  log "$(head -1 "$output")   (output: ${output#"$root"/})"
}

install_extension
prepare_workspace
if [ "${LEAKSCOPE_NO_DEMO_PROGRAMS:-0}" != 1 ]; then
  start_demo_program demo-python python3 federated_server.py
  start_demo_program demo-node node session_cache.js
  start_demo_program demo-plateau python3 warmup_worker.py
fi

log "starting code-server (VS Code $(node -p 'require("./tools/node_modules/code-server/lib/vscode/package.json").version'))"
setsid node scripts/code-server.mjs --workspace "$workspace" --port "${PORT:-8080}" --state "$server_state" \
  > >(sed -u 's/^\[code-server\] ready: /\n    Open Leakscope in your browser:  /') 2>&1 &
started_groups+=("$!")
code_server=$!
log "Ctrl+C stops code-server and the demo programs"
wait "$code_server"
