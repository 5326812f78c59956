"""Workers subscribe to a module-level event bus."""
import threading


class EventBus:
    def __init__(self):
        self._subscribers = []

    def subscribe(self, callback):
        self._subscribers.append(callback)

    def unsubscribe(self, callback):
        self._subscribers.remove(callback)

    def publish(self, event):
        for callback in list(self._subscribers):
            callback(event)


bus = EventBus()


class PriceWatcher:
    def __init__(self, symbol, history):
        self.symbol = symbol
        self.history = history
        bus.subscribe(self.on_event)  # expect: handler-not-cleared

    def on_event(self, event):
        if event.get("symbol") == self.symbol:
            self.history.append(event["price"])

    def close(self):
        self.history = None


class QuoteWatcher:
    def __init__(self, symbol):
        self.symbol = symbol
        self.quotes = []
        bus.subscribe(self.on_quote)

    def on_quote(self, event):
        self.quotes.append(event)

    def close(self):
        bus.unsubscribe(self.on_quote)
