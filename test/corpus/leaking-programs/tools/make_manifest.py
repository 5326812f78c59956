#!/usr/bin/env python3
"""Builds manifest.json. Every line number is found from a substring of that line
(nth occurrence in the file) and checked to match exactly one place, so the
manifest stays correct if a program is edited. Growth figures come from rss/*.log.

usage: python3 tools/make_manifest.py   (from test/corpus/leaking-programs)
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def line_of(path, pattern, nth=None):
    hits = [i for i, l in enumerate(open(os.path.join(HERE, path), encoding="utf-8").read().split("\n"), 1)
            if pattern in l]
    if nth is None:
        if len(hits) != 1:
            sys.exit(f"{path}: pattern must match exactly one line, matched {hits}: {pattern!r}")
        nth = 1
    if len(hits) < nth:
        sys.exit(f"{path}: pattern not found ({len(hits)} < {nth}): {pattern!r}")
    return hits[nth - 1]


def late_growth(pid, label, after=90):
    """Slope over the samples taken after `after` seconds (MB/min), for runs whose warm-up is long."""
    p = os.path.join(HERE, "rss", f"{pid}.{label}.log")
    if not os.path.exists(p):
        return None
    pts = [(int(t) / 60, int(kb) / 1024) for t, kb in
           (l.split() for l in open(p) if l.strip() and not l.startswith("#")) if int(t) >= after]
    if len(pts) < 3:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    return round(sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts), 2)


def other_runs(pid):
    """Extra runs (heap-capped Node re-checks, 10-minute runs): label -> figures."""
    out = {}
    for name in sorted(os.listdir(os.path.join(HERE, "rss"))):
        if not name.startswith(pid + ".") or not name.endswith(".log") or name in (f"{pid}.leak.log", f"{pid}.fixed.log"):
            continue
        label = name[len(pid) + 1:-len(".log")]
        text = open(os.path.join(HERE, "rss", name)).read()
        samples = [l.split() for l in text.splitlines() if l.strip() and not l.startswith("#")]
        out[label] = {"command": text.splitlines()[0][len("# command: "):],
                      "growth_after_40s_mb_per_min": growth(pid, label),
                      "growth_after_90s_mb_per_min": late_growth(pid, label),
                      "growth_after_240s_mb_per_min": late_growth(pid, label, 240) if len(samples) > 40 else None,
                      "duration_s": int(samples[-1][0]) if samples else None,
                      "last_rss_mb": round(int(samples[-1][1]) / 1024, 1) if samples else None,
                      "log": f"rss/{name}"}
    return out


def heapwatch(pid, label):
    """Node only: slope (MB/min) of heapUsed + external after a forced full GC, sampled every 10 s by
    tools/heapwatch.js, samples from 50 s on (the audit shipper's leak is in Buffers, which count as external)."""
    p = os.path.join(HERE, "rss", f"{pid}.{label}.heapwatch.txt")
    if not os.path.exists(p):
        return None
    pts = []
    for line in open(p):
        m = re.search(r"t=(\d+) heapUsed=([\d.]+) heapTotal=[\d.]+ external=([\d.]+)", line)
        if m and int(m.group(1)) >= 50:   # after warm-up (e.g. bounded caches filling)
            pts.append((int(m.group(1)) / 60, float(m.group(2)) + float(m.group(3))))
    if len(pts) < 3:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    return round(sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts), 2)


def growth(pid, label):
    p = os.path.join(HERE, "rss", f"{pid}.{label}.log")
    if not os.path.exists(p):
        return None
    m = re.search(r"growth after 40 s warm-up: (-?[\d.]+|nan) MB/min", open(p).read())
    return None if not m or m.group(1) == "nan" else float(m.group(1))


def L(file, pattern, why, nth=None, **extra):
    d = {"file": file, "line": line_of(file, pattern, nth), "why": why}
    for k, v in extra.items():
        if k.endswith("_at"):
            f, pat, *n = v
            d[k[:-3] + "_line"] = {"file": f, "line": line_of(f, pat, *(n or [1]))}
        else:
            d[k] = v
    return d


