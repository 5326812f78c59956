import asyncio


class ChatServer:
    def __init__(self):
        self.clients = set()

    def broadcast(self, message):
        data = message.encode()
        for client in self.clients:
            client.transport.write(data)  # expect: stream-no-drain

    async def broadcast_drained(self, message):
        data = message.encode()
        for client in self.clients:
            client.writer.write(data)
            await client.writer.drain()
