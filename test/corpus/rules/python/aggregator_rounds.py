import ctypes
import gc

import numpy as np


def aggregate_forever(receive_updates, publish):
    while True:
        updates = receive_updates()
        stacked = np.stack([u["weights"] for u in updates])
        publish(stacked.mean(axis=0))
        del stacked
        updates.clear()  # expect: malloc-trim
        gc.collect()


def aggregate_trimmed(receive_updates, publish):
    libc = ctypes.CDLL("libc.so.6")
    while True:
        updates = receive_updates()
        stacked = np.stack([u["weights"] for u in updates])
        publish(stacked.mean(axis=0))
        del stacked
        updates.clear()
        gc.collect()
        libc.malloc_trim(0)