def leak(file, pattern, kind, why, nth=None, related=(), fix=None):
    d = {"file": file, "line": line_of(file, pattern, nth), "kind": kind, "why": why}
    if related:
        d["related_lines"] = [{"file": r[0], "line": line_of(r[0], r[1], *r[3:]), "what": r[2]} for r in related]
    if fix:
        d["fixed_by_changing"] = {"file": fix[0], "line": line_of(*fix)}
    return d


PROGRAMS = []


def changes(files, fixed):
    """Lines that differ between each program file and its fixed copy (same line count)."""
    out = []
    for a, b in zip(files, fixed):
        la = open(os.path.join(HERE, a), encoding="utf-8").read().split("\n")
        lb = open(os.path.join(HERE, b), encoding="utf-8").read().split("\n")
        assert len(la) == len(lb), (a, b)
        out += [{"file": a, "line": i + 1, "fixed_file": b} for i, (x, y) in enumerate(zip(la, lb)) if x != y]
    return out


def program(pid, language, run, files, fixed, leaks, lookalikes, summary):
    PROGRAMS.append({
        "id": pid, "language": language, "summary": summary, "run": run, "files": files,
        "fixed": fixed, "fixed_changes": changes(files, fixed), "leaks": leaks, "lookalikes": lookalikes,
        "rss_growth_mb_per_min": growth(pid, "leak"),
        "fixed_rss_growth_mb_per_min": growth(pid, "fixed"),
        "rss_growth_after_90s_mb_per_min": {"leaking": late_growth(pid, "leak"), "fixed": late_growth(pid, "fixed")},
        "other_runs": other_runs(pid),
    })
    if language == "javascript":
        PROGRAMS[-1]["live_heap_plus_external_growth_after_gc_mb_per_min"] = {
            "leaking": heapwatch(pid, "leak"), "fixed": heapwatch(pid, "fixed"),
            "logs": [f"rss/{pid}.leak.heapwatch.txt", f"rss/{pid}.fixed.heapwatch.txt"]}


# ----------------------------------------------------------------------------- Python

f = "py_order_api.py"
program("py_order_api", "python", "python3 py_order_api.py", [f], ["py_order_api.fixed.py"],
    [leak(f, "self._by_trace[trace_id] = self", "registry in a class attribute of a mixin, keyed by request data",
          "Traceable._by_trace is a class-level dict shared by every subclass; register_trace() (called from the "
          "request handler through the OrderContext base class) stores each request's context under its unique "
          "trace id and nothing ever removes it, so every OrderContext with its ~7 KB raw body stays alive.",
          related=[(f, "_by_trace = {}", "the class attribute is declared here"),
                   (f, "ctx.register_trace(", "reached from the handler through the base class")])],
    [L(f, "self._items[sku] = product", "ProductCache is an LRU: popitem(last=False) once it exceeds max_size (256)."),
     L(f, "self._sessions[session_id] = {", "session entries are popped in close_session(), called from the handler's finally."),
     L(f, "@functools.lru_cache(maxsize=None)", "unbounded cache but over a finite key set: five region names."),
     L(f, "SERVICE.recent_latencies.append(", "deque(maxlen=500)."),
     L(f, "lines.append(product[", "per-request local list, dropped when handle() returns.")],
    "HTTP order intake API (ThreadingHTTPServer) with a self-driving client.")

