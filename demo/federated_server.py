"""A toy federated-learning server that leaks memory the way real ones do.

Each training round caches the client index for that round in `_index_cache` and sets a
message handler (holding the round's buffer) that is never cleared; neither is ever released. RSS grows
by about 3-4 MB per second until it reaches --cap-mb (500 by default), then stays flat, and
the program ends after --duration seconds. Run with --fixed to see the flat line of the fix.

    python3 federated_server.py [--fixed] [--rounds-per-second 1] [--cap-mb 500] [--duration 900]
"""
import argparse
import os
import random
import time

INDEX_SIZE = 100_000          # floats per cached client index (~3 MB in CPython)
HANDLER_BUFFER = 512 * 1024   # bytes kept alive by each round's message handler
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_SIZE / 2**20


class FederatedServer:
    def __init__(self, fixed):
        self.fixed = fixed
        self._index_cache = {}   # LEAK: one entry per round, never evicted
        self._handlers = {}      # LEAK: one handler per round, never cleared

    def client_index(self, round_no, clients):
        key = (round_no, clients)
        if key not in self._index_cache:
            if self.fixed:
                self._index_cache.clear()  # the fix: only the current round is ever needed
            self._index_cache[key] = [random.random() for _ in range(INDEX_SIZE)]
        return self._index_cache[key]

    def set_message_handler(self, message_type, handler):
        self._handlers[message_type] = handler

    def clear_message_handler(self, message_type):
        self._handlers.pop(message_type, None)

    def run_round(self, round_no, clients=8):
        index = self.client_index(round_no, clients)
        buffer = bytearray(os.urandom(HANDLER_BUFFER))
        message_type = f"round-{round_no}-update"
        self.set_message_handler(message_type, lambda message: len(message) + len(buffer))
        result = sum(index[:clients]) / clients
        if self.fixed:
            self.clear_message_handler(message_type)  # the fix: a round's handler ends with the round
        return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fixed", action="store_true", help="release per-round state (no leak)")
    parser.add_argument("--rounds-per-second", type=float, default=1.0)
    parser.add_argument("--cap-mb", type=float, default=500, help="stop growing at this RSS")
    parser.add_argument("--duration", type=float, default=900, help="seconds before the server stops")
    args = parser.parse_args()

    server = FederatedServer(args.fixed)
    print(f"federated_server: pid {os.getpid()}, {'fixed' if args.fixed else 'leaking'}, "
          f"cap {args.cap_mb:.0f} MB, stops in {args.duration:.0f} s", flush=True)
    started = time.monotonic()
    round_no = 0
    while time.monotonic() - started < args.duration:
        if rss_mb() < args.cap_mb:
            round_no += 1
            server.run_round(round_no)
            if round_no % 10 == 0:
                print(f"round {round_no}: rss {rss_mb():.0f} MB, {len(server._handlers)} handlers", flush=True)
        time.sleep(1 / args.rounds_per_second)
    print("federated_server: done", flush=True)


if __name__ == "__main__":
    main()
