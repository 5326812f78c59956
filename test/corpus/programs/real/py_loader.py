"""Plateau: a lookup service that loads its dataset in chunks (--chunks chunks of --chunk-mb
each, one every --chunk-s seconds, numpy arrays) and then serves lookups from it over HTTP
without allocating anything that lasts. RSS climbs during loading, then stays level.

    python3 py_loader.py --port 18105 --chunks 30 --chunk-mb 4 --chunk-s 1
"""
import json
import threading
import time
from urllib.parse import parse_qs, urlsplit

import numpy as np

import pyserve

a = pyserve.args(("--chunks", int, 30), ("--chunk-mb", float, 4), ("--chunk-s", float, 1))
table = []
lock = threading.Lock()


def load():
    rng = np.random.default_rng(1)
    for _ in range(a.chunks):
        chunk = rng.random(int(a.chunk_mb * 2**20 / 8))
        with lock:
            table.append(chunk)
        time.sleep(a.chunk_s)


def handle(method, path, body):
    q = parse_qs(urlsplit(path).query)
    k = int(q.get("k", ["0"])[0])
    with lock:
        if not table:
            return 503, b"{}"
        chunk = table[k % len(table)]
        vals = chunk[k % 1000: k % 1000 + 16].tolist()
    return 200, json.dumps({"k": k, "chunks": len(table), "vals": vals}).encode()


pyserve.serve(a.port, a.seconds, handle, background=load)
