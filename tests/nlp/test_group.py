import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from askdesk.nlp import group
from askdesk.nlp.embed import HashingEmbedder, get_embedder
from askdesk.nlp.group import GroupIndex, carry_over, describe_groups, regroup

RETALIATE = [
    "Will Iran retaliate against Israel for the strike?",
    "Is Iran going to retaliate against Israel after the strike?",
    "When will Iran retaliate against Israel?",
]
IAEA = [
    "What has the IAEA said about the nuclear site at Isfahan?",
    "Did the IAEA inspect the Isfahan nuclear site?",
]
UNRELATED = "How much does a loaf of bread cost in Tehran?"


@pytest.fixture
def embedder() -> HashingEmbedder:
    return HashingEmbedder()


def partition(labels: np.ndarray) -> set[frozenset[int]]:
    return {frozenset(np.flatnonzero(labels == g).tolist()) for g in np.unique(labels)}


def test_paraphrases_sharing_words_join_one_group_in_the_index(embedder: HashingEmbedder) -> None:
    index = GroupIndex(embedder.dim, threshold=0.3)
    groups = [index.add(f"q{i}", v) for i, v in enumerate(embedder.embed(RETALIATE))]
    assert len(set(groups)) == 1


def test_an_unrelated_question_starts_a_new_group(embedder: HashingEmbedder) -> None:
    index = GroupIndex(embedder.dim, threshold=0.3)
    first = [index.add(f"q{i}", v) for i, v in enumerate(embedder.embed(RETALIATE))]
    new = index.add("bread", embedder.embed([UNRELATED])[0])
    assert new not in first
    assert index.group_of("bread") == new


def test_nearest_lists_the_most_similar_questions_first(embedder: HashingEmbedder) -> None:
    texts = [*RETALIATE, *IAEA, UNRELATED]
    index = GroupIndex(embedder.dim, threshold=0.3)
    for i, v in enumerate(embedder.embed(texts)):
        index.add(i, v)
    neighbours = index.nearest(embedder.embed(["Has the IAEA visited the Isfahan nuclear site?"])[0], k=3)
    assert {n.question_id for n in neighbours[:2]} == {3, 4}
    sims = [n.similarity for n in neighbours]
    assert sims == sorted(sims, reverse=True)
    assert len(neighbours) == 3


def test_index_rebuilt_from_rows_assigns_new_questions_like_the_original(embedder: HashingEmbedder) -> None:
    index = GroupIndex(embedder.dim, threshold=0.3)
    for i, v in enumerate(embedder.embed([RETALIATE[0], IAEA[0], UNRELATED])):
        index.add(i, v)
    rebuilt = GroupIndex.from_rows(index.rows(), dim=embedder.dim, threshold=0.3)
    later = embedder.embed([*RETALIATE[1:], *IAEA[1:], "Who is the new president of France?"])
    assert [index.add(f"n{i}", v) for i, v in enumerate(later)] == [
        rebuilt.add(f"n{i}", v) for i, v in enumerate(later)
    ]
    assert next(index.rows())[0] == 0


def test_removed_question_no_longer_attracts_new_ones(embedder: HashingEmbedder) -> None:
    index = GroupIndex(embedder.dim, threshold=0.3)
    vectors = embedder.embed([RETALIATE[0], UNRELATED, IAEA[0]])
    for i, v in enumerate(vectors):
        index.add(i, v)
    index.remove(0)
    assert 0 not in index and len(index) == 2
    assert index.group_of(2) == 2
    assert index.add("again", embedder.embed([RETALIATE[1]])[0]) == 3


def test_adding_a_question_twice_is_refused(embedder: HashingEmbedder) -> None:
    index = GroupIndex(embedder.dim)
    vector = embedder.embed([UNRELATED])[0]
    index.add("q", vector)
    with pytest.raises(ValueError, match="already indexed"):
        index.add("q", vector)


