"""Spiky: a numpy batch job. Every --every-s seconds it loads a batch into a big float64
matrix (--temp-mb), normalises it and computes column statistics with a few full-size
temporaries, keeps only the small summary (a few KB) and drops the rest. numpy's large
buffers are mmap'd, so RSS falls back as soon as they are freed.

    OPENBLAS_NUM_THREADS=1 python3 py_numpy_batch.py --every-s 5 --temp-mb 60 [--hold-s 0]
"""
import argparse
import time

import numpy as np

p = argparse.ArgumentParser()
p.add_argument("--every-s", type=float, default=5)
p.add_argument("--temp-mb", type=float, default=120)
p.add_argument("--hold-s", type=float, default=0, help="extra time the batch is held (slow downstream step)")
p.add_argument("--seconds", type=float, default=900)
a = p.parse_args()

rng = np.random.default_rng(0)
cols = 256
rows = int(a.temp_mb * 2**20 / 8 / cols)
summaries = []
end = time.monotonic() + a.seconds
while time.monotonic() < end:
    t0 = time.monotonic()
    batch = rng.standard_normal((rows, cols))            # the batch
    z = (batch - batch.mean(axis=0)) / batch.std(axis=0)  # + temporaries of the same size
    clipped = np.clip(z, -3, 3)
    summaries.append((clipped.mean(axis=0)[:4].tolist(), float(np.abs(z).max())))
    summaries = summaries[-100:]
    time.sleep(a.hold_s)  # e.g. waiting on a slow writer while the batch is still referenced
    del batch, z, clipped
    time.sleep(max(0.0, a.every_s - (time.monotonic() - t0)))
