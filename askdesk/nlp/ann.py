"""Nearest rows for the group index, with faiss: exact up to a size, then IVF lists with 8-bit codes.

:class:`askdesk.nlp.group.GroupIndex` scans every row of a call-out up to
``APPROXIMATE_FROM`` questions (:func:`exact_nearest`: exact and, at that size, fast
enough). Above, it asks :class:`IVFCandidates` for the rows near a query and scores
those rows exactly from its own float32 matrix. The candidates come from a faiss
``IndexIVFScalarQuantizer``: about sqrt(n) k-means lists, of which a query reads the
``probes`` nearest, with each vector kept as 8-bit codes (a quarter of its float32 size,
since the exact vectors already live in the group index). Rows are faiss ids, so a row
added, removed or moved is one call. ``bench/ann.py`` has the figures behind the choice.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]
Rows = npt.NDArray[np.int64]

# k-means on a sample, a few iterations: lists only need to keep near questions together.
TRAIN_SAMPLE = 40_000
TRAIN_ITERATIONS = 10
# A query fetches at least this many candidates, so that the exact rescoring can reorder them.
MIN_CANDIDATES = 32


def _faiss() -> Any:
    import faiss

    # One thread: the worker shares the machine with the web processes, and one query at a
    # time gains nothing from more.
    faiss.omp_set_num_threads(1)
    return faiss


def exact_nearest(matrix: Vectors, vector: Vectors, k: int) -> tuple[Rows, Vectors]:
    """The ``k`` rows of ``matrix`` with the largest inner product with ``vector``, best first.

    faiss's brute-force search over the caller's own matrix (no copy), on one thread: on a
    machine whose cores are busy it answers several times faster than numpy's multi-threaded
    matrix-vector product (bench/ann.py).
    """
    k = min(k, len(matrix))
    if k <= 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
    faiss = _faiss()
    sims, rows = faiss.knn(vector.reshape(1, -1), matrix, k, metric=faiss.METRIC_INNER_PRODUCT)
    keep = rows[0] >= 0
    return rows[0][keep].astype(np.int64), sims[0][keep].astype(np.float32)


class IVFCandidates:
    """Rows near a query, from faiss inverted lists over unit vectors (inner product)."""

    def __init__(self, vectors: Vectors, probes: int, seed: int = 0) -> None:
        faiss = _faiss()
        n, dim = vectors.shape
        self.lists = max(1, int(math.sqrt(n)))
        quantiser = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFScalarQuantizer(
            quantiser, dim, self.lists, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
        )
        index.cp.niter = TRAIN_ITERATIONS
        index.cp.seed = seed
        index.cp.max_points_per_centroid = max(1, TRAIN_SAMPLE // self.lists)
        rng = np.random.default_rng(seed)
        sample = vectors[np.sort(rng.choice(n, size=min(n, TRAIN_SAMPLE), replace=False))]
        index.train(np.ascontiguousarray(sample, dtype=np.float32))
        index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.arange(n, dtype=np.int64))
        index.nprobe = min(probes, self.lists)
        self._index = index
        self._quantiser = quantiser  # faiss holds a pointer to it: keep it alive

    def __len__(self) -> int:
        return int(self._index.ntotal)

    def add(self, row: int, vector: Vectors) -> None:
        self._index.add_with_ids(vector.reshape(1, -1), np.array([row], dtype=np.int64))

    def remove(self, row: int) -> None:
        self._index.remove_ids(np.array([row], dtype=np.int64))

    def search(self, vector: Vectors, k: int) -> Rows:
        """Up to ``max(k, MIN_CANDIDATES)`` rows near ``vector`` (nearest first by the 8-bit codes)."""
        wanted = min(max(k, MIN_CANDIDATES), len(self))
        if wanted <= 0:
            return np.empty(0, dtype=np.int64)
        _, labels = self._index.search(vector.reshape(1, -1), wanted)
        found: Rows = labels[0]
        return found[found >= 0]
