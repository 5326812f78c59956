# Plateau: loads a 120 MiB lookup table over ~10 s at start-up, then serves from it without
# growing (small per-request garbage only).
import time
from common import run_for

end = run_for()
table = {}
for i in range(120):
    table[i] = bytes(1024 * 1024) + str(i).encode()
    time.sleep(0.08)
while time.monotonic() < end:
    answer = [table[i % 120][:100] for i in range(200)]  # per-request garbage, freed
    del answer
    time.sleep(0.02)