f = "py_feature_trainer.py"
program("py_feature_trainer", "python", "python3 py_feature_trainer.py", [f], ["py_feature_trainer.fixed.py"],
    [leak(f, "self.history.append(outputs)", "training loop keeps per-step tensors across iterations",
          "MetricsTracker.record() appends the whole step output dict, which holds the activations Tensor "
          "(32x32 doubles, 8 KB) and the loss Tensor, instead of the scalar loss; history is never trimmed.",
          related=[(f, "return {\"loss\": loss, \"activations\": pred", "the retained tensors are created here"),
                   (f, "self.metrics.record(self.step, outputs)", "called once per step from fit()")])],
    [L(f, "self.epoch_losses.append(", "scalar per step, cleared in end_epoch() every 200 steps."),
     L(f, "self.checkpoints.append((epoch, self.weights.clone()))", "deque(maxlen=3) of weight copies."),
     L(f, "self.best = (val_loss, self.weights.clone())", "replaces the previous best; one copy at a time."),
     L(f, "g[k * f + j] = scale", "writes into one gradient buffer allocated once in __init__ and reused."),
     L(f, "losses.append(x.matmul(self.weights)", "local list in evaluate(), three floats.")],
    "Pure-Python SGD training loop with metrics, checkpoints and evaluation.")

f = "py_device_gateway.py"
program("py_device_gateway", "python", "python3 py_device_gateway.py", [f], ["py_device_gateway.fixed.py"],
    [leak(f, 'bus.subscribe("config.changed", self.on_config_change)', "bound-method listener on a global event bus, never unsubscribed",
          "Every DeviceSession subscribes its bound method to the module-level bus with a strong reference; close() "
          "unsubscribes only firmware.released, so the bus keeps each closed session alive with its received "
          "frames (4 x 4 KB, appended in on_frame).",
          related=[(f, "self.frames.append(frame)", "where the bulk of the retained memory is added"),
                   (f, "self._subs[topic].append(callback)", "the bus's strong list")])],
    [L(f, 'bus.subscribe("firmware.released", self.on_firmware)', "removed in DeviceSession.close() with bus.unsubscribe."),
     L(f, 'bus.subscribe_weak("metrics.flush", self.on_metrics_flush)', "WeakMethod subscription; weakref.finalize removes it when the session dies."),
     L(f, "self.sessions[session.device_id] = session", "deleted in the handler's finally block."),
     L(f, "ref = weakref.WeakMethod(method)", "weak reference only.")],
    "asyncio TCP device gateway with an in-process event bus and a synthetic device fleet.")

f = "py_report_renderer.py"
program("py_report_renderer", "python", "python3 py_report_renderer.py", [f], ["py_report_renderer.fixed.py"],
    [leak(f, "@memoize", "functools.lru_cache(maxsize=None) on a method, keyed by request data", nth=2,
          why="render_section is wrapped by `memoize`, an alias for functools.lru_cache(maxsize=None) declared at the "
              "top; its arguments include the job's time window (datetimes to the microsecond), so every call is a new "
              "key and each ~4.5 KB HTML section is kept forever.",
          related=[(f, "memoize = functools.lru_cache(maxsize=None)", "the alias (also used, harmlessly, by currency_format)")])],
    [L(f, "@functools.lru_cache(maxsize=64)", "bounded lru_cache (and only six template names)."),
     L(f, "@memoize", "same unbounded alias, but currency_format only ever sees four locales.", nth=1),
     L(f, "self._data[key] = (now + self.ttl, value)", "TTL cache; _purge() deletes expired entries on every miss; 40 tenants."),
     L(f, "self.pending.append((name, len(page)))", "cleared by flush() every 20 uploads."),
     L(f, "jobs = queue.Queue(maxsize=100)", "bounded job queue; the scheduler blocks when full."),
     L(f, "parts.append(self.render_section(", "per-job local list.")],
    "Report rendering worker: scheduler thread, job queue, memoised HTML rendering.")

