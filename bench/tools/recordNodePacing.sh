#!/bin/bash
# Tuning aid for GC pacing (src/core/gcPacing.ts): runs 11 Node programs of the tuning half
# (test/corpus/programs/real: 8 that do not leak, 3 that do) under `leakscope run` for 6 minutes each,
# all at once (they mostly sleep), and keeps each trace as DIR/<name>-leaking.json or -fixed.json for
# `node out/bench/tools/replayProgramTraces.js DIR`. Extra options go to `leakscope run`, e.g.
# --no-gc-pacing for the unpaced arm. Slow (~6.5 min): by hand, not in CI.
#   [PORT_BASE=18600] bash bench/tools/recordNodePacing.sh DIR [--no-gc-pacing]   (two arms at once: another PORT_BASE)
set -u
out=$1; shift
root=$(cd "$(dirname "$0")/../.." && pwd)
programs=$root/test/corpus/programs/real
mkdir -p "$out"
one() { # name port [load options…] -- program [args…]
  local name=$1 port=$2; shift 2
  local load=(); while [ "$1" != "--" ]; do load+=("$1"); shift; done; shift
  if [ ${#load[@]} -gt 0 ]; then (sleep 2; python3 "$programs/load.py" --port "$port" --seconds 380 "${load[@]}" > /dev/null 2>&1) & fi
  node "$root/dist/cli.js" run --duration 6m --kill-on-limit --trace-json "$out/$name.json" "${RUN_OPTIONS[@]}" -- node "$programs/$@" > "$out/$name.log" 2>&1
}
RUN_OPTIONS=("$@")
b=${PORT_BASE:-18600}
one static-fixed $((b + 1)) --rate 10 --path '/static/f{r}.txt' --keys 200 -- node_static_server.js --port $((b + 1)) &
one json-fixed $((b + 2)) --rate 0.1 --post-json-kb 8000 -- node_json_worker.js --port $((b + 2)) &
one lru-fixed $((b + 3)) --rate 10 --path '/item?k={i}' -- node_cache_lru.js --port $((b + 3)) --entry-kb 16 --max 600 &
one churn-fixed 0 -- node_alloc_churn.js --tick-ms 50 --records 20000 &
one gcsaw-fixed 0 -- node_gc_sawtooth.js --tick-ms 20 --objects 2000 --keep-ticks 50 &
one bufsaw-fixed 0 -- node_buffer_sawtooth.js --tick-ms 200 --kb 512 --resident-mb 40 &
one settle-fixed 0 -- node_settle_worker.js --resident-mb 150 --settle-mb 4 --settle-s 45 &
one loader-fixed $((b + 8)) --rate 10 --path '/lookup?k={r}' --keys 100000 -- node_loader.js --port $((b + 8)) --chunks 10 --chunk-mb 4 --chunk-s 1 &
one listener-leaking $((b + 11)) --rate 10 --path '/profile?u={r}' --keys 5000 -- node_listener_leak.js --port $((b + 11)) --kb 8 &
one cache-leaking $((b + 12)) --rate 10 --path '/item?k={i}' -- node_cache_unbounded.js --port $((b + 12)) --entry-kb 8 &
one conntimer-leaking $((b + 13)) --rate 10 --path '/x?k={i}' -- node_conn_timer_leak.js --port $((b + 13)) --kb 8 &
wait
