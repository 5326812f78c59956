"""Flat: a ThreadingHTTPServer whose handler computes a small JSON answer per request and
keeps nothing. Under steady load RSS should stay flat after the first requests.

    python3 py_http_flat.py --port 18101 [--seconds 900]
"""
import json
import random
from urllib.parse import parse_qs, urlsplit

import pyserve

a = pyserve.args()
catalog = {f"sku{i}": {"price": round(random.uniform(1, 99), 2), "stock": i % 17} for i in range(2000)}


def handle(method, path, body):
    q = parse_qs(urlsplit(path).query)
    skus = [f"sku{(hash(path) + j) % 2000}" for j in range(20)]
    items = [dict(catalog[s], sku=s) for s in skus]
    total = sum(it["price"] for it in items)
    return 200, json.dumps({"q": q, "items": items, "total": total}).encode()


pyserve.serve(a.port, a.seconds, handle)
