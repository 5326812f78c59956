#!/usr/bin/env python3
"""Order intake API: a small HTTP service that validates orders, prices them and
hands them to fulfilment. It drives itself with a synthetic client on 127.0.0.1.

Run: python3 py_order_api.py   (Ctrl-C to stop)
"""
import collections
import functools
import http.client
import json
import logging
import random
import string
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

log = logging.getLogger("orders")

CONFIG = {
    "host": "127.0.0.1",
    "port": 0,                # picked by the OS
    "requests_per_second": 10,
    "product_cache_size": 256,
    "regions": ["eu-west", "eu-north", "us-east", "us-west", "ap-south"],
}


# --------------------------------------------------------------------------- tracing

class Traceable:
    """Mixin that lets the admin endpoint look a request up by its trace id."""

    _by_trace = {}

    def register_trace(self, trace_id):
        self.trace_id = trace_id
        self._by_trace[trace_id] = self

    @classmethod
    def lookup(cls, trace_id):
        return cls._by_trace.get(trace_id)


class OrderContext(Traceable):
    def __init__(self, raw_body, headers):
        self.raw_body = raw_body
        self.headers = dict(headers)
        self.received_at = time.time()
        self.order = None
        self.total = None


# --------------------------------------------------------------------------- catalogue

class ProductCache:
    """Bounded LRU in front of the (slow) catalogue lookup."""

    def __init__(self, max_size):
        self.max_size = max_size
        self._items = collections.OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, sku):
        if sku in self._items:
            self._items.move_to_end(sku)
            self.hits += 1
            return self._items[sku]
        self.misses += 1
        product = self._load(sku)
        self._items[sku] = product
        if len(self._items) > self.max_size:
            self._items.popitem(last=False)
        return product

    @staticmethod
    def _load(sku):
        rnd = random.Random(sku)
        return {"sku": sku, "price": round(rnd.uniform(1, 200), 2),
                "description": "".join(rnd.choices(string.ascii_letters, k=600))}


@functools.lru_cache(maxsize=None)
def tax_rate(region):
    # Only a handful of regions exist, so this cache stays tiny.
    return {"eu-west": 0.21, "eu-north": 0.25, "us-east": 0.07,
            "us-west": 0.09, "ap-south": 0.18}.get(region, 0.0)


# --------------------------------------------------------------------------- service

class OrderService:
    def __init__(self):
        self.products = ProductCache(CONFIG["product_cache_size"])
        self.recent_latencies = collections.deque(maxlen=500)
        self._sessions = {}
        self._lock = threading.Lock()
        self.accepted = 0

    def open_session(self, client):
        session_id = uuid.uuid4().hex
        with self._lock:
            self._sessions[session_id] = {"client": client, "opened": time.time()}
        return session_id

    def close_session(self, session_id):
        with self._lock:
            self._sessions.pop(session_id, None)

    def handle(self, ctx):
        order = json.loads(ctx.raw_body)
        ctx.order = order
        lines = []
        for item in order["items"]:
            product = self.products.get(item["sku"])
            lines.append(product["price"] * item["qty"])
        subtotal = sum(lines)
        ctx.total = round(subtotal * (1 + tax_rate(order["region"])), 2)
        with self._lock:
            self.accepted += 1
        return {"order_id": order["order_id"], "total": ctx.total, "lines": len(lines)}


SERVICE = OrderService()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):   # keep the access log quiet
        log.debug(fmt, *args)

    def do_POST(self):
        started = time.perf_counter()
        session_id = SERVICE.open_session(self.client_address[0])
        try:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            ctx = OrderContext(body, self.headers)
            ctx.register_trace(self.headers.get("X-Trace-Id") or uuid.uuid4().hex)
            result = SERVICE.handle(ctx)
            payload = json.dumps(result).encode()
            self.send_response(201)
        except (ValueError, KeyError) as exc:
            payload = json.dumps({"error": str(exc)}).encode()
            self.send_response(400)
        finally:
            SERVICE.close_session(session_id)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        SERVICE.recent_latencies.append(time.perf_counter() - started)


# --------------------------------------------------------------------------- synthetic load

def make_order(rnd):
    items = [{"sku": f"SKU-{rnd.randint(1, 3000):05d}", "qty": rnd.randint(1, 4)}
             for _ in range(rnd.randint(1, 6))]
    return {
        "order_id": uuid.uuid4().hex,
        "region": rnd.choice(CONFIG["regions"]),
        "items": items,
        "gift_note": "".join(rnd.choices(string.ascii_letters + " ", k=7000)),
    }


def client_loop(port, stop):
    rnd = random.Random(7)
    conn = http.client.HTTPConnection(CONFIG["host"], port, timeout=5)
    interval = 1.0 / CONFIG["requests_per_second"]
    sent = 0
    while not stop.is_set():
        body = json.dumps(make_order(rnd)).encode()
        conn.request("POST", "/orders", body=body,
                     headers={"Content-Type": "application/json", "X-Trace-Id": uuid.uuid4().hex})
        resp = conn.getresponse()
        resp.read()
        sent += 1
        if sent % 600 == 0:
            lat = sorted(SERVICE.recent_latencies)
            log.info("sent=%d accepted=%d p50=%.1fms cache hits=%d misses=%d", sent,
                     SERVICE.accepted, 1000 * lat[len(lat) // 2], SERVICE.products.hits,
                     SERVICE.products.misses)
        time.sleep(interval)


def main():
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    server = ThreadingHTTPServer((CONFIG["host"], CONFIG["port"]), Handler)
    server.daemon_threads = True
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    log.info("order API listening on %s:%d", CONFIG["host"], port)
    stop = threading.Event()
    try:
        client_loop(port, stop)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.shutdown()


if __name__ == "__main__":
    main()
