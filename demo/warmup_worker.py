"""A toy inference worker that does NOT leak: it warms up, then holds steady.

For its first minute it fills a lookup table (about 150 MB in all) the way a cache of model
shards fills: fast at first, then slower as most of what it needs is loaded, until it levels
off (95 % after 45 s, all of it after about a minute and a half). Meanwhile it serves four
requests a second from a result cache bounded to 100 entries, with each request's short-lived
working set as noise on top. Attach to it beside the leaking demos to compare the verdicts:
this one is a plateau, and no leak alert fires.

    python3 warmup_worker.py [--requests-per-second 4] [--duration 1800]
"""
import argparse
import collections
import math
import mmap
import os
import random
import time

TABLE_BYTES = 150 * 2**20     # the lookup table, once loaded
WARMUP_TAU_S = 15             # time constant of the loading curve
RESULT_CACHE_SIZE = 100       # results kept (~8 KB each): under 1 MB, full within the warm-up
RESULT_SIZE = 8 * 1024


def touched_buffer(size):
    """An anonymous mapping of `size` bytes with every page written, so all of it is resident."""
    buffer = mmap.mmap(-1, size)
    for offset in range(0, size, mmap.PAGESIZE):
        buffer[offset] = 1
    return buffer


class InferenceWorker:
    def __init__(self):
        self.table = []
        self.table_bytes = 0
        self.results = collections.OrderedDict()
        self.working_set = None

    def load_table(self, elapsed_s):
        """Loads what the curve says should be loaded by now; the increments shrink as it levels off."""
        target = TABLE_BYTES * (1 - math.exp(-elapsed_s / WARMUP_TAU_S))
        missing = int(target) - self.table_bytes
        if missing >= 64 * 1024:
            self.table.append(b"\x01" * missing)
            self.table_bytes += missing

    def serve(self, request_id):
        # Each request's working set replaces the last one: a few MB of noise around the level.
        if self.working_set is not None:
            self.working_set.close()
        self.working_set = touched_buffer(random.randint(1, 6) * 2**20)
        self.results[request_id] = bytes(RESULT_SIZE)
        if len(self.results) > RESULT_CACHE_SIZE:
            self.results.popitem(last=False)
        return self.table_bytes


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests-per-second", type=float, default=4.0)
    parser.add_argument("--duration", type=float, default=1800, help="seconds before the worker stops")
    args = parser.parse_args()

    worker = InferenceWorker()
    print(f"warmup_worker: pid {os.getpid()}, levels off at ~{TABLE_BYTES >> 20} MB of table, stops in {args.duration:.0f} s", flush=True)
    started = time.monotonic()
    request_id = 0
    while time.monotonic() - started < args.duration:
        worker.load_table(time.monotonic() - started)
        request_id += 1
        worker.serve(request_id)
        time.sleep(random.uniform(0.7, 1.3) / args.requests_per_second)
    print("warmup_worker: done", flush=True)


if __name__ == "__main__":
    main()