f = "py_ingest_pipeline.py"
program("py_ingest_pipeline", "python", "python3 py_ingest_pipeline.py", [f], ["py_ingest_pipeline.fixed.py"],
    [leak(f, 'logger = logging.getLogger(f"ingest.job.{job_id}")', "logger per job id with a buffering handler added per call",
          "get_job_logger() creates a named logger per job; logging.getLogger registers it in "
          "logging.Logger.manager.loggerDict forever, and the JobLogBuffer added to it keeps every record of the "
          "job (with 4 KB of CSV and row samples in the args). Only failed jobs flush their buffer.",
          related=[(f, "handler = JobLogBuffer(capacity=10_000)", "the per-job buffering handler"),
                   (f, "jlog, buffer = get_job_logger(job_id)", "called once per job")])],
    [L(f, "logger.addHandler(rotating)", "added once: setup_logging() is guarded by `if not logger.handlers`; RotatingFileHandler bounds the file."),
     L(f, "logger.addHandler(handler)", "capture_warnings() removes the handler in its finally block.", nth=2),
     L(f, 'stage_loggers = {stage: logging.getLogger(f"ingest.stage.{stage}")', "four fixed stage names."),
     L(f, "self.failed_jobs.append({", "deque(maxlen=50)."),
     L(f, "self.records.append(record)", "ListHandler lives only for one capture_warnings() block."),
     L(f, 'self.by_country[r["country"]] += 1', "Counter over a handful of country codes.")],
    "CSV ingest worker with per-job log capture, validation, normalisation and load.")

f = "py_doc_indexer.py"
program("py_doc_indexer", "python", "python3 py_doc_indexer.py", [f], ["py_doc_indexer.fixed.py"],
    [leak(f, "        self.doc = doc", "reference cycle with __del__ while the cyclic GC is disabled",
          "Section keeps a strong back-reference to its Document, and Document.sections holds the Sections: a cycle "
          "per document. main() calls gc.disable(), so refcounting alone never frees it; each document (~6 sections, "
          "300 tokens, a 2 KB pool buffer released only in __del__) stays alive.",
          related=[(f, "    gc.disable()", "the cyclic collector is switched off"),
                   (f, "self.sections = [Section(self,", "the forward half of the cycle")])],
    [L(f, "self._parent = weakref.ref(parent)", "Token's back-reference is weak, no cycle."),
     L(f, "job.batch = self", "Batch<->Job cycle, broken explicitly in Batch.close() after every batch."),
     L(f, "self.postings[term] += 1", "keyed by a finite vocabulary of 2000 words."),
     L(f, "self.recent.append(doc.doc_id)", "deque(maxlen=100)."),
     L(f, "self._free.append(buf)", "pool capped at 32 free buffers."),
     L(f, "batch.docs.append(summarise(doc))", "reset in Batch.close() after each batch.")],
    "Document indexer with an inverted index; GC disabled for latency.")

program("py_task_worker", "python", "python3 py_task_worker/main.py",
    ["py_task_worker/main.py", "py_task_worker/broker.py", "py_task_worker/dispatcher.py"],
    ["py_task_worker/fixed/main.py", "py_task_worker/fixed/broker.py", "py_task_worker/fixed/dispatcher.py"],
    [leak("py_task_worker/broker.py", "self._work.put(task)", "unbounded queue produced faster than consumed",
          "The work queue is queue.Queue() with no maxsize (declared in Broker.__init__); main.py publishes 10 tasks/s "
          "with 16 KB payloads and the single dispatcher (0.14 s I/O per task) drains ~7/s, so the backlog grows.",
          related=[("py_task_worker/broker.py", "self._work = queue.Queue()", "declared unbounded"),
                   ("py_task_worker/main.py", "broker.publish(rnd.choice(kinds)", "the producer")],
          fix=("py_task_worker/fixed/broker.py", "self._work = queue.Queue(maxsize=200)")),
     leak("py_task_worker/dispatcher.py", "self.inflight[task.id] = task", "pending map whose entries are removed only on the success path",
          "_on_success pops the task, but _on_failure only reads it with .get(), so every failed webhook task "
          "(~10% of webhooks) stays in inflight with its payload.",
          related=[("py_task_worker/dispatcher.py", "task = self.inflight.get(task_id)", "failure path reads instead of popping")],
          fix=("py_task_worker/fixed/dispatcher.py", "task = self.inflight.pop(task_id)", 2))],
    [L("py_task_worker/broker.py", "self.results.put_nowait((task_id, result))", "results Queue(maxsize=500); on Full the oldest result is dropped.", nth=1),
     L("py_task_worker/dispatcher.py", "self.broker.dead_letters.append({", "dead_letters is deque(maxlen=100)."),
     L("py_task_worker/dispatcher.py", "samples.append(elapsed)", "per-kind latency list trimmed to 100 when it passes 200."),
     L("py_task_worker/main.py", "batch.append(broker.results.get_nowait())", "local list per reporter iteration."),
     L("py_task_worker/dispatcher.py", "task = self.inflight.pop(task_id)", "the success path removes the entry.")],
    "Media task worker in three modules: broker, dispatcher, main (producer and reporter threads).")

