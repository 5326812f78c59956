"""Views that listen to another object's events each time they are shown."""
import events

bus = events.Bus()


class QuoteView:
    def __init__(self, client):
        self.client = client
        self.rows = []

    def show(self, symbol):
        # A new closure per call, on a bus that outlives the view: each show adds one more.
        bus.subscribe(lambda quote: self.rows.append((symbol, quote)))  # expect: handler-not-cleared

    def follow(self, feed):
        def on_trade(trade):
            self.rows.append(trade)

        feed.events.connect(on_trade)  # expect: handler-not-cleared

    def refresh(self):
        self.client.updates.subscribe(self.redraw)  # expect: handler-not-cleared

    def redraw(self, update):
        self.rows.append(update)


class StatusBar:
    """Look-alikes: set-up wiring once, a closure taken back, the view's own signal."""

    def __init__(self, client):
        self.client = client
        self.client.status.subscribe(lambda status: print(status))
        self.changed = events.Signal()

    def watch(self, feed):
        handler = lambda item: print(item)
        feed.items.connect(handler)
        return handler

    def unwatch(self, feed, handler):
        feed.items.disconnect(handler)

    def notify(self):
        self.changed.connect(self.on_change)

    def on_change(self):
        pass