def test_index_with_k_means_lists_still_finds_the_nearest_group(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(group, "APPROXIMATE_FROM", 40)
    monkeypatch.setattr(group, "PROBES", 2)
    rng = np.random.default_rng(1)
    centres = rng.normal(size=(8, 32))
    vectors = centres[np.arange(80) % 8] + 0.2 * rng.normal(size=(80, 32))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = GroupIndex(32, threshold=0.7)
    groups = [index.add(i, v) for i, v in enumerate(vectors)]
    assert groups[8:] == groups[:8] * 9
    for i in range(0, 80, 3):
        index.remove(i)
    rebuilt = GroupIndex.from_rows(index.rows(), dim=32, threshold=0.7)
    probe = centres[3] / np.linalg.norm(centres[3])
    assert index.add("new", probe) == rebuilt.add("new", probe) == groups[3]


def test_regroup_of_a_small_set_gives_the_expected_partition(embedder: HashingEmbedder) -> None:
    texts = [RETALIATE[0], IAEA[0], UNRELATED, RETALIATE[1], IAEA[1], RETALIATE[2]]
    labels = regroup(embedder.embed(texts), texts)
    assert partition(labels) == {frozenset({0, 3, 5}), frozenset({1, 4}), frozenset({2})}
    # The largest group is 0, then by size.
    assert labels[0] == 0 and labels[1] == 1 and labels[2] == 2


def test_regroup_without_texts_uses_the_vectors_alone(embedder: HashingEmbedder) -> None:
    texts = [*RETALIATE, *IAEA]
    labels = regroup(embedder.embed(texts), threshold=0.2)
    assert partition(labels) == {frozenset({0, 1, 2}), frozenset({3, 4})}


def test_two_level_regroup_keeps_groups_that_straddle_buckets(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tiny bucket sizes force the k-means split and the merge across buckets.
    monkeypatch.setattr(group, "MAX_EXACT", 6)
    monkeypatch.setattr(group, "BUCKET_SIZE", 4)
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(4, 32))
    members = np.repeat(np.arange(4), 6)
    vectors = centres[members] + 0.15 * rng.normal(size=(len(members), 32))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    labels = regroup(vectors, threshold=0.6)
    assert partition(labels) == partition(members)


def test_regrouped_groups_keep_the_ids_of_the_groups_they_continue() -> None:
    previous = [7, 7, 7, 3, 3, -1, -1]
    # The regroup split group 7 (three members) and merged a new question into group 3.
    labels = [0, 0, 2, 1, 1, 1, 3]
    assert carry_over(previous, labels).tolist() == [7, 7, 8, 3, 3, 3, 9]


def test_representative_is_a_member_and_groups_come_largest_first(embedder: HashingEmbedder) -> None:
    texts = [RETALIATE[0], IAEA[0], UNRELATED, RETALIATE[1], IAEA[1], RETALIATE[2]]
    vectors = embedder.embed(texts)
    summaries = describe_groups(texts, vectors, regroup(vectors, texts))
    assert [s.size for s in summaries] == [3, 2, 1]
    for summary in summaries:
        assert summary.representative_index in summary.member_indices
    assert "iran" in summaries[0].label.split(", ")
    assert "iaea" in summaries[1].label.split(", ")
    assert summaries[2].label == UNRELATED


def test_cli_prints_one_json_line_per_question(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [RETALIATE[0], "", IAEA[0], RETALIATE[1], "   "]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    assert group.cli(["--embedder", "hashing"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["question"] for r in rows] == [RETALIATE[0], IAEA[0], RETALIATE[1]]
    assert rows[0]["group"] == rows[2]["group"] == 0
    assert rows[1]["group"] == 1
    # Every group sits in one theme.
    assert rows[0]["theme"] == rows[2]["theme"]
    assert all(isinstance(r["theme"], int) and r["language"] == "en" for r in rows)


def test_the_group_command_takes_the_story_title_whose_words_do_not_count(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [RETALIATE[0], IAEA[0], RETALIATE[1]]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    assert group.cli(["--embedder", "hashing", "--title", "Israel strikes Isfahan"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["question"] for r in rows] == lines
    assert rows[0]["group"] == rows[2]["group"] != rows[1]["group"]


def test_the_group_command_prints_group_and_theme_for_each_line() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "askdesk.nlp", "group", "--embedder", "hashing"],
        input="\n".join([RETALIATE[0], IAEA[0], RETALIATE[1]]) + "\n",
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) == 3 and all({"group", "theme"} <= set(r) for r in rows)
    assert rows[0]["group"] == rows[2]["group"] != rows[1]["group"]


@pytest.mark.model
def test_minilm_groups_a_paraphrase_but_not_another_question() -> None:
    texts = ["Will Iran retaliate?", "Is Iran going to strike back?", "What is the IAEA?"]
    labels = regroup(get_embedder("minilm").embed(texts), texts)
    assert labels[0] == labels[1]
    assert labels[2] != labels[0]


def test_a_question_inserted_into_a_chosen_group_is_found_there_and_new_groups_come_after_it():
    index = GroupIndex(dim=3, threshold=0.9)
    index.insert("q1", [1.0, 0.0, 0.0], 41)
    assert index.group_of("q1") == 41
    assert index.nearest([1.0, 0.0, 0.0], 1)[0].group_id == 41
    assert index.add("q2", [1.0, 0.0, 0.0]) == 41
    assert index.add("q3", [0.0, 1.0, 0.0]) == 42
