# Shared by the Python corpus programs: how long to run (argv[1], seconds; default 60).
import sys
import time


def run_for():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
    return time.monotonic() + seconds
