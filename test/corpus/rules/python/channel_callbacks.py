"""Instances that hand a bound method to a module's channel cache as a callback."""
from . import channels


class ProcessVariable:
    def __init__(self, name):
        self.name = name
        self.chid = channels.create_channel(name, callback=self._on_connect)  # expect: handler-not-cleared

    def _on_connect(self, conn=True):
        self.connected = conn

    def disconnect(self):
        self.connected = False
        self._forget()

    def _forget(self):
        self.chid = None


class TidyProcessVariable:
    """The teardown takes the callback back through a helper (quiet)."""

    def __init__(self, name):
        self.name = name
        self.chid = channels.create_channel(name, callback=self._on_connect)

    def _on_connect(self, conn=True):
        self.connected = conn

    def disconnect(self):
        self._forget()

    def _forget(self):
        channels.remove_callback(self.chid, self._on_connect)


class Reader:
    """No teardown: nothing says instances end before the process (quiet)."""

    def __init__(self, name):
        self.chid = channels.create_channel(name, callback=self._on_data)

    def _on_data(self, value):
        self.value = value
