"""A toy inference worker that does NOT leak: it warms up, then holds steady.

For its first ~40 seconds it loads a lookup table (about 120 MB, a few MB a second, like a model
or a vocabulary being read in); after that it serves four requests a second from a cache that
is bounded (it evicts its oldest entry past 500), so RSS levels off and stays there, with the
noise of each request's short-lived working set on top. Attach to it beside the leaking demos
to compare the verdicts: this one is a plateau, and no leak alert fires.

    python3 warmup_worker.py [--requests-per-second 4] [--duration 1800]
"""
import argparse
import collections
import os
import random
import time

TABLE_CHUNK = 3 * 2**20       # bytes of lookup table read per warm-up step
TABLE_CHUNKS = 40             # ~120 MB in all
RESULT_CACHE_SIZE = 500       # results kept (~8 KB each): ~4 MB once full
RESULT_SIZE = 8 * 1024


class InferenceWorker:
    def __init__(self):
        self.table = []
        self.results = collections.OrderedDict()
        self.working_set = b""

    def warm_up_step(self):
        self.table.append(b"\x01" * TABLE_CHUNK)

    def serve(self, request_id):
        # Each request's working set replaces the last one: a few MB of noise around the level.
        self.working_set = b""  # the old one goes first, so two never coexist
        self.working_set = b"\x01" * (random.randint(1, 6) * 2**20)
        self.results[request_id] = bytes(RESULT_SIZE)
        if len(self.results) > RESULT_CACHE_SIZE:
            self.results.popitem(last=False)
        return len(self.table)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests-per-second", type=float, default=4.0)
    parser.add_argument("--duration", type=float, default=1800, help="seconds before the worker stops")
    args = parser.parse_args()

    worker = InferenceWorker()
    print(f"warmup_worker: pid {os.getpid()}, warms up for ~{TABLE_CHUNKS} s, stops in {args.duration:.0f} s", flush=True)
    started = time.monotonic()
    request_id = 0
    while time.monotonic() - started < args.duration:
        if len(worker.table) < TABLE_CHUNKS:
            worker.warm_up_step()
            if len(worker.table) == TABLE_CHUNKS:
                print("warmup_worker: warmed up, serving", flush=True)
            time.sleep(1)
            continue
        request_id += 1
        worker.serve(request_id)
        time.sleep(random.uniform(0.7, 1.3) / args.requests_per_second)
    print("warmup_worker: done", flush=True)


if __name__ == "__main__":
    main()
