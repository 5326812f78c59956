"""A worker that already returns memory to the OS after each batch: nothing here should fire."""
import ctypes
import gc
import sys


def release_memory() -> None:
    gc.collect()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except OSError:
            pass


def run_batches(batches) -> None:
    for batch in batches:
        buffer = bytearray(batch.size)
        batch.fill(buffer)
        batch.upload(buffer)
        del buffer
        release_memory()
