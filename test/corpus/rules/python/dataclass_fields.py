"""Dataclass fields made per instance, filled per event on a long-lived manager."""
from dataclasses import dataclass, field


@dataclass
class Failure:
    component: str
    error: str


@dataclass
class HealthManager:
    name: str
    failures: list = field(default_factory=list, init=False)
    seen: dict = field(default_factory=dict)

    def run(self):
        while True:
            self.handle_ping(self.next_request())

    def next_request(self):
        raise NotImplementedError

    def _record_failure(self, *, component, error):
        failure = Failure(component=component, error=str(error))
        self.failures.append(failure)  # expect: unbounded-collection

    def handle_ping(self, request):
        self.seen[request.client_id] = request.time  # expect: unbounded-collection


@dataclass
class BoundedHealthManager:
    name: str
    failures: list = field(default_factory=list, init=False)

    def _record_failure(self, *, component, error):
        self.failures.append(Failure(component=component, error=str(error)))
        del self.failures[:-100]


@dataclass
class Report:
    """One report: its lines go with it."""
    lines: list = field(default_factory=list)

    def add(self, text):
        self.lines.append(text)
