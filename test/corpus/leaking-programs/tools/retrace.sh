#!/bin/bash
# Re-measure js_trace_service after the profile id range change (3-minute RSS pair, then heapwatch pair).
cd "$(dirname "$0")/.."
while kill -0 30745 2>/dev/null || kill -0 30746 2>/dev/null; do sleep 2; done
python3 tools/measure.py js_trace_service leak 180 node js_trace_service/main.js >> tools/results.txt 2>&1 &
a=$!
python3 tools/measure.py js_trace_service fixed 180 node js_trace_service/fixed/main.js >> tools/results.txt 2>&1 &
b=$!
wait $a $b
run() { timeout 95 node --expose-gc -r ./tools/heapwatch.js "$3" 2>/dev/null | grep '^heapwatch' > "rss/$1.$2.heapwatch.txt"; }
run js_trace_service leak js_trace_service/main.js &
a=$!
run js_trace_service fixed js_trace_service/fixed/main.js &
b=$!
wait $a $b
