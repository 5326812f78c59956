"""A toy federated-learning server that leaks memory the way real ones do.

Four times a second a training round looks up each client's index in `_index_cache` (keyed by
the request: round and client, so every key is new) and registers a message handler for the
round's updates: a closure holding the round's receive buffer, never cleared. Neither is ever
released, so RSS climbs by about 14 MB a minute, steadily, under the noise of each round's
short-lived model update (a few MB, freed at the end of the round). Thirty minutes of it stay
well under 1 GB; the server stops growing at --cap-mb anyway and ends after --duration seconds.

Leakscope's rules underline both leaks. Apply both quick fixes, restart the program, and the next
run is flat: the cache then holds at most 1000 small entries (about 1 MB, filled in the first
minute, under the noise of the rounds).

    python3 federated_server.py [--rounds-per-second 4] [--cap-mb 900] [--duration 1800]
"""
import argparse
import mmap
import os
import random
import time

CLIENTS_PER_ROUND = 5
INDEX_SIZE = 25               # floats per cached client index (~1 KB in CPython)
HANDLER_BUFFER = 56 * 1024    # bytes kept alive by each round's message handler
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE_SIZE / 2**20


def touched_buffer(size):
    """An anonymous mapping of `size` bytes with every page written, so all of it is resident."""
    buffer = mmap.mmap(-1, size)
    for offset in range(0, size, mmap.PAGESIZE):
        buffer[offset] = 1
    return buffer


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
        self.model_update = None

    def client_index(self, round_no, client_id):
        key = (round_no, client_id)
        if key not in self._index_cache:
            self._index_cache[key] = [random.random() for _ in range(INDEX_SIZE)]
        return self._index_cache[key]

    def _collect_model_updates(self, round_no):
        updates = {}
        buffer = bytearray(HANDLER_BUFFER)
        buffer[::4096] = b"\x01" * len(buffer[::4096])  # touched, so the pages are really resident

        def handle_model_update(message):
            updates[len(updates)] = (message, len(buffer))

        self.server.set_message_handler(f"round-{round_no}-update", handle_model_update)
        self.server.dispatch(f"round-{round_no}-update", b"weights")
        return updates

    def run_round(self, round_no):
        # This round's model update replaces the last one: a few MB of noise around the trend.
        # Mapped directly, so freeing it really lowers RSS (glibc would keep a freed heap block).
        if self.model_update is not None:
            self.model_update.close()
        self.model_update = touched_buffer(random.randint(1, 6) * 2**20)
        total = 0.0
        for client_id in range(CLIENTS_PER_ROUND):
            total += sum(self.client_index(round_no, client_id)[:8])
        updates = self._collect_model_updates(round_no)
        return total / CLIENTS_PER_ROUND + len(updates)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds-per-second", type=float, default=4.0)
    parser.add_argument("--cap-mb", type=float, default=900, help="stop growing at this RSS")
    parser.add_argument("--duration", type=float, default=1800, help="seconds before the server stops")
    args = parser.parse_args()

    server = FederatedServer()
    print(f"federated_server: pid {os.getpid()}, cap {args.cap_mb:.0f} MB, stops in {args.duration:.0f} s", flush=True)
    started = time.monotonic()
    round_no = 0
    while time.monotonic() - started < args.duration:
        if rss_mb() < args.cap_mb:
            round_no += 1
            server.run_round(round_no)
            if round_no % 240 == 0:
                print(f"round {round_no}: rss {rss_mb():.0f} MB, {len(server.server.message_handlers)} handlers", flush=True)
        # Rounds do not arrive like clockwork: +-30 % around the mean interval.
        time.sleep(random.uniform(0.7, 1.3) / args.rounds_per_second)
    print("federated_server: done", flush=True)


if __name__ == "__main__":
    main()
