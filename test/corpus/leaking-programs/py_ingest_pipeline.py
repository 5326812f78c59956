#!/usr/bin/env python3
"""CSV ingest pipeline worker: pulls batches of rows, validates, normalises and
loads them. Every job gets its own log buffer so a failed job can ship its full
log with the error report. Synthetic batches are generated in-process.

Run: python3 py_ingest_pipeline.py
"""
import collections
import contextlib
import csv
import io
import logging
import logging.handlers
import os
import random
import tempfile
import time

STAGES = ["fetch", "validate", "normalise", "load"]
JOBS_PER_SECOND = 6
ROWS_PER_JOB = 40


def setup_logging(log_dir):
    logger = logging.getLogger("ingest")
    if not logger.handlers:
        rotating = logging.handlers.RotatingFileHandler(
            os.path.join(log_dir, "ingest.log"), maxBytes=1_000_000, backupCount=2)
        rotating.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        rotating.setLevel(logging.INFO)
        logger.addHandler(rotating)
        console = logging.StreamHandler()
        console.setLevel(logging.WARNING)
        logger.addHandler(console)
        logger.setLevel(logging.INFO)
    return logger


log = logging.getLogger("ingest")
stage_loggers = {stage: logging.getLogger(f"ingest.stage.{stage}") for stage in STAGES}


class JobLogBuffer(logging.handlers.BufferingHandler):
    """Keeps a job's records so they can be attached to its error report."""

    def shouldFlush(self, record):
        return False          # flushed explicitly by the job runner

    def dump(self):
        return "\n".join(self.format(r) for r in self.buffer)


def get_job_logger(job_id):
    logger = logging.getLogger(f"ingest.job.{job_id}")
    logger.setLevel(logging.DEBUG)
    handler = JobLogBuffer(capacity=10_000)
    logger.addHandler(handler)
    return logger, handler


class ListHandler(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@contextlib.contextmanager
def capture_warnings(logger):
    handler = ListHandler()
    logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)


class BatchSource:
    def __init__(self, seed=9):
        self.rnd = random.Random(seed)
        self.seq = 0

    def next_batch(self):
        self.seq += 1
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(["id", "email", "country", "amount", "comment"])
        for i in range(ROWS_PER_JOB):
            w.writerow([f"{self.seq}-{i}", f"user{self.rnd.randint(1, 99999)}@example.com",
                        self.rnd.choice(["DE", "FR", "GB", "US", "??"]),
                        f"{self.rnd.uniform(-5, 900):.2f}",
                        "".join(self.rnd.choices("abcdefghij klmnop", k=self.rnd.randint(100, 300)))])
        return f"job-{self.seq:08d}", out.getvalue()


class Loader:
    def __init__(self):
        self.loaded = 0
        self.by_country = collections.Counter()

    def load(self, rows):
        for r in rows:
            self.by_country[r["country"]] += 1
        self.loaded += len(rows)


class IngestWorker:
    def __init__(self):
        self.source = BatchSource()
        self.loader = Loader()
        self.failed_jobs = collections.deque(maxlen=50)
        self.done = 0

    def run_job(self):
        job_id, text = self.source.next_batch()
        jlog, buffer = get_job_logger(job_id)
        jlog.info("fetched %d bytes; head=%s", len(text), text[:4000])
        stage_loggers["fetch"].debug("job %s fetched", job_id)
        rows = list(csv.DictReader(io.StringIO(text)))
        valid = []
        with capture_warnings(stage_loggers["validate"]) as warnings:
            for row in rows:
                if row["country"] == "??" or float(row["amount"]) < 0:
                    stage_loggers["validate"].warning("job %s row %s rejected", job_id, row["id"])
                    continue
                valid.append(row)
        jlog.info("validated: %d ok, %d rejected; sample=%s", len(valid), len(warnings),
                  [r["comment"] for r in valid[:12]])
        for row in valid:
            row["email"] = row["email"].lower()
            row["amount"] = round(float(row["amount"]), 2)
        jlog.debug("normalised rows: %s", [r["id"] for r in valid])
        try:
            if len(valid) < ROWS_PER_JOB * 0.5:
                raise ValueError("too many rejected rows")
            self.loader.load(valid)
            jlog.info("loaded %d rows", len(valid))
        except ValueError as exc:
            self.failed_jobs.append({"job": job_id, "error": str(exc), "log": buffer.dump()})
            buffer.flush()
            log.warning("job %s failed: %s", job_id, exc)
        self.done += 1
        if self.done % 1000 == 0:
            log.info("jobs=%d rows=%d failed(kept)=%d", self.done, self.loader.loaded,
                     len(self.failed_jobs))


def main():
    log_dir = tempfile.mkdtemp(prefix="ingest-logs-")
    setup_logging(log_dir)
    # The validate stage's warnings are only wanted in the per-job capture.
    stage_loggers["validate"].propagate = False
    worker = IngestWorker()
    log.info("ingest worker started, logs in %s", log_dir)
    try:
        while True:
            worker.run_job()
            time.sleep(1.0 / JOBS_PER_SECOND)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
