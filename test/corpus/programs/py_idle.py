# Does (almost) nothing: a heartbeat loop.
import time
from common import run_for

end = run_for()
beats = 0
while time.monotonic() < end:
    beats += 1
    time.sleep(0.1)
