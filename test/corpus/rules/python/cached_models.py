"""Feature extraction with memoised helpers."""
import functools
from functools import cache, lru_cache

import numpy as np


@lru_cache(maxsize=128)
def tokenizer_for(name: str):
    return {"name": name, "vocab": list(range(1000))}


@lru_cache
def stopwords(language: str) -> frozenset:
    return frozenset(open(f"stopwords/{language}.txt").read().split())


@functools.lru_cache(maxsize=None)  # expect: method-lru-cache
def embedding_matrix(path: str) -> np.ndarray:
    return np.load(path)


@cache  # expect: method-lru-cache
def parse_config(path: str) -> dict:
    with open(path) as f:
        return dict(line.split("=", 1) for line in f if "=" in line)


class FeatureExtractor:
    def __init__(self, model_path: str):
        self.model_path = model_path
        self.weights = np.load(model_path)

    @functools.lru_cache(maxsize=1024)  # expect: method-lru-cache
    def features(self, text: str) -> np.ndarray:
        tokens = text.lower().split()
        return self.weights[: len(tokens)].sum(axis=0)

    @lru_cache(maxsize=None)  # expect: method-lru-cache
    def normalise(self, text: str) -> str:
        return " ".join(text.lower().split())

    @staticmethod
    @lru_cache(maxsize=256)
    def ngram_ids(text: str, n: int = 3) -> tuple:
        return tuple(hash(text[i : i + n]) for i in range(len(text) - n + 1))

    @classmethod
    @lru_cache(maxsize=32)
    def default(cls) -> "FeatureExtractor":
        return cls("models/default.npy")

    @property
    def dim(self) -> int:
        return self.weights.shape[1]
