#!/usr/bin/env python3
"""Media task worker: an API thread publishes thumbnail/compress/webhook tasks,
a dispatcher executes them, a reporter drains results and logs health.

Run: python3 py_task_worker/main.py
"""
import logging
import os
import random
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from broker import Broker            # noqa: E402
from dispatcher import Dispatcher    # noqa: E402

log = logging.getLogger("worker")

CONFIG = {
    "publish_rate": 10,        # tasks per second arriving from the API
    "io_delay": 0.14,          # per-task I/O wait in the dispatcher
    "payload_bytes": 16 * 1024,
    "report_every": 15.0,
}


def api_producer(broker, stop):
    rnd = random.Random(17)
    kinds = ["thumbnail", "compress", "webhook", "webhook"]
    while not stop.is_set():
        broker.publish(rnd.choice(kinds), rnd.randbytes(CONFIG["payload_bytes"]))
        time.sleep(1.0 / CONFIG["publish_rate"])


def reporter(broker, dispatcher, stop):
    drained = 0
    last = time.monotonic()
    while not stop.is_set():
        batch = []
        while not broker.results.empty():
            batch.append(broker.results.get_nowait())
        drained += len(batch)
        if time.monotonic() - last > CONFIG["report_every"]:
            last = time.monotonic()
            log.info("published=%d ok=%d failed=%d backlog=%d inflight=%d drained=%d stuck=%d",
                     broker.published, dispatcher.stats["ok"], dispatcher.stats["failed"],
                     broker.backlog(), len(dispatcher.inflight), drained,
                     len(dispatcher.stuck(60)))
        time.sleep(0.5)


def main():
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    broker = Broker()
    dispatcher = Dispatcher(broker, CONFIG["io_delay"])
    stop = threading.Event()
    dispatcher.start()
    threading.Thread(target=reporter, args=(broker, dispatcher, stop), daemon=True).start()
    try:
        api_producer(broker, stop)
    except KeyboardInterrupt:
        stop.set()
        dispatcher.stop()


if __name__ == "__main__":
    main()
