"""The same page cache as py_cache_unbounded.py, bounded with functools.lru_cache(maxsize):
it fills up to --maxsize entries of about --entry-kb each, then evicts, so RSS plateaus.

    python3 py_cache_lru.py --port 18103 --entry-kb 64 --maxsize 600
"""
import functools
import json
import random

import pyserve

a = pyserve.args(("--entry-kb", int, 64), ("--maxsize", int, 600))


@functools.lru_cache(maxsize=a.maxsize)
def render(path):
    rng = random.Random(path)
    rows = [{"id": i, "v": rng.random()} for i in range(a.entry_kb * 1024 // 32)]
    return json.dumps({"path": path, "rows": rows}).encode()[: a.entry_kb * 1024]


def handle(method, path, body):
    return 200, render(path)[:256]


pyserve.serve(a.port, a.seconds, handle)
