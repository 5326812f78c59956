"""Light, bounded HTTP load generator for the recordings (loopback only).

One request at a time, a new connection per request, paced to --rate requests per second;
stops after --seconds or --max-requests, whichever comes first.

Paths are templates: {i} is the request counter, {r} a random int below --keys, {m} the
counter modulo --keys. --phase SECONDS:TEMPLATE (repeatable) switches templates over time,
e.g. --phase '70:/item?k={r}' --phase '9999:/item?k={i}' (a bounded key set for 70 s, then
unique keys). --post-json-kb N POSTs one JSON document of about N KiB (built once) instead.

    python3 load.py --port 18101 --rate 20 --seconds 130 --path '/item?k={i}'
"""
import argparse
import http.client
import json
import random
import time

p = argparse.ArgumentParser()
p.add_argument("--port", type=int, required=True)
p.add_argument("--rate", type=float, default=20.0)
p.add_argument("--seconds", type=float, default=120.0)
p.add_argument("--max-requests", type=int, default=1_000_000)
p.add_argument("--path", default="/")
p.add_argument("--phase", action="append", default=[])
p.add_argument("--keys", type=int, default=1000)
p.add_argument("--post-json-kb", type=int, default=0)
a = p.parse_args()
assert a.seconds <= 900 and a.rate <= 200, "keep the load bounded and light"

phases = []
t_acc = 0.0
for ph in a.phase:
    secs, tmpl = ph.split(":", 1)
    t_acc += float(secs)
    phases.append((t_acc, tmpl))
if not phases:
    phases = [(float("inf"), a.path)]

body = None
if a.post_json_kb:
    rng = random.Random(1)
    records, size = [], 0
    while size < a.post_json_kb * 1024:
        rec = {"id": len(records), "user": f"u{rng.randrange(10**6)}", "score": rng.random(),
               "tags": [f"t{rng.randrange(50)}" for _ in range(4)], "ok": rng.random() < 0.5}
        records.append(rec)
        size += 110
    body = json.dumps({"records": records}).encode()

start = time.monotonic()
period = 1.0 / a.rate
errors = 0
i = 0
while i < a.max_requests:
    now = time.monotonic() - start
    if now >= a.seconds:
        break
    tmpl = next((t for until, t in phases if now < until), phases[-1][1])
    path = tmpl.format(i=i, r=random.randrange(a.keys), m=i % a.keys)
    try:
        c = http.client.HTTPConnection("127.0.0.1", a.port, timeout=30)
        if body is not None:
            c.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        else:
            c.request("GET", path)
        c.getresponse().read()
        c.close()
    except OSError:
        errors += 1
    i += 1
    time.sleep(max(0.0, start + i * period - time.monotonic()))
print(f"load: {i} requests, {errors} errors, {time.monotonic() - start:.0f} s", flush=True)
