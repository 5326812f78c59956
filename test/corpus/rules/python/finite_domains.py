"""Caches keyed by values from a finite domain, next to the same shapes keyed by callers' data.

A cache whose keys are the program's own names (the fields a class declares, literals in the
file) or a clock's hour and minute holds at most one entry per value of that domain. The same
cache keyed by whatever an exported function or a handler is given grows with its callers.
"""
import functools

__all__ = ["synchronized_view", "lookup_address", "parse_offset", "handle_request"]


# --- Look-alikes: keys drawn from the code or from a small domain ------------------------------

accessor_cache = {}


def make_accessor(name):
    """Not exported: the file's calls below are all its calls, and they pass field names."""
    try:
        return accessor_cache[name]
    except KeyError:
        accessor_cache[name] = property(lambda self: getattr(self._obj, name))
        return accessor_cache[name]


def synchronized_view(obj):
    cls = type(obj)
    names = [field[0] for field in cls._fields_]
    members = {name: make_accessor(name) for name in names}
    members["value"] = make_accessor("value")
    return type("Synchronized" + cls.__name__, (object,), members)


@functools.lru_cache(maxsize=None)
def cached_offset(hour_str, minute_str, sign_str):
    """A UTC offset: sign, hour and minute take a few thousand combinations at most."""
    sign = 1 if sign_str == "+" else -1
    return sign * (int(hour_str) * 60 + int(minute_str))


# --- Leaks: the same shapes keyed by what callers pass -----------------------------------------

address_cache = {}


def lookup_address(host):
    """Exported: any caller's host names add entries."""
    address_cache[host] = host.lower()  # expect: unbounded-cache
    return address_cache[host]


_label_cache = {}


def _label_for(path):
    _label_cache[path] = path.rsplit("/", 1)[-1]  # expect: unbounded-cache
    return _label_cache[path]


def handle_request(request):
    return _label_for(request.path)


@functools.lru_cache(maxsize=None)  # expect: method-lru-cache
def parse_offset(text):
    return int(text)
