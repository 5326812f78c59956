"""Collects process metrics for the dashboard."""
import collections
import statistics
import threading
import time
from collections import deque

import psutil

SAMPLE_INTERVAL = 1.0
MAX_POINTS = 3600

events_seen = []
_alerts = []


class MetricsCollector:
    def __init__(self, pid: int):
        self.process = psutil.Process(pid)
        self.rss_history = []
        self.cpu_samples = deque(maxlen=MAX_POINTS)
        self.io_samples = collections.deque(maxlen=MAX_POINTS)
        self.latency_history = []
        self.errors = []
        self.children = []
        self._stop = threading.Event()

    def sample(self) -> None:
        info = self.process.memory_info()
        self.rss_history.append((time.time(), info.rss))  # expect: unbounded-collection
        self.cpu_samples.append(self.process.cpu_percent())
        counters = self.process.io_counters()
        self.io_samples.append((counters.read_bytes, counters.write_bytes))

    def record_latency(self, seconds: float) -> None:
        # Trimmed below: a look-alike that must not fire.
        self.latency_history.append(seconds)
        if len(self.latency_history) > MAX_POINTS:
            del self.latency_history[0]

    def add_child(self, pid: int) -> None:
        # A list that grows, but not one named like a record of samples: no claim.
        self.children.append(pid)

    def p95_latency(self) -> float:
        return statistics.quantiles(self.latency_history, n=20)[-1]

    def run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            time.sleep(SAMPLE_INTERVAL)


def on_event(event: dict) -> None:
    events_seen.append(event["id"])  # expect: unbounded-collection
    if event.get("level") == "alert":
        _alerts.append(event)


def drain_alerts() -> list:
    pending = list(_alerts)
    _alerts.clear()
    return pending
