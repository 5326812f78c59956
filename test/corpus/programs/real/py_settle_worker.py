"""Flat, Python: a worker holding --resident-mb of state loaded at start. In its first
--settle-s it fills a small memo table of --settle-mb (lookups it will reuse, bounded by design:
its keys are a fixed set), then it only churns: every --tick-ms it builds --records small
records, aggregates them and drops them. The settle is small against the process (a few MB on
hundreds), after which nothing is kept.

    python3 py_settle_worker.py --resident-mb 200 --settle-mb 4 --settle-s 40 [--tick-ms 50] [--records 2000] [--seconds 900]
"""
import argparse
import random
import time

p = argparse.ArgumentParser()
p.add_argument("--resident-mb", type=int, default=200)
p.add_argument("--settle-mb", type=float, default=4)
p.add_argument("--settle-s", type=float, default=40)
p.add_argument("--tick-ms", type=float, default=50)
p.add_argument("--records", type=int, default=2000)
p.add_argument("--seconds", type=float, default=900)
a = p.parse_args()

resident = [bytes([i % 251]) * (1024 * 1024) for i in range(a.resident_mb)]  # touched, so resident
ENTRY = 16 * 1024
keys = int(a.settle_mb * 1024 * 1024 / ENTRY)
memo = {}
rng = random.Random(0)
start = time.monotonic()
end = start + a.seconds
total = 0.0
while time.monotonic() < end:
    t0 = time.monotonic()
    due = min(keys, int(keys * (t0 - start) / a.settle_s) + 1)
    while len(memo) < due:
        k = len(memo)
        memo[k] = bytes([k % 251]) * ENTRY
    batch = [{"id": i, "v": rng.random(), "tag": f"t{i % 13}"} for i in range(a.records)]
    total += sum(r["v"] for r in batch) + len(memo[rng.randrange(len(memo))])
    del batch
    time.sleep(max(0.0, a.tick_ms / 1000 - (time.monotonic() - t0)))
