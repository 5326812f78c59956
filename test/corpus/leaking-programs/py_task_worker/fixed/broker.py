"""In-process broker: a work queue the API side publishes to, a results queue the
reporter drains, and a dead-letter log for tasks that failed."""
import collections
import itertools
import queue
import threading
import time


class Task:
    __slots__ = ("id", "kind", "payload", "attempts", "enqueued_at")

    def __init__(self, task_id, kind, payload):
        self.id = task_id
        self.kind = kind
        self.payload = payload
        self.attempts = 0
        self.enqueued_at = time.monotonic()


class Broker:
    def __init__(self, results_capacity=500):
        self._ids = itertools.count(1)
        self._work = queue.Queue(maxsize=200)
        self.results = queue.Queue(maxsize=results_capacity)
        self.dead_letters = collections.deque(maxlen=100)
        self._lock = threading.Lock()
        self.published = 0

    def publish(self, kind, payload):
        task = Task(next(self._ids), kind, payload)
        self._work.put(task)
        with self._lock:
            self.published += 1
        return task.id

    def consume(self, timeout=1.0):
        try:
            return self._work.get(timeout=timeout)
        except queue.Empty:
            return None

    def ack(self, task_id, result):
        try:
            self.results.put_nowait((task_id, result))
        except queue.Full:
            # Reporter is behind; drop the oldest result rather than grow.
            try:
                self.results.get_nowait()
            except queue.Empty:
                pass
            self.results.put_nowait((task_id, result))

    def backlog(self):
        return self._work.qsize()
