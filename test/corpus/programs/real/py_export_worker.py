"""Spiky: a report-export endpoint. GET /export builds a large CSV report in memory (--report-mb,
assembled from 1 MiB blocks and joined into one bytes object), returns its size and checksum,
and drops it. Blocks this large are mmap'd by glibc, so RSS returns as soon as the request ends.

    python3 py_export_worker.py --port 18351 --report-mb 80
"""
import json
import zlib

import pyserve

a = pyserve.args(("--report-mb", int, 80))
ROW = b"2026-12-03T17:00:00Z,order-000000,customer-0000,42.00,EUR,shipped\n"


def handle(method, path, body):
    if not path.startswith("/export"):
        return 200, b'{"ok": true}'
    block = ROW * (2**20 // len(ROW))
    blocks = [bytes(block) for _ in range(a.report_mb)]  # each a fresh ~1 MiB copy
    report = b"".join(blocks)
    del blocks
    out = {"bytes": len(report), "crc": zlib.crc32(report[: 2**20])}
    del report
    return 200, json.dumps(out).encode()


pyserve.serve(a.port, a.seconds, handle)
