"""Relays a market-data feed to TCP subscribers with asyncio streams."""
import asyncio
import csv
import json
import sys


async def pump_feed(feed: asyncio.Queue, writer: asyncio.StreamWriter) -> None:
    while True:
        tick = await feed.get()
        writer.write(json.dumps(tick).encode() + b"\n")  # expect: stream-no-drain


async def pump_feed_drained(feed: asyncio.Queue, writer: asyncio.StreamWriter) -> None:
    while True:
        tick = await feed.get()
        writer.write(json.dumps(tick).encode() + b"\n")
        await writer.drain()


async def send_snapshot(writer: asyncio.StreamWriter, rows) -> None:
    # One write, not a loop: the transport buffer holds one snapshot at most.
    writer.write(json.dumps(rows).encode())
    await writer.drain()


async def replay(path: str, host: str, port: int) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    with open(path, newline="") as f:
        for row in csv.reader(f):
            writer.write((",".join(row) + "\n").encode())  # expect: stream-no-drain
    writer.close()
    await writer.wait_closed()


async def export_ticks(feed: asyncio.Queue, path: str) -> None:
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        while not feed.empty():
            tick = await feed.get()
            writer.writerow([tick["ts"], tick["price"]])
            sys.stdout.write(".")


class Subscriber:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader = reader
        self.writer = writer

    async def forward(self, messages) -> None:
        async for message in messages:
            self.writer.write(message)
            if self.writer.transport.get_write_buffer_size() > 1 << 20:
                await self.writer.drain()


def sync_dump(writer, items) -> None:
    # Not async: a plain file-like writer, not a StreamWriter.
    for item in items:
        writer.write(item)