# ----------------------------------------------------------------------------- JavaScript

f = "js_chat_gateway.js"
program("js_chat_gateway", "javascript", "node js_chat_gateway.js", [f], ["js_chat_gateway.fixed.js"],
    [leak(f, "presence.on('update', (evt) => {", "closure listener added per connection on a process-wide EventEmitter, never removed",
          "Each session's hello handler adds an arrow function to the global PresenceHub (setMaxListeners(0) hides the "
          "warning). The closure captures the session (`this`), so every closed session and its transcript "
          "(5 x 2.4 KB messages) stays reachable; close() removes only the rooms listener.",
          related=[(f, "this.transcript.push(msg.text)", "where the bulk of the retained memory is added"),
                   (f, "this.setMaxListeners(0);", "leak warning silenced on the presence hub", 1)])],
    [L(f, "rooms.on('message', this.onRoomMessage);", "removed in Session.close() with rooms.off (same bound function)."),
     L(f, "listenWhileOpen(this.socket, rooms, 'topic'", "listenWhileOpen removes the listener on socket close."),
     L(f, "this.sessions.set(session.id, session);", "deleted in the socket's close handler."),
     L(f, "socket.on('data', (chunk) => {", "listener on the per-connection socket; goes away with the socket."),
     L(f, "this.online.add(user);", "deleted in leave(), called from close().")],
    "TCP chat gateway with presence and room hubs and a synthetic client population.")

f = "js_rpc_client.js"
program("js_rpc_client", "javascript", "node js_rpc_client.js", [f], ["js_rpc_client.fixed.js"],
    [leak(f, "this.pending.set(id, entry);", "pending-request map whose entries are removed only on success",
          "Entries are deleted when a response arrives or the connection fails, but the timeout callback only rejects "
          "the promise. The backend sheds 25% of calls, so each timed-out call keeps its entry, with the 20 KB "
          "reservation payload in params, forever.",
          related=[(f, "entry.timer = setTimeout(() => entry.reject(", "timeout path that does not delete")],
          fix=("js_rpc_client.fixed.js", "entry.timer = setTimeout(() => this.fail(id,"))],
    [L(f, "this.map.set(k, v);", "LruCache.set evicts the oldest key above max (500).", nth=2),
     L(f, "this.inflightByMethod[method] += 1;", "counter over two method names, decremented in finally."),
     L(f, "setTimeout(() => sock.write(", "one-shot timer per request in the simulated backend."),
     L(f, "this.pending.delete(msg.id);", "success path removes the entry (and clears its timer).")],
    "Pricing service calling an inventory backend over a TCP JSON-RPC connection with timeouts and an LRU.")

