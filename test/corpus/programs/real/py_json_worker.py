"""Spiky: a JSON ingest worker. Each POST carries a large JSON document (a few MB of
records); the worker parses it, aggregates per-tag counts and scores, and keeps only the small
aggregate. The parsed document is garbage as soon as the request ends.

    python3 py_json_worker.py --port 18106
"""
import json
from collections import Counter

import pyserve

a = pyserve.args()
tag_counts = Counter()
totals = {"docs": 0, "records": 0, "score": 0.0}


def handle(method, path, body):
    if method != "POST":
        return 200, json.dumps(totals).encode()
    doc = json.loads(body)
    recs = doc["records"]
    by_user = {}
    for r in recs:
        tag_counts.update(r["tags"])
        by_user.setdefault(r["user"][:3], []).append(r["score"])
    totals["docs"] += 1
    totals["records"] += len(recs)
    totals["score"] += sum(r["score"] for r in recs)
    top = sorted(((k, sum(v) / len(v)) for k, v in by_user.items()), key=lambda kv: -kv[1])[:5]
    return 200, json.dumps({"n": len(recs), "top": top}).encode()


pyserve.serve(a.port, a.seconds, handle)
