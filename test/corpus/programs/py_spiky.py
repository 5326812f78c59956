# Spiky: every 4 s a round builds a 200 MiB temporary buffer for ~0.8 s and frees it.
import time
from common import run_for

end = run_for()
while time.monotonic() < end:
    scratch = bytearray(200 * 1024 * 1024)
    scratch[::4096] = b"\x01" * len(scratch[::4096])  # touch every page
    time.sleep(0.8)
    del scratch  # large allocations are mmap'd: freed back to the OS at once
    time.sleep(3.2)
