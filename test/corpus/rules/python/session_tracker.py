"""FastAPI service that tracks sessions and rate limits per client.

The tables are declared here, at the top, and filled far below by the request handlers.
"""
import time
from collections import defaultdict

from fastapi import FastAPI, Request

app = FastAPI()

_sessions = {}
_rate_windows = defaultdict(list)
_seen_paths = {}
_route_table = {}
STATUS_NAMES = {}
_pending = {}

MAX_PER_MINUTE = 120


def route(path):
    """Registers a handler at import time: keys are code, not request data."""
    def decorator(fn):
        _route_table[path] = fn
        return fn
    return decorator


def describe_status(code, name):
    STATUS_NAMES[code] = name


def session_age(session_id):
    started = _sessions.get(session_id)
    return time.time() - started if started else 0.0


def too_many(client_ip):
    window = _rate_windows[client_ip]
    cutoff = time.time() - 60
    return len([t for t in window if t > cutoff]) > MAX_PER_MINUTE


def render(user, items):
    rows = [f"<li>{item}</li>" for item in items]
    return f"<h1>{user}</h1><ul>{''.join(rows)}</ul>"


def audit(message):
    print(time.strftime("%H:%M:%S"), message)


def load_defaults():
    for code, name in [(200, "ok"), (404, "missing"), (500, "error")]:
        describe_status(code, name)


@app.middleware("http")
async def track(request: Request, call_next):
    client_ip = request.client.host
    _rate_windows[client_ip].append(time.time())  # expect: unbounded-collection
    response = await call_next(request)
    return response


@app.get("/session/{session_id}")
async def open_session(session_id: str):
    if session_id not in _sessions:
        _sessions[session_id] = time.time()  # expect: unbounded-collection
    return {"age": session_age(session_id)}


@app.get("/page")
async def page(request: Request):
    key = (request.url.path, request.headers.get("accept-language"))
    _seen_paths[key] = _seen_paths.get(key, 0) + 1  # expect: unbounded-collection
    audit(f"page {key}")
    return render("guest", [])


@app.post("/jobs/{job_id}")
async def submit(job_id: str):
    _pending[job_id] = time.time()
    return {"queued": job_id}


@app.delete("/jobs/{job_id}")
async def finish(job_id: str):
    _pending.pop(job_id, None)
    return {"done": job_id}
