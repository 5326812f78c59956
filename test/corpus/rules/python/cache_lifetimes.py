"""Caches and records whose growth depends on who owns them and where their keys come from.

A name like `_cache` is not enough on its own: the container has to outlive the calls that fill
it, and (for a dict) the key has to come from outside per call.
"""
import functools
import os
import sys
import time


# --- Leaks: long-lived owner, keys from outside ---------------------------------------------

_stat_cache = {}


def warm_stats(paths):
    for path in paths:
        _stat_cache[path] = os.stat(path)  # expect: unbounded-cache


_object_cache = {}


def remember(factory):
    obj = factory()
    _object_cache[id(obj)] = obj  # expect: unbounded-cache
    return obj


class ThumbnailRegistry:
    """One registry for the process: its cache keys on every image path it is asked for."""

    def __init__(self):
        self._thumb_cache = {}

    def thumbnail(self, image_path):
        if image_path not in self._thumb_cache:
            self._thumb_cache[image_path] = open(image_path, "rb").read()[:1024]  # expect: unbounded-cache
        return self._thumb_cache[image_path]


class Resolver:
    def __init__(self):
        self._host_cache = {}

    def resolve(self, host):
        self._host_cache[host] = time.time()  # expect: unbounded-cache
        return host


resolver = Resolver()


class QueueServer:
    def __init__(self):
        self.delivery_history = []

    def deliver(self, message):
        self.delivery_history.append((time.time(), message))  # expect: unbounded-collection


# --- Look-alikes: per-call owners, fixed key sets -------------------------------------------

class TemplateParser:
    """Made per template: its cache goes when the parse is done."""

    def __init__(self, text):
        self.text = text
        self._token_cache = {}

    def token(self, offset):
        self._token_cache[offset] = self.text[offset:offset + 8]
        return self._token_cache[offset]


class Reporter:
    """One report per check run: its messages go with it."""

    def __init__(self):
        self.messages = []

    def warn(self, message):
        self.messages.append(message)


class Debugger:
    """`run(cmd)` runs one program under the debugger: one job, not a service."""

    def __init__(self):
        self.fncache = {}

    def canonic(self, filename):
        self.fncache[filename] = os.path.abspath(filename)
        return self.fncache[filename]

    def run(self, cmd):
        exec(cmd)


_platform_cache = {}


def platform_string(aliased=False, terse=False):
    """Keyed by two flags: four entries at most."""
    key = (aliased, terse)
    if key not in _platform_cache:
        _platform_cache[(aliased, terse)] = f"{sys.platform}-{int(aliased)}{int(terse)}"
    return _platform_cache[key]


_version_cache = {}


def _parse_version(version=None):
    """Only ever called with no argument below: one key, the interpreter's version."""
    if version is None:
        version = sys.version
    _version_cache[version] = version.split()[0]
    return _version_cache[version]


def python_version():
    return _parse_version()


def python_build():
    return _parse_version()


_settings_cache = {}


def load_settings():
    """Keyed by a literal: one entry however often it runs."""
    _settings_cache["settings"] = os.environ.get("APP_SETTINGS", "")
    return _settings_cache["settings"]


@functools.cache
def default_locale():
    """No arguments: the cache holds one entry."""
    return os.environ.get("LANG", "C")


@functools.lru_cache(maxsize=None)
def colour_table(dark=False, high_contrast: bool = False):
    """Only flags: four entries at most."""
    return {"dark": dark, "contrast": high_contrast}
