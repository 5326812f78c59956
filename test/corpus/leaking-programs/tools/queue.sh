#!/bin/bash
# Serial runner: each queued line is "<id> <leak cmd> | <fixed cmd>"; runs the pair together (2 processes).
cd "$(dirname "$0")/.."
DUR=${DUR:-180}
touch tools/queue.txt tools/done.txt
while [ ! -f tools/STOP ]; do
  line=$(grep -vxF -f tools/done.txt tools/queue.txt | head -1)
  if [ -z "$line" ]; then sleep 5; continue; fi
  id=${line%% *}; rest=${line#* }
  leak=${rest%%|*}; fixed=${rest#*|}
  python3 tools/measure.py "$id" leak "$DUR" $leak >> tools/results.txt 2>&1 &
  a=$!
  python3 tools/measure.py "$id" fixed "$DUR" $fixed >> tools/results.txt 2>&1 &
  b=$!
  wait $a $b
  echo "$line" >> tools/done.txt
done