f = "js_export_scheduler.js"
program("js_export_scheduler", "javascript", "node js_export_scheduler.js", [f], ["js_export_scheduler.fixed.js"],
    [leak(f, "this.heartbeat = setInterval(() => {", "interval started per job and never cleared",
          "ExportJob.start() starts a lease heartbeat interval; finish() clears the watchdog timeout but not the "
          "heartbeat, so every finished job (with its ~60 CSV rows) stays referenced by a live interval.",
          related=[(f, "job.rows.push(", "where the bulk of the retained memory is added"),
                   (f, "clearTimeout(this.watchdog);", "finish() clears only the watchdog")],
          fix=("js_export_scheduler.fixed.js", "else clearInterval(this.heartbeat);"))],
    [L(f, "this.watchdog = setTimeout(", "cleared in finish()."),
     L(f, "this.poller = setInterval(() => {", "one per worker (3), cleared in stop()."),
     L(f, "this.leases.set(jobId,", "released in finish() and fail()."),
     L(f, "this.recent.push({ key, size: csv.length", "shifted once longer than keepResults (200)."),
     L(f, "failures.push(j.id)", "capped at 50 with shift()."),
     L(f, "this.counts.set(tenant, used);", "25 tenants; cleared every minute.")],
    "Export job scheduler with worker pool, leases, heartbeats and a watchdog.")

f = "js_shipping_quotes.js"
program("js_shipping_quotes", "javascript", "node js_shipping_quotes.js", [f], ["js_shipping_quotes.fixed.js"],
    [leak(f, "const quoteFor = memoize(computeQuote);", "hand-rolled memoisation helper with no bound, keyed by request data",
          "memoize() keeps a Map keyed by JSON.stringify(args) with no max by default; quoteFor's arguments include the "
          "requested pickup time (ms precision), so every request adds a new ~15 KB quote (6 lanes x 8 legs).",
          related=[(f, "    cache.set(k, v);", "the insertion inside memoize()")],
          fix=("js_shipping_quotes.fixed.js", "const quoteFor = memoize(computeQuote, { max: 500 });"))],
    [L(f, "const geocode = memoize(geocodeRaw, { max: 2000 });", "bounded (LRU order kept), and only 500 postcodes occur."),
     L(f, "const exchangeRate = memoize(exchangeRateRaw);", "unbounded helper but four currency codes."),
     L(f, "requestMeta.set(req, meta);", "WeakMap keyed by the request object."),
     L(f, "req.on('data', (c) => chunks.push(c));", "per-request local chunks and listener."),
     L(f, "legs.push({", "local to one computeQuote call.")],
    "HTTP shipping-quote API with memoised geocoding, rates and quotes; self-driving storefront.")

program("js_trace_service", "javascript", "node js_trace_service/main.js",
    ["js_trace_service/main.js", "js_trace_service/tracer.js", "js_trace_service/metrics.js"],
    ["js_trace_service/fixed/main.js", "js_trace_service/fixed/tracer.js", "js_trace_service/fixed/metrics.js"],
    [leak("js_trace_service/tracer.js", "  finished.push(span);", "module-level buffer filled through a helper, drained only when an exporter is configured",
          "Every ended span (holding the request body as an attribute, ~12 KB for PUTs) goes into the module-level "
          "`finished` array via endSpan() -> record(); flush() returns early when no exporter is set, which is the "
          "case unless TRACE_EXPORT_URL is set.",
          related=[("js_trace_service/tracer.js", "if (!exporter) return;", "flush is a no-op without exporter"),
                   ("js_trace_service/main.js", "tracer.endSpan(span,", "call site in the middleware"),
                   ("js_trace_service/main.js", "'http.request_body': body,", "the large attribute")])],
    [L("js_trace_service/tracer.js", "activeSpans.set(span.spanId, span);", "deleted in endSpan()."),
     L("js_trace_service/tracer.js", "recentErrors.push(", "capped at 50 with shift()."),
     L("js_trace_service/tracer.js", "flushTimer = setInterval(flush, FLUSH_MS);", "single timer, guarded, cleared in stopFlushing()."),
     L("js_trace_service/metrics.js", "byRoute.set(route, new Histogram());", "three route names."),
     L("js_trace_service/metrics.js", "this.items[this.next] = v;", "fixed-size ring buffer."),
     L("js_trace_service/main.js", "profiles.set(r.params[0], {", "ids cycle through 150 users (50 of them written). The 200-char bio is a V8 sliced string that keeps the whole ~12 KB request body alive, but only one per user."),
     L("js_trace_service/main.js", "res.on('finish', () => {", "per-response listener.")],
    "HTTP profile API with a tiny tracing SDK and metrics module, three files.")

