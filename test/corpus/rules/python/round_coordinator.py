"""A federated server runs rounds; each round registers a handler on the long-lived server."""


class Server:
    def __init__(self):
        self.handlers = {}

    def set_message_handler(self, kind, handler):
        self.handlers[kind] = handler


class Coordinator:
    def __init__(self, server):
        self.server = server

    def run_round(self, round_id, weights):
        updates = []

        def on_update(msg):
            updates.append((round_id, weights, msg))

        self.server.set_message_handler("update", on_update)  # expect: handler-not-cleared
        return updates

    def run_round_clean(self, round_id, weights):
        updates = []

        def on_update(msg):
            updates.append((round_id, weights, msg))

        self.server.set_message_handler("update2", on_update)
        try:
            return list(updates)
        finally:
            self.server.set_message_handler("update2", None)
