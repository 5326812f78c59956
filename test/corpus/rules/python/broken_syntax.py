"""A file being edited: half a function, then a leak-shaped line inside the broken part."""
import functools

_lookup_cache = {}


def lookup(key):
    if key not in _lookup_cache
        _lookup_cache[key] = compute(key
    return _lookup_cache[key]


class Half:
    @functools.lru_cache(maxsize=None
    def value(self, x):
        return x *
