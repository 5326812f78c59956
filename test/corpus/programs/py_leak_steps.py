# Stepwise leak: each 3 s round does work with 40 MiB of temporaries, and keeps 6 MiB of it
# in a per-round cache that is never evicted.
import time
from common import run_for

end = run_for()
cache = {}
round_no = 0
while time.monotonic() < end:
    round_no += 1
    batch = [bytearray(1024 * 1024) for _ in range(40)]  # temporaries of the round
    for b in batch:
        b[::4096] = b"\x01" * len(b[::4096])  # touch the pages
    cache[round_no] = [bytes(b) for b in batch[:6]]  # the leak: kept per round
    del batch
    time.sleep(3)
