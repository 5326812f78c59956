"""Caches shared by every instance of a class, keyed by what one instance was made with."""
import re


class Tokenizer:
    _pattern_cache = {}

    def __init__(self, vocabulary, options=None):
        self.vocabulary = vocabulary
        self._options = options

    def pattern(self):
        key = (self._options.key, self.vocabulary.name)
        if key not in self._pattern_cache:
            words = sorted(self.vocabulary, key=len, reverse=True)
            self._pattern_cache[key] = re.compile("|".join(map(re.escape, words)))  # expect: unbounded-cache
        return self._pattern_cache[key]


class Formatter:
    """Look-alike: keyed by a value the class sets itself, one of a fixed few."""

    _template_cache = {}

    def __init__(self, width):
        self.width = width
        self.style = "plain"

    def template(self):
        if self.style not in self._template_cache:
            self._template_cache[self.style] = "{:<%d}" % 40
        return self._template_cache[self.style]


class Translator:
    """Look-alike: keyed by the caller's locale, but trimmed past a cap."""

    _table_cache = {}

    def __init__(self, locale):
        self.locale = locale

    def table(self):
        if self.locale not in self._table_cache:
            if len(self._table_cache) > 64:
                self._table_cache.pop(next(iter(self._table_cache)))
            self._table_cache[self.locale] = {"locale": self.locale}
        return self._table_cache[self.locale]
