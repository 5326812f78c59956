"""Shared by the Python servers here: a ThreadingHTTPServer on 127.0.0.1 that calls
handle(method, path, body) -> (status, bytes) per request, and stops after --seconds."""
import argparse
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def args(*extra):
    """Parse --port, --seconds and the program's own options, given as (name, type, default)."""
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--seconds", type=float, default=900)
    for name, typ, default in extra:
        p.add_argument(name, type=typ, default=default)
    return p.parse_args()


def serve(port, seconds, handle, background=None):
    class Handler(BaseHTTPRequestHandler):
        def _do(self, method):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n else b""
            status, out = handle(method, self.path, body)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        def do_GET(self):
            self._do("GET")

        def do_POST(self):
            self._do("POST")

        def log_message(self, *a):  # quiet
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    if background:
        threading.Thread(target=background, daemon=True).start()
    time.sleep(seconds)
    httpd.shutdown()
