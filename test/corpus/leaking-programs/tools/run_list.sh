#!/bin/bash
# Runs measurement jobs from a list two at a time. Each line: <id> <label> <duration_s> <command...>
cd "$(dirname "$0")/.."
list=$1
mapfile -t lines < "$list"
i=0
while [ $i -lt ${#lines[@]} ]; do
  python3 tools/measure.py ${lines[$i]} >> tools/results.txt 2>&1 &
  a=$!
  b=
  if [ $((i + 1)) -lt ${#lines[@]} ]; then
    python3 tools/measure.py ${lines[$((i + 1))]} >> tools/results.txt 2>&1 &
    b=$!
  fi
  wait $a $b
  i=$((i + 2))
done
