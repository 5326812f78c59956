"""Stepwise leak: a round-based training-style job. Each round does its work on big numpy
temporaries (--temp-mb, freed at the end of the round) and appends a --keep-mb snapshot of the
round's weights to a history list that nothing trims, so RSS steps up by --keep-mb per round.

    OPENBLAS_NUM_THREADS=1 python3 py_rounds_job.py --round-s 6 --keep-mb 10 --temp-mb 40
"""
import argparse
import time

import numpy as np

p = argparse.ArgumentParser()
p.add_argument("--round-s", type=float, default=6)
p.add_argument("--keep-mb", type=float, default=10)
p.add_argument("--temp-mb", type=float, default=40)
p.add_argument("--seconds", type=float, default=900)
a = p.parse_args()

rng = np.random.default_rng(2)
weights = rng.random(int(a.keep_mb * 2**20 / 8))
history = []  # LEAK: one snapshot per round, never trimmed
end = time.monotonic() + a.seconds
while time.monotonic() < end:
    t0 = time.monotonic()
    grads = rng.standard_normal(int(a.temp_mb * 2**20 / 8))
    weights = weights - 0.01 * grads[: weights.size]
    del grads
    history.append(weights.copy())
    time.sleep(max(0.0, a.round_s - (time.monotonic() - t0)))
