"""Same-question groups inside themes, the default tick, and the language of a question."""

from __future__ import annotations

import numpy as np
import pytest

from askdesk.nlp.embed import HashingEmbedder, get_embedder
from askdesk.nlp.group import (
    join_group,
    regroup,
    same_question_groups,
    themes_around_groups,
    themes_of_groups,
    two_levels,
)
from askdesk.nlp.language import detect_language
from askdesk.nlp.same import (
    LOGISTIC_PAIR_MODEL,
    TICK_THRESHOLD,
    remove_topic,
    same_question_matrix,
    same_question_scores,
    top_directions,
)

QUESTIONS = [
    "Will Iran retaliate against Israel for the strike?",
    "Will Iran retaliate against Israel?",
    "What does the IAEA inspect at nuclear sites?",
    "Why did Israel attack Isfahan?",
    "How many people died in the strike on Isfahan?",
]


def embed(texts: list[str]) -> np.ndarray:
    return HashingEmbedder().embed(texts)


def test_the_same_question_scores_are_symmetric_and_rank_a_paraphrase_first() -> None:
    scores = same_question_matrix(QUESTIONS, embed(QUESTIONS))
    assert scores.shape == (5, 5)
    assert np.allclose(scores, scores.T) and np.all(scores <= 1.0 + 1e-6)
    assert scores[0, 1] > scores[0, 2]
    probabilities = same_question_matrix(QUESTIONS, embed(QUESTIONS), LOGISTIC_PAIR_MODEL)
    assert np.all((probabilities >= 0) & (probabilities <= 1))
    assert probabilities[0, 1] > probabilities[0, 2]


def test_removing_the_topic_takes_out_what_every_question_shares() -> None:
    vectors = embed(QUESTIONS * 5)
    centred = remove_topic(vectors)
    assert np.allclose(np.linalg.norm(centred, axis=1), 1.0, atol=1e-5)
    assert float(np.linalg.norm(centred.mean(axis=0))) < float(np.linalg.norm(vectors.mean(axis=0)))


@pytest.mark.parametrize("rows", [25, 120, 500])
def test_the_topic_directions_are_the_top_singular_vectors_whichever_side_is_smaller(rows: int) -> None:
    rng = np.random.default_rng(rows)
    matrix = rng.standard_normal((rows, 384)).astype(np.float32)
    matrix[:, :4] *= np.asarray([9.0, 6.0, 4.0, 3.0], dtype=np.float32)  # clear leading directions
    _, _, expected = np.linalg.svd(matrix, full_matrices=False)
    found = top_directions(matrix, 3)
    assert found.shape == (3, 384)
    assert np.allclose(np.abs(np.sum(found * expected[:3], axis=1)), 1.0, atol=1e-4)


def test_paraphrases_share_a_group_and_every_group_sits_in_one_theme() -> None:
    groups, themes = two_levels(embed(QUESTIONS), QUESTIONS)
    assert groups[0] == groups[1]
    assert len(set(groups.tolist())) >= 3
    for group in set(groups.tolist()):
        assert len(set(themes[groups == group].tolist())) == 1


def test_themes_of_groups_follow_the_majority_of_members() -> None:
    themes = themes_of_groups(np.array([0, 0, 0, 1, 2]), np.array([5, 5, 7, 7, 9]))
    assert themes[0] == themes[1] == themes[2]
    assert len(set(themes.tolist())) == 3


def test_themes_made_from_groups_never_split_a_group_and_still_join_a_subject() -> None:
    texts = [*QUESTIONS, "Will Iran retaliate soon against Israel for Isfahan?", "When is the IAEA inspecting?"]
    vectors = embed(texts)
    # A group an editor made by hand, of two questions on different subjects.
    groups = np.array([0, 0, 1, 2, 3, 4, 1])
    themes = themes_around_groups(vectors, texts, groups)
    assert themes[0] == themes[1] and themes[2] == themes[6]
    assert themes[0] == themes[5]  # the retaliation questions share a subject
    assert len(set(themes.tolist())) < len(set(groups.tolist()))
    # Questions without a group stand alone; a call-out of one question has one theme.
    alone = themes_around_groups(vectors, texts, np.array([0, 0, -1, -1, 3, 4, 5]))
    assert alone[0] == alone[1]
    assert themes_around_groups(vectors[:1], texts[:1], np.array([7])).tolist() == [0]


def test_nested_groups_never_cross_a_theme() -> None:
    texts = QUESTIONS * 2
    vectors = embed(texts)
    subjects = regroup(vectors, texts)
    groups = same_question_groups(vectors, texts, themes=subjects, nested=True)
    for group in set(groups.tolist()):
        assert len(set(subjects[groups == group].tolist())) == 1


def test_a_question_arriving_alone_joins_its_paraphrase_or_starts_a_group() -> None:
    vectors = embed(QUESTIONS)
    known = [0, 2, 3, 4]
    groups = [10, 20, 30, 40]
    joined = join_group(vectors[known], [QUESTIONS[i] for i in known], groups, vectors[1], QUESTIONS[1])
    assert joined == 10
    alone = join_group(vectors[known], [QUESTIONS[i] for i in known], groups, embed(["x"])[0], "Insurance??")
    assert alone is None
    assert join_group(vectors[:0], [], [], vectors[1], QUESTIONS[1]) is None


def test_questions_in_another_language_are_kept_apart() -> None:
    texts = ["Is the tap water safe to drink?", "Is the tap water safe?", "L'eau du robinet est-elle potable ?"]
    labels = same_question_groups(embed(texts), texts)
    assert labels[2] not in (labels[0], labels[1])


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Is it safe to drink the tap water?", "en"),
        ("Est-ce que l'eau du robinet est potable ?", "fr"),
        ("¿Cuándo volverán a funcionar los trenes?", "es"),
        ("Wann fahren die Züge wieder normal?", "de"),
        ("Insurance??", "en"),
        ("", "en"),
    ],
)
def test_the_language_is_guessed_from_function_words(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_the_default_tick_leaves_another_kind_of_question_unticked() -> None:
    anchor = "When will the trains run again?"
    texts = ["When will the trains run again?", "Why will the trains not run?", "Quand les trains reviendront-ils ?"]
    scores = same_question_scores(anchor, embed([anchor])[0], texts, embed(texts))
    assert scores[0] >= TICK_THRESHOLD
    assert scores[1] == 0.0 and scores[2] == 0.0
    assert same_question_scores(anchor, embed([anchor])[0], [], np.zeros((0, 256))).shape == (0,)


@pytest.mark.model
def test_minilm_pair_model_groups_paraphrases_apart_from_a_near_miss() -> None:
    texts = [
        "Was anyone killed in the flood?",
        "Were there any casualties?",
        "Did anybody die?",
        "Who was the man who died?",
        "Is the tap water safe to drink?",
        "Can we drink water from the tap?",
        "Is the flood water full of sewage?",
        "When will the water go down?",
    ]
    groups = same_question_groups(get_embedder("minilm").embed(texts), texts)
    assert groups[4] == groups[5]
    assert groups[6] != groups[4]
