"""Flat, Python: an allocation-heavy worker. Every --tick-ms it builds a batch of --records
small dicts and strings (a parsed page of rows), aggregates it and drops all of it; only a
running total survives. Reference counting frees each batch at once, so nothing accumulates.

--resident-mb is state loaded at start and kept.

    python3 py_alloc_churn.py --tick-ms 50 --records 20000 [--resident-mb 0] [--seconds 900]
"""
import argparse
import random
import time

p = argparse.ArgumentParser()
p.add_argument("--tick-ms", type=float, default=50)
p.add_argument("--records", type=int, default=20000)
p.add_argument("--resident-mb", type=int, default=0)
p.add_argument("--seconds", type=float, default=900)
a = p.parse_args()

resident = [bytes([i % 251]) * (1024 * 1024) for i in range(a.resident_mb)]  # touched, so resident
rng = random.Random(0)
totals = {"rows": 0, "amount": 0.0}
end = time.monotonic() + a.seconds
while time.monotonic() < end:
    t0 = time.monotonic()
    batch = [{"id": i, "name": f"user-{rng.random():.6f}", "amount": rng.random() * 100, "tags": [str(i % 7)] * 3} for i in range(a.records)]
    totals["rows"] += len(batch)
    totals["amount"] += sum(r["amount"] for r in batch if r["tags"][0] != "3")
    del batch
    time.sleep(max(0.0, a.tick_ms / 1000 - (time.monotonic() - t0)))
