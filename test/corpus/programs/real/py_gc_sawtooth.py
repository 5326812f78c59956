"""Flat, Python: a request-style worker whose per-tick objects form reference cycles (a node
and its parent link, each holding a --payload-kb buffer), so reference counting cannot free them
and they wait for the cyclic collector. With the generation-0 threshold raised (--gc-threshold,
as services that tune gc do) the garbage builds up for a few seconds and is collected at once:
a GC sawtooth around a level that does not grow. --resident-mb is the state a service loads at
start (a lookup table) and keeps. Whether freed payloads go back to the system is glibc's choice:
with its default (dynamic) mmap threshold they stay in the heap; MALLOC_MMAP_THRESHOLD_ below the
payload size gives each its own mapping, returned when the collector frees it.

    MALLOC_MMAP_THRESHOLD_=4096 python3 py_gc_sawtooth.py --tick-ms 20 --nodes 40 --payload-kb 8 --gc-threshold 4000 --resident-mb 150
"""
import argparse
import gc
import time

p = argparse.ArgumentParser()
p.add_argument("--tick-ms", type=float, default=20)
p.add_argument("--nodes", type=int, default=40)
p.add_argument("--payload-kb", type=int, default=16)
p.add_argument("--gc-threshold", type=int, default=20000)
p.add_argument("--resident-mb", type=int, default=0)
p.add_argument("--seconds", type=float, default=900)
a = p.parse_args()

gc.set_threshold(a.gc_threshold, 10, 10)


class Node:
    def __init__(self, parent, payload):
        self.parent = parent
        self.children = []
        self.payload = payload
        if parent is not None:
            parent.children.append(self)


resident = [bytes([i % 251]) * (1024 * 1024) for i in range(a.resident_mb)]  # touched, so resident
served = 0
end = time.monotonic() + a.seconds
while time.monotonic() < end:
    t0 = time.monotonic()
    root = Node(None, bytearray(a.payload_kb * 1024))
    for i in range(a.nodes):
        Node(root, bytearray(a.payload_kb * 1024))
    served += len(root.children)
    del root  # the tree is a cycle (parent <-> children): only the collector frees it
    time.sleep(max(0.0, a.tick_ms / 1000 - (time.monotonic() - t0)))
