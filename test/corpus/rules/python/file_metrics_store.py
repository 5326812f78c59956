"""Metrics per training run, stored as JSON files with an in-memory index."""
import json
import os
from collections import OrderedDict
from pathlib import Path
from typing import Dict, List

MAX_CACHED_RUNS = 10


class FileMetricsStore:
    def __init__(self, root: str):
        self.root = Path(root)
        self._index_cache: Dict[str, dict] = {}
        self._summary_cache: "OrderedDict[str, dict]" = OrderedDict()
        self._round_counts: Dict[int, int] = {}
        self.recent_rounds: List[int] = []

    def _load_index(self, run_id: str) -> dict:
        if run_id in self._index_cache:
            return self._index_cache[run_id]
        path = self.root / run_id / "index.json"
        with open(path) as f:
            index = json.load(f)
        self._index_cache[run_id] = index  # expect: unbounded-cache
        return index

    def summary(self, run_id: str) -> dict:
        # Bounded LRU: a look-alike that must not fire.
        if run_id in self._summary_cache:
            self._summary_cache.move_to_end(run_id)
            return self._summary_cache[run_id]
        summary = {"rounds": len(self._load_index(run_id).get("rounds", []))}
        self._summary_cache[run_id] = summary
        if len(self._summary_cache) > MAX_CACHED_RUNS:
            self._summary_cache.popitem(last=False)
        return summary

    def record_round(self, round_num: int, nodes: int) -> None:
        # Keyed by round but not a cache by name: no claim without clear evidence.
        self._round_counts[round_num] = nodes
        self.recent_rounds.append(round_num)
        self.recent_rounds = self.recent_rounds[-100:]

    def runs(self) -> List[str]:
        return sorted(p.name for p in self.root.iterdir() if p.is_dir())


_schema_cache = {}


def load_schema(name: str) -> dict:
    if name not in _schema_cache:
        with open(os.path.join("schemas", name + ".json")) as f:
            _schema_cache[name] = json.load(f)  # expect: unbounded-cache
    return _schema_cache[name]


_token_cache = {}


def token_for(user: str) -> str:
    if len(_token_cache) > 1000:
        _token_cache.clear()
    _token_cache[user] = os.urandom(16).hex()
    return _token_cache[user]
