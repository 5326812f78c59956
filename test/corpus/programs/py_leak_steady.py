# Steady leak: a request log that is never trimmed. ~64 KiB kept every 50 ms (~1.25 MiB/s).
import time
from common import run_for

end = run_for()
history = []
while time.monotonic() < end:
    history.append(bytes(64 * 1024) + b"request")  # kept forever
    time.sleep(0.05)