f = "js_flag_client.js"
program("js_flag_client", "javascript", "node js_flag_client.js", [f], ["js_flag_client.fixed.js"],
    [leak(f, "const changedFlags = () => (previous ?", "closure context chain (unused closure shares the context that captures the previous snapshot)",
          "changedFlags (used only when FLAG_DEBUG=1) references `previous`; V8 puts `previous` in the context shared "
          "with the isEnabled closure stored in the new snapshot, so each snapshot keeps the one before it and the "
          "whole chain of rule sets (~25 KB each, 2.5 per second) stays alive.",
          related=[(f, "const previous = this.current;", "the captured variable"),
                   (f, "isEnabled: (name, user) => {", "the long-lived closure sharing the context")])],
    [L(f, "this.evalCache.set(key, value);", "cleared on every version change in applySnapshot()."),
     L(f, "this.history.push({ version, at: Date.now() });", "capped at 20 with shift()."),
     L(f, "this.lastRaw = raw;", "replaced on every poll."),
     L(f, "const unsubscribe = client.onChange(", "unsubscribed in the finally block of each request."),
     L(f, "const poller = setInterval(", "one interval, cleared on SIGINT.")],
    "Feature-flag polling client with evaluation cache and change subscribers; local flag server.")

f = "js_audit_shipper.js"
program("js_audit_shipper", "javascript", "node js_audit_shipper.js", [f], ["js_audit_shipper.fixed.js"],
    [leak(f, "    this.stream.write(line);", "stream backpressure ignored (producer faster than a slow sink)",
          "ship() ignores write()'s return value; the PassThrough is piped to a sink that takes one chunk per 50 ms "
          "while 30 events/s (~5.5 KB each) arrive, so the PassThrough's write buffer grows without bound.",
          related=[(f, "pipeline(this.stream, sink,", "the slow pipe")],
          fix=("js_audit_shipper.fixed.js", "if (this.buffered() < this.maxBuffered) this.stream.write(line);"))],
    [L(f, "this.queue.push(line);", "AccessLogShipper drops above accessQueueMax (1000) and awaits 'drain'."),
     L(f, "if (!this.sink.write(line + '\\n')) await once(this.sink, 'drain');", "respects backpressure."),
     L(f, "this.inflight.add(id);", "deleted in the write's timer callback."),
     L(f, "this.items.push(item);", "Batcher swaps in a new array every 25 items."),
     L(f, "    setTimeout(() => {", "one-shot timer per sink write.")],
    "Audit event shipper: NDJSON stream to a slow remote sink, access-log shipper with backpressure.")


def main():
    manifest = {
        "about": ("Evaluation set of realistic leaking programs (7 Python, 7 Node.js). Each leaks at a steady rate "
                  "through the cause line(s) in `leaks`; the `lookalikes` lines look like leaks but are bounded or "
                  "cleaned. Fixed copies change only the cause line. Written from a specification without reading "
                  "the detector; do not tune the detector on this set. Lines are 1-based. Growth figures are "
                  "least-squares RSS slopes after 40 s warm-up over ~3-minute runs (see rss/)."),
        "programs": PROGRAMS,
    }
    with open(os.path.join(HERE, "manifest.json"), "w") as out:
        json.dump(manifest, out, indent=2, ensure_ascii=False)
        out.write("\n")
    for p in PROGRAMS:
        print(f"{p['id']:22} leaks={len(p['leaks'])} lookalikes={len(p['lookalikes'])} "
              f"growth={p['rss_growth_mb_per_min']} fixed={p['fixed_rss_growth_mb_per_min']}")


main()
