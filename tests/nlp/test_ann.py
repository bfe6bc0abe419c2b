"""The group index above APPROXIMATE_FROM: faiss lists give candidates, the float32 matrix scores them."""

import numpy as np
import pytest

from askdesk.nlp import group
from askdesk.nlp.ann import IVFCandidates
from askdesk.nlp.group import GroupIndex

DIM = 48


def clustered(n: int, seed: int, topics: int = 40) -> np.ndarray:
    """Questions around a few topics, like a call-out: near neighbours exist."""
    centres = np.random.default_rng(0).normal(size=(topics, DIM))
    rng = np.random.default_rng(seed)
    rows = centres[rng.integers(0, topics, n)] + 0.25 * rng.normal(size=(n, DIM))
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture
def small_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(group, "APPROXIMATE_FROM", 500)


def test_below_the_threshold_every_row_is_scanned_without_faiss() -> None:
    index = GroupIndex.from_rows(((i, v, i % 7) for i, v in enumerate(clustered(300, 1))), dim=DIM)
    assert index._lists is None
    query = clustered(1, 9)[0]
    exact = np.argsort(-(clustered(300, 1) @ query), kind="stable")[:5]
    assert [n.question_id for n in index.nearest(query, 5)] == exact.tolist()


def test_above_the_threshold_faiss_lists_find_the_exact_nearest_question_nearly_always(small_threshold) -> None:
    vectors = clustered(3000, 1)
    index = GroupIndex.from_rows(((i, v, i % 7) for i, v in enumerate(vectors)), dim=DIM)
    assert isinstance(index._lists, IVFCandidates) and len(index._lists) == 3000
    queries = clustered(200, 2)
    found = [index.nearest(q, 10) for q in queries]
    hits = sum(f[0].question_id == int(np.argmax(vectors @ q)) for f, q in zip(found, queries, strict=True))
    assert hits / len(queries) >= 0.95
    # Similarities are the exact cosines from the stored vectors, not the 8-bit codes'.
    first = found[0][0]
    assert first.similarity == pytest.approx(float(vectors[first.question_id] @ queries[0]), abs=1e-6)
    assert first.group_id == first.question_id % 7
    assert [n.similarity for n in found[0]] == sorted((n.similarity for n in found[0]), reverse=True)


def test_the_worker_may_ask_for_hundreds_of_neighbours_above_the_threshold(small_threshold) -> None:
    index = GroupIndex.from_rows(((i, v, 0) for i, v in enumerate(clustered(2000, 3))), dim=DIM)
    neighbours = index.nearest(clustered(1, 4)[0], 300)
    assert 100 <= len(neighbours) <= 300
    assert len({n.question_id for n in neighbours}) == len(neighbours)


def test_removed_and_moved_rows_stay_in_step_with_the_faiss_lists(small_threshold) -> None:
    vectors = clustered(800, 5)
    index = GroupIndex.from_rows(((f"q{i}", v, i) for i, v in enumerate(vectors)), dim=DIM)
    for i in range(0, 800, 4):
        index.remove(f"q{i}")  # each removal moves the last row into the hole
    assert len(index) == 600 and len(index._lists) == 600
    for i in [i for i in range(1, 800, 13) if i % 4]:
        nearest = index.nearest(vectors[i], 3)
        assert nearest[0].question_id == f"q{i}" and nearest[0].group_id == i
        assert all(int(n.question_id[1:]) % 4 for n in nearest)


def test_questions_added_after_the_lists_are_built_are_found(small_threshold) -> None:
    index = GroupIndex(DIM, threshold=0.9)
    vectors = clustered(700, 6)
    for i, v in enumerate(vectors[:600]):
        index.insert(i, v, i)
    assert index._lists is not None
    fresh = clustered(1, 7)[0]
    index.insert("late", fresh, 12345)
    assert index.nearest(fresh, 1)[0].question_id == "late"
    assert index.add("same again", fresh) == 12345
