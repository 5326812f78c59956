#!/usr/bin/env python3
"""Device gateway: devices connect over TCP, send a few telemetry frames and hang
up. Each connection gets a DeviceSession that reacts to gateway-wide events
(config pushes, firmware releases) through a small in-process event bus.
A synthetic fleet on 127.0.0.1 drives it.

Run: python3 py_device_gateway.py
"""
import asyncio
import json
import logging
import random
import struct
import time
import weakref
from collections import defaultdict

log = logging.getLogger("gateway")

SETTINGS = {
    "host": "127.0.0.1",
    "connections_per_second": 6,
    "frames_per_connection": 4,
    "frame_bytes": 4096,
    "config_push_every": 20.0,
}


# --------------------------------------------------------------------------- event bus

class EventBus:
    """Topic -> callbacks. `subscribe` keeps a strong reference to the callback,
    `subscribe_weak` only a weak one (for bound methods of short-lived objects)."""

    def __init__(self):
        self._subs = defaultdict(list)

    def subscribe(self, topic, callback):
        self._subs[topic].append(callback)

    def subscribe_weak(self, topic, method):
        ref = weakref.WeakMethod(method)
        self._subs[topic].append(ref)
        weakref.finalize(method.__self__, self._drop, topic, ref)

    def unsubscribe(self, topic, callback):
        try:
            self._subs[topic].remove(callback)
        except ValueError:
            pass

    def _drop(self, topic, ref):
        self.unsubscribe(topic, ref)

    def publish(self, topic, payload):
        delivered = 0
        for cb in list(self._subs.get(topic, ())):
            if isinstance(cb, weakref.WeakMethod):
                cb = cb()
                if cb is None:
                    continue
            cb(payload)
            delivered += 1
        return delivered

    def count(self, topic):
        return len(self._subs.get(topic, ()))


bus = EventBus()


# --------------------------------------------------------------------------- sessions

class DeviceSession:
    def __init__(self, device_id, writer, stats):
        self.device_id = device_id
        self.writer = writer
        self.frames = []
        self.config_version = 0
        self.closed = False
        self.stats = stats
        bus.subscribe("firmware.released", self.on_firmware)
        bus.subscribe("config.changed", self.on_config_change)
        bus.subscribe_weak("metrics.flush", self.on_metrics_flush)

    def on_frame(self, frame):
        self.frames.append(frame)
        self.stats["frames"] += 1

    def on_config_change(self, cfg):
        if self.closed:
            return
        self.config_version = cfg["version"]

    def on_firmware(self, release):
        if not self.closed:
            log.debug("device %s offered firmware %s", self.device_id, release["version"])

    def on_metrics_flush(self, _):
        self.stats["flushed"] += len(self.frames)

    def summary(self):
        return {"device": self.device_id, "frames": len(self.frames),
                "bytes": sum(len(f) for f in self.frames)}

    def close(self):
        self.closed = True
        bus.unsubscribe("firmware.released", self.on_firmware)


class Gateway:
    def __init__(self):
        self.sessions = {}
        self.stats = defaultdict(int)
        self.config_version = 0

    async def handle(self, reader, writer):
        hello = json.loads(await reader.readline())
        session = DeviceSession(hello["device_id"], writer, self.stats)
        self.sessions[session.device_id] = session
        try:
            while True:
                header = await reader.readexactly(4)
                (size,) = struct.unpack("!I", header)
                if size == 0:
                    break
                session.on_frame(await reader.readexactly(size))
            writer.write((json.dumps(session.summary()) + "\n").encode())
            await writer.drain()
        except asyncio.IncompleteReadError:
            self.stats["dropped"] += 1
        finally:
            session.close()
            del self.sessions[session.device_id]
            writer.close()

    async def config_pusher(self):
        while True:
            await asyncio.sleep(SETTINGS["config_push_every"])
            self.config_version += 1
            n = bus.publish("config.changed", {"version": self.config_version})
            bus.publish("metrics.flush", None)
            log.info("config v%d pushed to %d subscribers; live sessions=%d frames=%d",
                     self.config_version, n, len(self.sessions), self.stats["frames"])


# --------------------------------------------------------------------------- fleet

async def fake_device(port, n, rnd):
    reader, writer = await asyncio.open_connection(SETTINGS["host"], port)
    writer.write((json.dumps({"device_id": f"dev-{n:07d}"}) + "\n").encode())
    for _ in range(SETTINGS["frames_per_connection"]):
        frame = rnd.randbytes(SETTINGS["frame_bytes"])
        writer.write(struct.pack("!I", len(frame)) + frame)
    writer.write(struct.pack("!I", 0))
    await writer.drain()
    await reader.readline()
    writer.close()
    await writer.wait_closed()


async def fleet(port):
    rnd = random.Random(3)
    n = 0
    while True:
        n += 1
        await fake_device(port, n, rnd)
        await asyncio.sleep(1.0 / SETTINGS["connections_per_second"])


async def main():
    gateway = Gateway()
    server = await asyncio.start_server(gateway.handle, SETTINGS["host"], 0)
    port = server.sockets[0].getsockname()[1]
    log.info("gateway on %s:%d", SETTINGS["host"], port)
    asyncio.create_task(gateway.config_pusher())
    async with server:
        await fleet(port)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
