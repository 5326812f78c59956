"""WebSocket transport for the federated server: handlers are keyed by message type."""
import asyncio
import json
from typing import Callable, Dict

import websockets


class ServerSocket:
    def __init__(self, host: str, port: int):
        self.host = host
        self.port = port
        self.message_handlers: Dict[str, Callable] = {}
        self.clients = {}
        self.pending_acks: Dict[int, asyncio.Future] = {}

    def set_message_handler(self, message_type, handler):
        if handler is None:
            self.message_handlers.pop(message_type, None)
        else:
            self.message_handlers[message_type] = handler

    async def send_with_ack(self, client_id, message, seq):
        loop = asyncio.get_running_loop()
        future = loop.create_future()

        def on_ack(reply):
            future.set_result(reply)

        # Acks are removed again below: a look-alike that must not fire.
        self.pending_acks[seq] = on_ack
        try:
            await self.clients[client_id].send(json.dumps(message))
            return await asyncio.wait_for(future, timeout=10)
        finally:
            self.pending_acks.pop(seq, None)

    async def _serve_client(self, websocket):
        client_id = id(websocket)
        self.clients[client_id] = websocket
        try:
            async for raw in websocket:
                message = json.loads(raw)
                handler = self.message_handlers.get(message["type"])
                if handler is not None:
                    handler(message)
        finally:
            del self.clients[client_id]

    async def start(self):
        self._server = await websockets.serve(self._serve_client, self.host, self.port)

    async def broadcast(self, message_type, payload):
        data = json.dumps({"type": message_type, "payload": payload})
        await asyncio.gather(*(client.send(data) for client in self.clients.values()))

    async def stop(self):
        self._server.close()
        await self._server.wait_closed()
