"""A toy federated-learning server that leaks memory the way real ones do.

Each training round caches the client index for that round in `_index_cache`, and registers a
message handler for the round's updates (a closure holding the round's buffer) that is never
cleared; neither is ever released. RSS grows by about 3-4 MB per second until it reaches
--cap-mb (500 by default), then stays flat, and the program ends after --duration seconds.

Leakscope's rules underline both leaks; apply the quick fixes, restart, and the line goes flat.

    python3 federated_server.py [--rounds-per-second 1] [--cap-mb 500] [--duration 900]
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


class MessageServer:
    """Dispatches incoming messages to the handler registered for their type."""

    def __init__(self):
        self.message_handlers = {}

    def set_message_handler(self, message_type, handler):
        if handler is None:
            self.message_handlers.pop(message_type, None)
        else:
            self.message_handlers[message_type] = handler

    def dispatch(self, message_type, message):
        handler = self.message_handlers.get(message_type)
        return handler(message) if handler else None


class FederatedServer:
    def __init__(self):
        self.server = MessageServer()
        self._index_cache = {}

    def client_index(self, round_no, clients):
        key = (round_no, clients)
        if key not in self._index_cache:
            self._index_cache[key] = [random.random() for _ in range(INDEX_SIZE)]
        return self._index_cache[key]

    def _collect_model_updates(self, round_no):
        updates = {}
        buffer = bytearray(os.urandom(HANDLER_BUFFER))

        def handle_model_update(message):
            updates[len(updates)] = (message, len(buffer))

        self.server.set_message_handler(f"round-{round_no}-update", handle_model_update)
        self.server.dispatch(f"round-{round_no}-update", b"weights")
        return updates

    def run_round(self, round_no, clients=8):
        index = self.client_index(round_no, clients)
        updates = self._collect_model_updates(round_no)
        return sum(index[:clients]) / clients + len(updates)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds-per-second", type=float, default=1.0)
    parser.add_argument("--cap-mb", type=float, default=500, help="stop growing at this RSS")
    parser.add_argument("--duration", type=float, default=900, help="seconds before the server stops")
    args = parser.parse_args()

    server = FederatedServer()
    print(f"federated_server: pid {os.getpid()}, cap {args.cap_mb:.0f} MB, stops in {args.duration:.0f} s", flush=True)
    started = time.monotonic()
    round_no = 0
    while time.monotonic() - started < args.duration:
        if rss_mb() < args.cap_mb:
            round_no += 1
            server.run_round(round_no)
            if round_no % 10 == 0:
                print(f"round {round_no}: rss {rss_mb():.0f} MB, {len(server.server.message_handlers)} handlers", flush=True)
        time.sleep(1 / args.rounds_per_second)
    print("federated_server: done", flush=True)


if __name__ == "__main__":
    main()
