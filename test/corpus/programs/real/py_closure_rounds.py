"""Stepwise leak, Python: a round-based coordinator registers a callback per round on a
long-lived event bus; the callback is a closure over that round's results (about --keep-mb of
floats) and is never unsubscribed, so each round leaves its results behind. Between rounds the
process only waits, so RSS rises in one step per round.

    python3 py_closure_rounds.py --round-s 4 --keep-mb 6 [--seconds 900]
"""
import argparse
import random
import time

p = argparse.ArgumentParser()
p.add_argument("--round-s", type=float, default=4)
p.add_argument("--keep-mb", type=float, default=6)
p.add_argument("--seconds", type=float, default=900)
a = p.parse_args()


class EventBus:
    def __init__(self):
        self.subscribers = {}

    def subscribe(self, topic, callback):
        self.subscribers.setdefault(topic, []).append(callback)

    def publish(self, topic, msg):
        return [cb(msg) for cb in self.subscribers.get(topic, [])]


bus = EventBus()
end = time.monotonic() + a.seconds
round_no = 0
while time.monotonic() < end:
    round_no += 1
    # a float object + its list slot is ~32 bytes
    results = [random.random() for _ in range(int(a.keep_mb * 2**20 / 32))]
    mean = sum(results) / len(results)

    def on_aggregate(msg, results=results, round_no=round_no):  # LEAK: never unsubscribed
        return (round_no, msg, len(results))

    bus.subscribe("aggregate", on_aggregate)
    bus.publish("aggregate", mean)
    time.sleep(a.round_s)
