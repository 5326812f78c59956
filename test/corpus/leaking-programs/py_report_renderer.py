#!/usr/bin/env python3
"""Report renderer worker: takes report jobs (tenant, sections, time window) from
a queue, renders each section to HTML and "uploads" the page. Rendering is the
expensive part, so section output and a few helpers are memoised.

Run: python3 py_report_renderer.py
"""
import functools
import html
import logging
import queue
import random
import threading
import time
from datetime import datetime, timedelta, timezone

log = logging.getLogger("reports")

# Caching policy: one place to change how the helpers below memoise.
memoize = functools.lru_cache(maxsize=None)

JOB_RATE = 6              # jobs per second from the scheduler
TEMPLATE_NAMES = ["summary", "usage", "billing", "errors", "latency", "quota"]
LOCALES = ["en_GB", "de_DE", "fr_FR", "ja_JP"]
TENANTS = [f"tenant-{i:03d}" for i in range(40)]


@functools.lru_cache(maxsize=64)
def load_template(name):
    # Pretend this reads from disk.
    return ("<section class='{cls}'><h2>{title}</h2><table>{rows}</table>"
            "<footer>{footer}</footer></section>").replace("{cls}", name)


@memoize
def currency_format(locale):
    sep = {"en_GB": ",", "de_DE": ".", "fr_FR": " ", "ja_JP": ","}[locale]
    sym = {"en_GB": "£", "de_DE": "€", "fr_FR": "€", "ja_JP": "¥"}[locale]
    return lambda v: f"{sym}{v:,.2f}".replace(",", sep)


class TTLCache:
    """Small time-bounded cache for tenant metadata (expired entries purged)."""

    def __init__(self, ttl):
        self.ttl = ttl
        self._data = {}

    def get(self, key, loader):
        now = time.monotonic()
        hit = self._data.get(key)
        if hit and hit[0] > now:
            return hit[1]
        value = loader(key)
        self._data[key] = (now + self.ttl, value)
        self._purge(now)
        return value

    def _purge(self, now):
        for k in [k for k, (exp, _) in self._data.items() if exp <= now]:
            del self._data[k]


class MetricsSource:
    def __init__(self, seed=11):
        self.rnd = random.Random(seed)

    def rows(self, tenant, section, start, end, n=60):
        return [(f"{section}-{i}", self.rnd.uniform(0, 5000)) for i in range(n)]


class ReportRenderer:
    def __init__(self, source):
        self.source = source
        self.tenants = TTLCache(ttl=30)
        self.rendered = 0

    def tenant_meta(self, tenant):
        return self.tenants.get(tenant, lambda t: {"name": t.upper(), "locale": random.choice(LOCALES)})

    @memoize
    def render_section(self, tenant, section, window_start, window_end, locale):
        fmt = currency_format(locale)
        rows = "".join(
            f"<tr><td>{html.escape(label)}</td><td>{fmt(value)}</td>"
            f"<td>{window_start:%Y-%m-%d %H:%M:%S}</td></tr>"
            for label, value in self.source.rows(tenant, section, window_start, window_end))
        return (load_template(section)
                .replace("{title}", f"{section.title()} for {tenant}")
                .replace("{rows}", rows)
                .replace("{footer}", f"{window_start.isoformat()} - {window_end.isoformat()}"))

    def render(self, job):
        meta = self.tenant_meta(job["tenant"])
        parts = []
        for section in job["sections"]:
            parts.append(self.render_section(job["tenant"], section, job["start"], job["end"],
                                             meta["locale"]))
        self.rendered += 1
        return "<html><body>" + "".join(parts) + "</body></html>"


class Uploader:
    def __init__(self):
        self.bytes_out = 0
        self.pending = []

    def upload(self, name, page):
        self.pending.append((name, len(page)))
        if len(self.pending) >= 20:
            self.flush()

    def flush(self):
        self.bytes_out += sum(n for _, n in self.pending)
        self.pending.clear()


def scheduler(jobs, stop):
    rnd = random.Random(5)
    while not stop.is_set():
        end = datetime.now(timezone.utc)
        jobs.put({
            "tenant": rnd.choice(TENANTS),
            "sections": rnd.sample(TEMPLATE_NAMES, 2),
            "start": end - timedelta(hours=rnd.choice([1, 6, 24])),
            "end": end,
        })
        time.sleep(1.0 / JOB_RATE)


def worker(jobs, renderer, uploader, stop):
    while not stop.is_set():
        try:
            job = jobs.get(timeout=1)
        except queue.Empty:
            continue
        page = renderer.render(job)
        uploader.upload(f"{job['tenant']}/{job['end']:%Y%m%d%H%M%S}.html", page)
        if renderer.rendered % 500 == 0:
            log.info("rendered=%d uploaded=%.1f MB backlog=%d cache=%s", renderer.rendered,
                     uploader.bytes_out / 1e6, jobs.qsize(), load_template.cache_info())


def main():
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    jobs = queue.Queue(maxsize=100)
    stop = threading.Event()
    renderer, uploader = ReportRenderer(MetricsSource()), Uploader()
    threading.Thread(target=worker, args=(jobs, renderer, uploader, stop), daemon=True).start()
    try:
        scheduler(jobs, stop)
    except KeyboardInterrupt:
        stop.set()


if __name__ == "__main__":
    main()
