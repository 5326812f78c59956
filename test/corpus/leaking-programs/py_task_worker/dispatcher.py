"""Dispatcher: pulls tasks from the broker, routes them to a handler by kind and
tracks what is in flight so a supervisor can report stuck work."""
import hashlib
import logging
import random
import threading
import time
import zlib

log = logging.getLogger("worker.dispatch")


class TaskError(Exception):
    pass


def handle_thumbnail(task):
    digest = hashlib.sha1(task.payload).hexdigest()
    return {"thumb": digest[:12], "size": len(task.payload)}


def handle_compress(task):
    return {"ratio": round(len(zlib.compress(task.payload[:4096], 1)) / 4096, 3)}


def handle_webhook(task):
    if random.random() < 0.10:
        raise TaskError("upstream returned 503")
    return {"delivered": True}


HANDLERS = {"thumbnail": handle_thumbnail, "compress": handle_compress, "webhook": handle_webhook}


class Dispatcher:
    def __init__(self, broker, io_delay):
        self.broker = broker
        self.io_delay = io_delay
        self.inflight = {}
        self.stats = {"ok": 0, "failed": 0}
        self._by_kind_latency = {kind: [] for kind in HANDLERS}
        self._stop = threading.Event()

    def start(self):
        t = threading.Thread(target=self._loop, name="dispatcher", daemon=True)
        t.start()
        return t

    def stop(self):
        self._stop.set()

    def _loop(self):
        while not self._stop.is_set():
            task = self.broker.consume()
            if task is None:
                continue
            self._run(task)

    def _run(self, task):
        self.inflight[task.id] = task
        task.attempts += 1
        started = time.monotonic()
        time.sleep(self.io_delay)          # network / disk
        try:
            result = HANDLERS[task.kind](task)
        except TaskError as exc:
            self._on_failure(task.id, exc)
            return
        self._on_success(task.id, result, time.monotonic() - started)

    def _on_success(self, task_id, result, elapsed):
        task = self.inflight.pop(task_id)
        self.stats["ok"] += 1
        samples = self._by_kind_latency[task.kind]
        samples.append(elapsed)
        if len(samples) > 200:
            del samples[:100]
        self.broker.ack(task_id, result)

    def _on_failure(self, task_id, exc):
        task = self.inflight.get(task_id)
        self.stats["failed"] += 1
        self.broker.dead_letters.append({"id": task_id, "kind": task.kind,
                                         "attempts": task.attempts, "error": str(exc)})

    def stuck(self, older_than):
        now = time.monotonic()
        return [t.id for t in list(self.inflight.values()) if now - t.enqueued_at > older_than]
