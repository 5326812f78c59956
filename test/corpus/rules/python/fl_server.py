"""Federated-learning aggregation server (the seed runbook's shape).

Each round asks the connected nodes for training samples, waits for their model updates,
aggregates them and broadcasts the new global weights.
"""
import asyncio
import time
from typing import Any, Callable, Dict, List

from loguru import logger

from server.communication.server_socket import MessageType, ServerSocket
from server.storage.file_metrics_store import FileMetricsStore

logger.add("logs/server.log", level="INFO")  # expect: log-no-rotation
logger.add(lambda msg: print(msg, end=""), level="DEBUG")


class FederatedServer:
    def __init__(self, config: Dict[str, Any]):
        self.config = config
        self.server = ServerSocket(config["host"], config["port"])
        self.metrics = FileMetricsStore(config["metrics_dir"])
        self.global_weights = None
        self.round_history: List[Dict[str, float]] = []
        self.connected_nodes = set()
        # Registered once for the life of the server: not a per-round leak.
        self.server.set_message_handler(MessageType.HELLO, self._on_hello)

    def _on_hello(self, message):
        self.connected_nodes.add(message.sender)

    async def _collect_model_updates(self, round_num: int, timeout: float) -> Dict[str, Any]:
        updates: Dict[str, Any] = {}
        expected = len(self.connected_nodes)

        def handle_model_update(message):
            updates[message.sender] = message.payload

        self.server.set_message_handler(MessageType.MODEL_UPDATE, handle_model_update)  # expect: handler-not-cleared
        deadline = time.monotonic() + timeout
        while len(updates) < expected and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        logger.info(f"round {round_num}: {len(updates)}/{expected} updates")
        return updates

    async def _collect_samples(self, round_num: int) -> List[bytes]:
        samples: List[bytes] = []
        done = asyncio.Event()

        def handle_samples(message):
            samples.extend(message.payload)
            if len(samples) >= self.config["samples_per_round"]:
                done.set()

        self.server.set_message_handler(MessageType.SAMPLES, handle_samples)
        try:
            await asyncio.wait_for(done.wait(), timeout=60)
        finally:
            self.server.set_message_handler(MessageType.SAMPLES, None)
        return samples

    async def _execute_round(self, round_num: int) -> None:
        samples = await self._collect_samples(round_num)
        await self.server.broadcast(MessageType.TRAIN, {"round": round_num, "samples": len(samples)})
        model_updates = await self._collect_model_updates(round_num, timeout=120)
        self.global_weights = aggregate(model_updates.values())
        self.round_history.append({"round": round_num, "nodes": len(model_updates)})  # expect: unbounded-collection
        self.metrics.record_round(round_num, len(model_updates))
        del samples, model_updates  # expect: missing-gc-after-free

    async def run(self, rounds: int) -> None:
        await self.server.start()
        for round_num in range(rounds):
            await self._execute_round(round_num)
        await self.server.stop()


def aggregate(updates) -> List[float]:
    updates = list(updates)
    if not updates:
        return []
    size = len(updates[0])
    return [sum(u[i] for u in updates) / len(updates) for i in range(size)]
