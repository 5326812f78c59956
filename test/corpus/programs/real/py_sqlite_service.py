"""A sqlite-backed service: each request inserts an event row (with a --blob-kb payload) and
reads back the 20 most recent rows. With --db FILE the data goes to disk and sqlite's page
cache is bounded (flat RSS); with --db :memory: the whole table lives in RAM and grows with
every insert (a steady leak at about rate x blob size).

    python3 py_sqlite_service.py --port 18104 --db /tmp/x.db --blob-kb 4
"""
import json
import os
import signal
import sys
import sqlite3
import threading

import pyserve

a = pyserve.args(("--db", str, ":memory:"), ("--blob-kb", int, 4))
if a.db != ":memory:" and os.path.exists(a.db):
    os.remove(a.db)
conn = sqlite3.connect(a.db, check_same_thread=False)
conn.execute("PRAGMA synchronous=OFF")
conn.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, path TEXT, payload BLOB)")
lock = threading.Lock()


def handle(method, path, body):
    with lock:
        conn.execute("INSERT INTO events (path, payload) VALUES (?, ?)", (path, os.urandom(a.blob_kb * 1024)))
        conn.commit()
        rows = conn.execute("SELECT id, path, length(payload) FROM events ORDER BY id DESC LIMIT 20").fetchall()
        count = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    return 200, json.dumps({"count": count, "recent": rows}).encode()


signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # so the finally below removes the DB file
try:
    pyserve.serve(a.port, a.seconds, handle)
finally:
    conn.close()
    if a.db != ":memory:" and os.path.exists(a.db):
        os.remove(a.db)
