"""An OCR wrapper and a quote service: containers declared in one place and filled elsewhere.

Each builder made extends the class's shared option list (`+=` on a class attribute reached
through `self` extends the class's list), and the module-level rate limiter's defaultdict
stores a bucket for every client address it is asked about.
"""
import collections
import time

from flask import Flask, abort, request

app = Flask(__name__)


class TextBuilder:
    engine_options = ["--oem", "1"]
    output_formats = ["txt"]

    def __init__(self, layout=3):
        self.layout = layout
        self.engine_options += ["--psm", str(layout)]  # expect: unbounded-collection


class HocrBuilder:
    def __init__(self, layout=3):
        # Copied first: this instance's own list, the class's stays as it was.
        self.engine_options = list(TextBuilder.engine_options)
        self.engine_options += ["--psm", str(layout), "hocr"]


class RateLimiter:
    def __init__(self, per_minute):
        self.per_minute = per_minute
        self._hits = collections.defaultdict(list)
        self._names = collections.defaultdict(str)

    def allow(self, client):
        bucket = self._hits[client]  # expect: unbounded-collection
        bucket[:] = [t for t in bucket if t > time.time() - 60]
        bucket.append(time.time())
        return len(bucket) <= self.per_minute

    def name_of(self, client):
        # Read only for clients already there: no new key.
        if client in self._names:
            return self._names[client]
        return "anonymous"


limiter = RateLimiter(30)


@app.route("/quote")
def quote():
    if not limiter.allow(request.remote_addr):
        abort(429)
    return {"who": limiter.name_of(request.remote_addr), "price": 42}
