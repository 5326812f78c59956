"""Unbounded response cache: each rendered page is kept in a dict keyed by the request path
(query string included) and nothing ever evicts it. With unique query strings memory grows
by about --entry-kb per request; with a bounded key set it stops once every key is cached.

    python3 py_cache_unbounded.py --port 18102 --entry-kb 64
"""
import json
import random

import pyserve

a = pyserve.args(("--entry-kb", int, 64))
_page_cache = {}  # LEAK: keyed by path+query, no bound, no TTL


def render(path):
    rng = random.Random(path)
    rows = [{"id": i, "v": rng.random()} for i in range(a.entry_kb * 1024 // 32)]
    return json.dumps({"path": path, "rows": rows}).encode()[: a.entry_kb * 1024]


def handle(method, path, body):
    page = _page_cache.get(path)
    if page is None:
        page = _page_cache[path] = render(path)
    return 200, page[:256]


pyserve.serve(a.port, a.seconds, handle)
