"""Grouping reader questions by meaning: "N readers asked this".

Two ways in, over the same kind of vectors (L2-normalised rows from ``askdesk.nlp.embed``):

* :class:`GroupIndex`, incremental: a new question joins the group of its nearest
  neighbour when their cosine similarity reaches a threshold, else it starts a new group.
  Its state is plain rows ``(question_id, vector, group_id)``, so a worker can rebuild it
  from the database.
* :func:`regroup`, periodic: average-link agglomerative clustering of a whole call-out.
  When the question texts are given, the pair similarity mixes the embedding cosine with
  a TF-IDF cosine of stemmed content words (rare words such as names weigh most), which
  keeps questions about the same people, places and events together. Above a few
  thousand questions it works in two levels: k-means buckets, exact clustering within
  each bucket, then merges of groups across neighbouring buckets.

:func:`describe_groups` gives each group a representative question and a short label.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from askdesk.nlp.ann import IVFCandidates, exact_nearest

Vectors = npt.NDArray[np.float32]
Labels = npt.NDArray[np.int64]
SparseRows: TypeAlias = sparse.csr_matrix

# Thresholds chosen on one half of the NewsQuizQA dev articles (bench/group.py) for
# MiniLM; the mixed similarity gives MiniLM cosine and TF-IDF cosine equal weights.
DEFAULT_THRESHOLD = 0.30
DEFAULT_LEXICAL_WEIGHT = 0.5
# The incremental index compares embeddings only (no corpus statistics at insert time).
DEFAULT_INDEX_THRESHOLD = 0.58
# Rare words (names, places) are what tell news questions apart: idf is raised to this power.
IDF_POWER = 2.0
# Up to this many questions are clustered exactly in one piece: n questions take about
# 8·n² bytes (the float32 similarity matrix, then float64 condensed distances).
MAX_EXACT = 4000
BUCKET_SIZE = 1000
NEIGHBOUR_BUCKETS = 6
# The incremental index scans every row up to this many questions, and above it only the
# PROBES nearest of its ~sqrt(n) faiss k-means lists (bench/ann.py: an exact scan is faster
# below, the lists far faster above).
APPROXIMATE_FROM = 20_000
PROBES = 10

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("english")


@lru_cache(maxsize=200_000)
def _term(token: str) -> tuple[str, str] | None:
    # Cached per distinct token: a call-out repeats few words many times, and stemming
    # is the slow part of reading questions.
    word = token.split("'")[0]
    if not word or word in _stop_words():
        return None
    return str(_stemmer().stem(word)), word


def content_words(text: str) -> list[tuple[str, str]]:
    """(stem, word) for each content word of ``text``: lower-cased, stop words dropped."""
    return [term for term in map(_term, _WORD.findall(text.lower())) if term is not None]


class Lexicon:
    """TF-IDF over stemmed content words, fitted on the questions being grouped.

    Document frequencies come from the call-out itself: a word that half the readers use
    ("iran" under a story about Iran) says little, a name few of them use says a lot.
    """

    def __init__(self, texts: Sequence[str], idf_power: float = IDF_POWER) -> None:
        self.terms: list[list[str]] = [[s for s, _ in content_words(t)] for t in texts]
        df: Counter[str] = Counter()
        for terms in self.terms:
            df.update(set(terms))
        self.vocabulary = {term: column for column, term in enumerate(sorted(df))}
        n = len(texts)
        self.idf = np.array(
            [(math.log((n + 1) / (df[term] + 1)) + 1.0) ** idf_power for term in sorted(df)], dtype=np.float32
        )

    def rows(self, drop: Collection[str] = ()) -> SparseRows:
        """One L2-normalised sparse row per fitted text (binary term weights times idf).

        Terms in ``drop`` (stems, e.g. the story title's) are left out before normalising.
        """
        indptr = [0]
        indices: list[int] = []
        for terms in self.terms:
            columns = sorted({self.vocabulary[t] for t in terms if t not in drop})
            indices.extend(columns)
            indptr.append(len(indices))
        data = self.idf[np.asarray(indices, dtype=np.int64)] if indices else np.zeros(0, dtype=np.float32)
        matrix = sparse.csr_matrix(
            (data, np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
            shape=(len(self.terms), len(self.vocabulary)),
            dtype=np.float32,
        )
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        normalised: SparseRows = sparse.csr_matrix(sparse.diags(1.0 / norms).dot(matrix), dtype=np.float32)
        return normalised


@dataclass
class Features:
    """Question features whose dot products are the pair similarities used for grouping.

    ``dense`` holds the embeddings scaled by sqrt(1 - w) and ``lexical`` the TF-IDF rows
    scaled by sqrt(w), so one dot product gives (1 - w)·cos(embeddings) + w·cos(tf-idf).
    Being a dot product, the average similarity between two groups is the dot product of
    their member sums, which the two-level regroup relies on.
    """

    dense: Vectors
    lexical: SparseRows | None

    @classmethod
    def build(
        cls, vectors: npt.ArrayLike, texts: Sequence[str] | None = None, lexical_weight: float = DEFAULT_LEXICAL_WEIGHT
    ) -> Features:
        """Features of ``vectors`` (unit rows), mixed with TF-IDF of ``texts`` if given."""
        dense = np.ascontiguousarray(vectors, dtype=np.float32)
        if dense.ndim != 2:
            raise ValueError("vectors must be a 2-D array")
        if texts is None or lexical_weight <= 0:
            return cls(dense, None)
        if len(texts) != len(dense):
            raise ValueError("texts and vectors differ in length")
        lexical = Lexicon(texts).rows() * np.float32(math.sqrt(lexical_weight))
        return cls(dense * np.float32(math.sqrt(1.0 - lexical_weight)), sparse.csr_matrix(lexical))

    def __len__(self) -> int:
        return len(self.dense)

    def similarity(self, rows: npt.NDArray[np.int64], columns: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        """Pair similarities between the questions at ``rows`` and those at ``columns``."""
        block = self.dense[rows] @ self.dense[columns].T
        if self.lexical is not None:
            block += (self.lexical[rows] @ self.lexical[columns].T).toarray()
        return block

    def pairs(self, left: npt.NDArray[np.int64], right: npt.NDArray[np.int64]) -> npt.NDArray[np.float32]:
        """Similarity of each pair ``(left[i], right[i])``."""
        out = np.einsum("ij,ij->i", self.dense[left], self.dense[right])
        if self.lexical is not None:
            out += np.asarray(self.lexical[left].multiply(self.lexical[right]).sum(axis=1)).ravel()
        result: npt.NDArray[np.float32] = out.astype(np.float32)
        return result


def pair_similarity(
    vectors_a: npt.ArrayLike,
    vectors_b: npt.ArrayLike,
    texts_a: Sequence[str] | None = None,
    texts_b: Sequence[str] | None = None,
    lexical_weight: float = DEFAULT_LEXICAL_WEIGHT,
) -> npt.NDArray[np.float32]:
    """The grouping similarity of each pair (a[i], b[i]); idf is fitted on all texts of both sides."""
    a = np.asarray(vectors_a, dtype=np.float32)
    stacked = np.vstack([a, np.asarray(vectors_b, dtype=np.float32)])
    texts = None if texts_a is None or texts_b is None else [*texts_a, *texts_b]
    features = Features.build(stacked, texts, lexical_weight)
    left = np.arange(len(a), dtype=np.int64)
    return features.pairs(left, left + len(a))


# --- incremental index -------------------------------------------------------------


@dataclass(frozen=True)
class Neighbour:
    """An indexed question near a query vector."""

    question_id: Hashable
    group_id: int
    similarity: float


class GroupIndex:
    """Incremental grouping: each new question joins its nearest neighbour's group.

    Vectors live in one float32 matrix. Up to APPROXIMATE_FROM questions the nearest
    neighbours are exact (faiss's brute-force search over the matrix); above, the rows are also filed in a
    faiss index of about sqrt(n) k-means lists (:class:`askdesk.nlp.ann.IVFCandidates`),
    whose PROBES lists nearest to a query give the candidate rows, scored exactly from the
    matrix (a neighbour in an unread list can be missed; bench/ann.py measures how often).
    Rows can be read back with :meth:`rows` and the index rebuilt with :meth:`from_rows`.
    """

    def __init__(self, dim: int, threshold: float = DEFAULT_INDEX_THRESHOLD, capacity: int = 1024) -> None:
        self.dim = dim
        self.threshold = threshold
        self._vectors = np.zeros((max(capacity, 1), dim), dtype=np.float32)
        self._groups = np.zeros(max(capacity, 1), dtype=np.int64)
        self._ids: list[Hashable] = []
        self._row_of: dict[Hashable, int] = {}
        self._next_group = 0
        self._lists: IVFCandidates | None = None
        self._built_at = 0
        self._auto_build = True

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, question_id: object) -> bool:
        return question_id in self._row_of

    def _as_vector(self, vector: npt.ArrayLike) -> Vectors:
        out = np.asarray(vector, dtype=np.float32).reshape(-1)
        if out.shape[0] != self.dim:
            raise ValueError(f"expected a vector of dimension {self.dim}, got {out.shape[0]}")
        return out

    def _append(self, question_id: Hashable, vector: Vectors, group_id: int) -> None:
        if question_id in self._row_of:
            raise ValueError(f"question {question_id!r} is already indexed")
        row = len(self._ids)
        if row == len(self._vectors):
            # Doubling keeps appends amortised O(dim) while the matrix stays contiguous.
            self._vectors = np.concatenate([self._vectors, np.zeros_like(self._vectors)])
            self._groups = np.concatenate([self._groups, np.zeros_like(self._groups)])
        self._vectors[row] = vector
        self._groups[row] = group_id
        self._ids.append(question_id)
        self._row_of[question_id] = row
        self._next_group = max(self._next_group, group_id + 1)
        if self._lists is not None:
            self._lists.add(row, vector)
        if self._auto_build and len(self._ids) >= max(APPROXIMATE_FROM, 2 * self._built_at):
            self._build_lists()

    def _build_lists(self) -> None:
        n = len(self._ids)
        if n < APPROXIMATE_FROM:
            self._lists, self._built_at = None, 0
            return
        self._lists = IVFCandidates(self._vectors[:n], probes=PROBES, seed=0)
        self._built_at = n

    def _similarities(self, vector: Vectors, k: int) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        """Candidate rows and their exact similarities: the ``k`` best of every row, or those faiss finds near it."""
        n = len(self._ids)
        if self._lists is None:
            return exact_nearest(self._vectors[:n], vector, k)
        rows = self._lists.search(vector, k)
        return rows, self._vectors[rows] @ vector

    def add(self, question_id: Hashable, vector: npt.ArrayLike) -> int:
        """Index a question; returns its group: its nearest neighbour's if similar enough, else a new one."""
        query = self._as_vector(vector)
        group = self._next_group
        if self._ids:
            rows, sims = self._similarities(query, 1)
            if len(rows):
                best = int(np.argmax(sims))
                if sims[best] >= self.threshold:
                    group = int(self._groups[rows[best]])
        self._append(question_id, query, group)
        return group

    def insert(self, question_id: Hashable, vector: npt.ArrayLike, group_id: int) -> None:
        """Index a question in a group the caller chose (after :meth:`nearest`, say), without searching again."""
        self._append(question_id, self._as_vector(vector), int(group_id))

    def nearest(self, vector: npt.ArrayLike, k: int = 5) -> list[Neighbour]:
        """The ``k`` indexed questions most similar to ``vector``, most similar first."""
        if not self._ids or k <= 0:
            return []
        rows, sims = self._similarities(self._as_vector(vector), k)
        k = min(k, len(rows))
        if k == 0:
            return []
        top = np.argpartition(-sims, k - 1)[:k] if k < len(rows) else np.arange(len(rows))
        top = top[np.lexsort((rows[top], -sims[top]))]
        chosen = rows[top]
        ids = self._ids
        return [
            Neighbour(ids[row], group, similarity)
            for row, group, similarity in zip(
                chosen.tolist(), self._groups[chosen].tolist(), sims[top].tolist(), strict=True
            )
        ]

    def question_ids(self) -> list[Hashable]:
        """The indexed questions, in row order."""
        return list(self._ids)

    def vector_of(self, question_id: Hashable) -> Vectors:
        """The stored vector of an indexed question (a copy)."""
        out: Vectors = self._vectors[self._row_of[question_id]].copy()
        return out

    def group_of(self, question_id: Hashable) -> int:
        """The group of an indexed question."""
        return int(self._groups[self._row_of[question_id]])

    def remove(self, question_id: Hashable) -> None:
        """Drop a question (a reader deleted it); its group keeps its other members."""
        row = self._row_of.pop(question_id)
        last = len(self._ids) - 1
        if self._lists is not None:
            self._lists.remove(row)
        if row != last:
            # Move the last row into the hole so that the live rows stay contiguous.
            moved = self._ids[last]
            self._vectors[row] = self._vectors[last]
            self._groups[row] = self._groups[last]
            self._ids[row] = moved
            self._row_of[moved] = row
            if self._lists is not None:
                self._lists.remove(last)
                self._lists.add(row, self._vectors[row])
        self._ids.pop()

    def set_groups(self, groups: dict[Hashable, int]) -> None:
        """Replace group ids, e.g. with the labels of a periodic :func:`regroup`."""
        for question_id, group in groups.items():
            self._groups[self._row_of[question_id]] = group
        live = self._groups[: len(self._ids)]
        self._next_group = int(live.max()) + 1 if len(live) else 0

    def rows(self) -> Iterator[tuple[Hashable, Vectors, int]]:
        """The stored state, one ``(question_id, vector, group_id)`` per question, in insertion order."""
        for row, question_id in enumerate(self._ids):
            yield question_id, self._vectors[row].copy(), int(self._groups[row])

    def vectors(self) -> tuple[list[Hashable], Vectors]:
        """Question ids and their vectors as one matrix (a copy), e.g. to :func:`regroup` them."""
        return list(self._ids), self._vectors[: len(self._ids)].copy()

    @classmethod
    def from_rows(
        cls, rows: Iterable[tuple[Hashable, npt.ArrayLike, int]], dim: int, threshold: float = DEFAULT_INDEX_THRESHOLD
    ) -> GroupIndex:
        """An index holding stored rows; new questions get group ids above the largest stored one."""
        index = cls(dim, threshold)
        # File the rows in lists once at the end rather than at every doubling on the way.
        index._auto_build = False
        for question_id, vector, group in rows:
            index._append(question_id, index._as_vector(vector), int(group))
        index._auto_build = True
        index._build_lists()
        return index


# --- periodic regroup ----------------------------------------------------------------


def _ordered_by_size(labels: npt.ArrayLike) -> Labels:
    """Renumber groups 0, 1, ... from the largest; ties keep the order of first appearance."""
    raw = np.asarray(labels)
    if raw.size == 0:
        return np.zeros(0, dtype=np.int64)
    _, first, inverse, counts = np.unique(raw, return_index=True, return_inverse=True, return_counts=True)
    order = np.lexsort((first, -counts))
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[inverse.reshape(-1)]


def _average_link(features: Features, members: npt.NDArray[np.int64], threshold: float) -> Labels:
    """Exact average-link clustering of ``members``; a label per member (0-based, arbitrary order)."""
    n = len(members)
    if n == 1:
        return np.zeros(1, dtype=np.int64)
    distances = 1.0 - features.similarity(members, members)
    # Rounding can leave small negative distances or an asymmetric matrix; linkage needs neither.
    np.clip(distances, 0.0, None, out=distances)
    np.fill_diagonal(distances, 0.0)
    condensed = squareform(distances, checks=False).astype(np.float64)
    del distances
    tree = linkage(condensed, method="average")
    return np.asarray(fcluster(tree, t=1.0 - threshold, criterion="distance"), dtype=np.int64) - 1


def _spherical_kmeans(
    vectors: Vectors, k: int, seed: int, sample: int = 20_000, iterations: int = 10
) -> tuple[Labels, Vectors]:
    """Assign unit rows to ``k`` centres (cosine k-means fitted on a sample); (assignment, centres).

    Buckets only need to keep near questions together, so a few iterations on a sample
    are enough, and matrix products keep it to a second at 100,000 × 384.
    """
    rng = np.random.default_rng(seed)
    fit = vectors[rng.choice(len(vectors), size=min(sample, len(vectors)), replace=False)]
    centres = fit[rng.choice(len(fit), size=k, replace=False)].copy()
    for _ in range(iterations):
        assignment = np.argmax(fit @ centres.T, axis=1)
        for c in range(k):
            members = fit[assignment == c]
            # An empty centre restarts at a random row rather than vanishing.
            centre = members.sum(axis=0) if len(members) else fit[rng.integers(len(fit))]
            centres[c] = centre / max(float(np.linalg.norm(centre)), 1e-12)
    out = np.empty(len(vectors), dtype=np.int64)
    for start in range(0, len(vectors), 20_000):
        out[start : start + 20_000] = np.argmax(vectors[start : start + 20_000] @ centres.T, axis=1)
    return out, centres


def _buckets(vectors: Vectors, members: npt.NDArray[np.int64], seed: int) -> list[npt.NDArray[np.int64]]:
    """Split ``members`` into buckets of at most MAX_EXACT near questions (k-means, recursively)."""
    if len(members) <= MAX_EXACT:
        return [members]
    k = math.ceil(len(members) / BUCKET_SIZE)
    assignment, _ = _spherical_kmeans(vectors[members], k, seed)
    parts = [members[assignment == c] for c in range(k)]
    parts = [p for p in parts if len(p)]
    if len(parts) == 1:
        # k-means could not split them (e.g. identical vectors): cut in arbitrary chunks.
        return [members[i : i + BUCKET_SIZE] for i in range(0, len(members), BUCKET_SIZE)]
    return [bucket for part in parts for bucket in _buckets(vectors, part, seed + 1)]


class _GroupSums:
    """Member count and feature sums per group: average-link similarity from dot products."""

    def __init__(self, features: Features, labels: Labels, n_groups: int) -> None:
        one_hot = sparse.csr_matrix(
            (np.ones(len(labels), dtype=np.float32), (labels, np.arange(len(labels)))), shape=(n_groups, len(labels))
        )
        self.size = np.bincount(labels, minlength=n_groups).astype(np.float64)
        self.dense = np.asarray(one_hot @ features.dense, dtype=np.float32)
        self.lexical = None if features.lexical is None else sparse.csr_matrix(one_hot @ features.lexical)

    def similarity(self, rows: npt.NDArray[np.int64], columns: npt.NDArray[np.int64]) -> npt.NDArray[np.float64]:
        block = (self.dense[rows] @ self.dense[columns].T).astype(np.float64)
        if self.lexical is not None:
            block += (self.lexical[rows] @ self.lexical[columns].T).toarray()
        result: npt.NDArray[np.float64] = block / np.outer(self.size[rows], self.size[columns])
        return result


def _merge_across_buckets(
    features: Features, labels: Labels, buckets: list[npt.NDArray[np.int64]], threshold: float
) -> Labels:
    """Merge groups of neighbouring buckets whose average-link similarity reaches ``threshold``."""
    n_groups = int(labels.max()) + 1
    sums = _GroupSums(features, labels, n_groups)
    bucket_groups = [np.unique(labels[b]) for b in buckets]
    centroids = np.vstack([features.dense[b].mean(axis=0) for b in buckets])
    centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
    near_buckets = np.argsort(-(centroids @ centroids.T), axis=1)[:, 1 : NEIGHBOUR_BUCKETS + 1]

    bucket_pairs = sorted({(min(b, int(o)), max(b, int(o))) for b in range(len(buckets)) for o in near_buckets[b]})
    candidates: list[tuple[float, int, int]] = []
    for b, o in bucket_pairs:
        groups, others = bucket_groups[b], bucket_groups[o]
        for start in range(0, len(groups), 1024):
            rows = groups[start : start + 1024]
            sims = sums.similarity(rows, others)
            i, j = np.nonzero(sims >= threshold)
            candidates.extend(zip(sims[i, j].tolist(), rows[i].tolist(), others[j].tolist(), strict=True))

    # Greedy merges, most similar first, re-checking each pair against the groups as merged
    # so far: an approximation of average link across bucket borders.
    parent = list(range(n_groups))

    def root(g: int) -> int:
        while parent[g] != g:
            parent[g] = parent[parent[g]]
            g = parent[g]
        return g

    dense = {g: sums.dense[g].astype(np.float64) for _, a, b in candidates for g in (a, b)}
    lexical: dict[int, SparseRows] = (
        {} if sums.lexical is None else {g: sums.lexical[g] for _, a, b in candidates for g in (a, b)}
    )
    size = {g: float(sums.size[g]) for g in dense}
    for _, a, b in sorted(candidates, reverse=True):
        ra, rb = root(a), root(b)
        if ra == rb:
            continue
        total = float(dense[ra] @ dense[rb])
        if lexical:
            total += float(lexical[ra].multiply(lexical[rb]).sum())
        if total / (size[ra] * size[rb]) < threshold:
            continue
        parent[rb] = ra
        dense[ra] = dense[ra] + dense[rb]
        size[ra] += size[rb]
        if lexical:
            lexical[ra] = lexical[ra] + lexical[rb]
    return np.array([root(g) for g in range(n_groups)], dtype=np.int64)[labels]


def regroup(
    vectors: npt.ArrayLike,
    texts: Sequence[str] | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    lexical_weight: float = DEFAULT_LEXICAL_WEIGHT,
    seed: int = 0,
) -> Labels:
    """Group a whole call-out: one label per question, 0 for the largest group.

    Average-link agglomerative clustering, cut where the average pair similarity falls
    below ``threshold``. With ``texts``, similarity mixes the embedding cosine with a TF-IDF
    cosine (``lexical_weight`` of it); without, it is the cosine of ``vectors``. Above
    MAX_EXACT questions, k-means buckets are clustered apart and then merged.
    """
    features = Features.build(vectors, texts, lexical_weight)
    n = len(features)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    everyone = np.arange(n, dtype=np.int64)
    buckets = _buckets(np.asarray(vectors, dtype=np.float32), everyone, seed)
    labels = np.empty(n, dtype=np.int64)
    offset = 0
    for bucket in buckets:
        local = _average_link(features, bucket, threshold)
        labels[bucket] = local + offset
        offset += int(local.max()) + 1
    if len(buckets) > 1:
        labels = _merge_across_buckets(features, labels, buckets, threshold)
    return _ordered_by_size(labels)


def carry_over(previous: npt.ArrayLike, labels: npt.ArrayLike) -> Labels:
    """Rename the groups of a new regroup after the groups they continue.

    ``previous[i]`` is the group question ``i`` was in before (-1 if it had none). Each new
    group takes the previous id that most of its members had, larger overlaps first and
    each previous id once, so that groups an editor already assigned keep their id; the
    other groups get fresh ids above every previous one.
    """
    old = np.asarray(previous, dtype=np.int64)
    new = np.asarray(labels, dtype=np.int64)
    if old.shape != new.shape:
        raise ValueError("previous and labels differ in length")
    known = old >= 0
    overlaps = Counter(zip(new[known].tolist(), old[known].tolist(), strict=True))
    renamed: dict[int, int] = {}
    taken: set[int] = set()
    for (group, before), _ in sorted(overlaps.items(), key=lambda item: (-item[1], item[0])):
        if group not in renamed and before not in taken:
            renamed[group] = before
            taken.add(before)
    fresh = int(old.max()) + 1 if len(old) and old.max() >= 0 else 0
    for group in np.unique(new).tolist():
        if group not in renamed:
            renamed[group] = fresh
            fresh += 1
    return np.array([renamed[g] for g in new.tolist()], dtype=np.int64)


# --- two levels: same-question groups, then themes made of whole groups -----------------------

# Above this many questions a call-out's pair matrix is built theme by theme.
MAX_PAIR_BLOCK = 3000


def _cluster_scores(scores: npt.NDArray[np.float32], threshold: float) -> Labels:
    """Average-link clustering of a symmetric [0, 1] score matrix, cut below ``threshold``."""
    n = len(scores)
    if n <= 1:
        return np.zeros(n, dtype=np.int64)
    distances = np.clip(1.0 - scores, 0.0, None)
    np.fill_diagonal(distances, 0.0)
    tree = linkage(squareform(distances, checks=False).astype(np.float64), method="average")
    return np.asarray(fcluster(tree, t=1.0 - threshold, criterion="distance"), dtype=np.int64) - 1


def same_question_groups(
    vectors: npt.ArrayLike,
    texts: Sequence[str],
    *,
    themes: npt.ArrayLike | None = None,
    nested: bool = False,
    model: Any = None,
    title: str = "",
) -> Labels:
    """Groups of questions that one answer serves: one label per question, 0 for the largest.

    Average link over the pair scores of ``askdesk.nlp.same``, over the whole call-out
    (``title``: the title of its story, whose words the pair model leaves out). The
    pair scores are computed over blocks of up to MAX_PAIR_BLOCK questions: the whole
    call-out while it is that small, else theme by theme (``themes``, computed with
    :func:`regroup` if not given; a theme still too big is cut in chunks). With
    ``nested``, two questions of different themes are never in one group, at any size.
    """
    from askdesk.nlp.same import default_model, same_question_matrix

    pair_model = model or default_model(title)
    matrix = np.asarray(vectors, dtype=np.float32)
    n = len(matrix)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    subjects: Labels | None = None
    if nested or n > MAX_PAIR_BLOCK:
        subjects = regroup(matrix, texts) if themes is None else np.asarray(themes, dtype=np.int64)
    if n <= MAX_PAIR_BLOCK or subjects is None:
        blocks = [np.arange(n, dtype=np.int64)]
    else:
        blocks = []
        for theme in np.unique(subjects):
            members = np.flatnonzero(subjects == theme)
            blocks.extend(members[i : i + MAX_PAIR_BLOCK] for i in range(0, len(members), MAX_PAIR_BLOCK))
    labels = np.empty(n, dtype=np.int64)
    offset = 0
    for block in blocks:
        scores = same_question_matrix([texts[i] for i in block.tolist()], matrix[block], pair_model, title=title)
        if nested and subjects is not None:
            block_subjects = subjects[block]
            scores[block_subjects[:, None] != block_subjects[None, :]] = pair_model.apart
        local = _cluster_scores(scores, pair_model.threshold)
        labels[block] = local + offset
        offset += int(local.max()) + 1
    return _ordered_by_size(labels)


def themes_of_groups(groups: npt.ArrayLike, themes: npt.ArrayLike) -> Labels:
    """One theme per question such that every group sits in one theme: the theme most of its members are in."""
    group_labels = np.asarray(groups, dtype=np.int64)
    theme_labels = np.asarray(themes, dtype=np.int64)
    out = np.empty_like(theme_labels)
    for group in np.unique(group_labels):
        members = group_labels == group
        values, counts = np.unique(theme_labels[members], return_counts=True)
        out[members] = values[int(np.argmax(counts))]
    return _ordered_by_size(out)


def themes_around_groups(
    vectors: npt.ArrayLike,
    texts: Sequence[str] | None,
    groups: npt.ArrayLike,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    lexical_weight: float = DEFAULT_LEXICAL_WEIGHT,
    subjects: npt.ArrayLike | None = None,
) -> Labels:
    """Themes made of whole groups: one label per question, 0 for the largest theme.

    The groups come first; themes are the average-link clustering of :func:`regroup`'s
    similarity, started from the groups instead of single questions. (The members of one
    group are at distance 0 from each other, so they merge before anything else; the
    average link between two clusters only reads the pairs across them, which keep their
    similarity.) So a group is never split between themes, and themes stay at the level
    of a subject. Above MAX_EXACT questions each group goes whole into the theme of
    ``subjects`` (a :func:`regroup` of the questions, computed if not given) that most of
    its members are in.
    """
    group_labels = np.asarray(groups, dtype=np.int64)
    n = len(group_labels)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if n > MAX_EXACT:
        if subjects is None:
            subjects = regroup(vectors, texts, threshold=threshold, lexical_weight=lexical_weight)
        return themes_of_groups(group_labels, subjects)
    if n == 1:
        return np.zeros(1, dtype=np.int64)
    features = Features.build(vectors, texts, lexical_weight)
    everyone = np.arange(n, dtype=np.int64)
    # Questions in no group yet (label < 0) stand alone.
    known = np.where(group_labels >= 0, group_labels, -1 - everyone)
    distances = np.clip(1.0 - features.similarity(everyone, everyone), 1e-6, None)
    distances[known[:, None] == known[None, :]] = 0.0
    tree = linkage(squareform(distances, checks=False).astype(np.float64), method="average")
    return _ordered_by_size(fcluster(tree, t=1.0 - threshold, criterion="distance"))


def two_levels(vectors: npt.ArrayLike, texts: Sequence[str], *, title: str = "") -> tuple[Labels, Labels]:
    """(group, theme) of each question: same-question groups first, then themes made of whole groups."""
    groups = same_question_groups(vectors, texts, title=title)
    return groups, themes_around_groups(vectors, texts, groups)


def join_group(
    vectors: npt.ArrayLike,
    texts: Sequence[str],
    groups: npt.ArrayLike,
    new_vector: npt.ArrayLike,
    new_text: str,
    *,
    model: Any = None,
    title: str = "",
) -> int | None:
    """The group a question arriving alone joins, or None when it starts a group of its own.

    ``vectors``, ``texts`` and ``groups`` are the call-out's grouped questions (or the
    nearest few hundred of them). The new question joins the group whose members it is, on
    average, most likely the same question as, if that average reaches the pair model's
    join threshold (``joins_at``): the rule of the average link of a full regroup, with a
    threshold of its own. ``title`` is the title of the call-out's story, as for
    :func:`same_question_groups`.
    """
    from askdesk.nlp.same import default_model, same_question_matrix

    pair_model = model or default_model(title)
    labels = np.asarray(groups, dtype=np.int64)
    if not len(labels):
        return None
    stacked = np.vstack([np.asarray(vectors, dtype=np.float32), np.asarray(new_vector, dtype=np.float32)[None, :]])
    scores = same_question_matrix([*texts, new_text], stacked, pair_model, title=title)[-1, :-1]
    best_group, best_score = None, pair_model.joins_at
    for group in np.unique(labels).tolist():
        score = float(scores[labels == group].mean())
        if score >= best_score:
            best_group, best_score = int(group), score
    return best_group


# --- description -------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupSummary:
    """One group: its size, the member nearest its centroid, a short label and all members."""

    group: int
    size: int
    representative_index: int
    label: str
    member_indices: list[int]


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def describe_groups(
    texts: Sequence[str], vectors: npt.ArrayLike, labels: npt.ArrayLike, keywords: int = 3
) -> list[GroupSummary]:
    """Summaries of the groups in ``labels``, largest first (ties by group id).

    The representative is the member most similar to the group's mean vector; the label
    is the group's most distinctive words (frequent in it, rare in the call-out), or the
    representative shortened when no word is shared by two members.
    """
    matrix = np.asarray(vectors, dtype=np.float32)
    groups = np.asarray(labels, dtype=np.int64)
    if not (len(texts) == len(matrix) == len(groups)):
        raise ValueError("texts, vectors and labels differ in length")
    words = [content_words(t) for t in texts]
    df: Counter[str] = Counter()
    for w in words:
        df.update({stem for stem, _ in w})
    n = len(texts)
    summaries = []
    for group in np.unique(groups):
        members = np.flatnonzero(groups == group)
        centroid = matrix[members].mean(axis=0)
        representative = int(members[int(np.argmax(matrix[members] @ centroid))])
        counts: Counter[str] = Counter()
        surface: dict[str, Counter[str]] = {}
        for i in members:
            for stem, word in set(words[i]):
                counts[stem] += 1
                surface.setdefault(stem, Counter())[word] += 1
        # Distinctive: share of members using the word times its rarity in the call-out.
        scored = sorted(
            ((c / len(members) * math.log((n + 1) / (df[s] + 1) + 1.0), s) for s, c in counts.items() if c >= 2),
            key=lambda item: (-item[0], item[1]),
        )
        top = [surface[s].most_common(1)[0][0] for _, s in scored[:keywords]]
        label = ", ".join(top) if top else _shorten(texts[representative])
        summaries.append(GroupSummary(int(group), len(members), representative, label, members.tolist()))
    summaries.sort(key=lambda s: (-s.size, s.group))
    return summaries


# --- command line ----------------------------------------------------------------------------


def cli(argv: list[str]) -> int:
    """``python -m askdesk.nlp group``: one JSON line per question on stdin, with its group and theme.

    ``group``: questions one answer serves (same question); ``theme``: groups about the
    same subject. Both are numbered from 0 for the largest.
    """
    parser = argparse.ArgumentParser(
        prog="python -m askdesk.nlp group",
        description="Group questions (one per line on stdin): same-question groups, and themes made of whole groups.",
    )
    parser.add_argument("--embedder", choices=["minilm", "hashing"], default="minilm")
    parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD, help="average similarity to merge themes")
    parser.add_argument(
        "--lexical-weight", type=float, default=DEFAULT_LEXICAL_WEIGHT, help="share of TF-IDF in the theme similarity"
    )
    parser.add_argument("--title", default="", help="the story's title: its words do not count as shared meaning")
    args = parser.parse_args(argv)
    questions = [line.strip() for line in sys.stdin if line.strip()]
    if not questions:
        return 0
    from askdesk.nlp.embed import get_embedder
    from askdesk.nlp.language import detect_language

    vectors = get_embedder(args.embedder).embed(questions)
    groups = same_question_groups(vectors, questions, title=args.title)
    themes = themes_around_groups(
        vectors, questions, groups, threshold=args.threshold, lexical_weight=args.lexical_weight
    )
    for question, group, theme in zip(questions, groups.tolist(), themes.tolist(), strict=True):
        record = {"question": question, "group": group, "theme": theme, "language": detect_language(question)}
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0
