"""An in-process event bus and the objects that listen to it."""
import weakref


class EventBus:
    def __init__(self):
        self._subscribers = []

    def subscribe(self, callback):
        self._subscribers.append(callback)

    def unsubscribe_all(self):
        self._subscribers = []

    def publish(self, event):
        for callback in list(self._subscribers):
            callback(event)


bus = EventBus()
signals = EventBus()


class PriceWatcher:
    """One per open chart: created and closed many times while the app runs."""

    def __init__(self, symbol):
        self.symbol = symbol
        self.ticks = []
        bus.subscribe(self.on_tick)  # expect: handler-not-cleared

    def on_tick(self, event):
        if event.get("symbol") == self.symbol:
            self.ticks.append(event["price"])

    def close(self):
        self.ticks = []


class OrderPanel:
    def __init__(self, account):
        self.account = account

    def attach(self):
        signals.subscribe(self.refresh)

    def refresh(self, event):
        print(self.account, event)

    def detach(self):
        signals.unsubscribe_all()


class Recorder:
    def __init__(self):
        self._ref = weakref.ref(self)
        self.local_bus = EventBus()
        self.local_bus.subscribe(self.record)

    def record(self, event):
        print(event)


_live_widgets = {}


class Widget:
    """Every widget registers itself so the inspector can list them; nothing unregisters."""

    def __init__(self, name, pixels):
        self.name = name
        self.pixels = pixels
        _live_widgets[id(self)] = self  # expect: unbounded-collection


import atexit


class Connection:
    """Opened per request by the CLI's batch mode; each registers its own close at exit."""

    def __init__(self, host):
        self.host = host
        self.buffer = bytearray(1 << 20)
        atexit.register(self.close)  # expect: handler-not-cleared

    def close(self):
        self.buffer = bytearray()
