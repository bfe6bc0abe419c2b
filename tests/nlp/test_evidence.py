"""Evidence from the story: ranking, the answered decision and the command line."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from askdesk.nlp.embed import HashingEmbedder, get_embedder
from askdesk.nlp.evidence import BM25, MAYBE_AT, YES_AT, StoryIndex, calibration_for, cli, terms, verdict_for

STORY = [
    "An Israeli missile hit Iran early on Friday morning, according to US officials.",
    "Blasts were heard in the central province of Isfahan, home to nuclear facilities.",
    "No casualties have been reported.",
    "The UN atomic agency said no nuclear sites were damaged in the strike.",
    "Oil prices rose sharply in Asian trading after the first reports.",
]

RAW_STORY = (
    "an israeli missile hit iran early on friday morning , according to us officials . "
    "blasts were heard in the central province of isfahan , which is home to nuclear facilities . "
    "no casualties have been reported . "
    "iran ' s semi - official fars news agency said explosions were heard near isfahan airport .\n"
)

ISFAHAN = Path("/work/shared/stories/israel-strike-isfahan.txt")


@pytest.fixture
def index() -> StoryIndex:
    return StoryIndex.build(STORY, HashingEmbedder())


def test_the_sentence_sharing_the_questions_content_is_ranked_first(index: StoryIndex) -> None:
    [oil, casualties] = index.evidence(["Did oil prices rise?", "Have casualties been reported?"])
    assert oil.sentences[0].index == 4
    assert casualties.sentences[0].sentence == "No casualties have been reported."


def test_scores_come_sorted_best_first_and_top_k_is_respected(index: StoryIndex) -> None:
    for top_k in (1, 3, 10):
        [item] = index.evidence(["Were nuclear sites in Isfahan damaged by the missile?"], top_k=top_k)
        scores = [s.score for s in item.sentences]
        assert scores == sorted(scores, reverse=True)
        assert len(item.sentences) == min(top_k, len(STORY))
        assert len({s.index for s in item.sentences}) == len(item.sentences)


def test_a_question_the_story_covers_is_answered_and_an_unrelated_one_is_not(index: StoryIndex) -> None:
    covered, unrelated = index.evidence(["Were nuclear sites damaged in the strike?", "How do I bake sourdough bread?"])
    assert covered.answered and not unrelated.answered
    assert covered.confidence > unrelated.confidence


def test_the_lexical_part_lifts_a_rare_name_that_only_one_sentence_mentions(index: StoryIndex) -> None:
    cosine, lexical = index.score_matrix(["What happened in Isfahan?"])
    assert int(lexical[0].argmax()) == 1
    assert lexical[0][1] > 0 and all(lexical[0][i] == 0 for i in (0, 2, 4))
    assert cosine.shape == lexical.shape == (1, len(STORY))


def test_precomputed_question_vectors_give_the_same_evidence(index: StoryIndex) -> None:
    questions = ["Did oil prices rise?", "Where were blasts heard?"]
    vectors = index.embedder.embed(questions)
    assert index.evidence(questions, vectors=vectors) == index.evidence(questions)


def test_an_empty_question_or_story_is_refused_with_a_clear_error(index: StoryIndex) -> None:
    with pytest.raises(ValueError, match="empty"):
        index.evidence(["Did oil prices rise?", "   "])
    with pytest.raises(ValueError, match="no sentences"):
        StoryIndex.build([], HashingEmbedder())


def test_bm25_prefers_the_shorter_document_for_the_same_match_and_ignores_stop_words() -> None:
    bm25 = BM25([terms("strike on Isfahan"), terms("a long sentence that mentions a strike among many other words")])
    first, second = bm25.scores(terms("the strike"))
    assert first > second > 0
    assert terms("What were the casualties?") == ["casualti"]


def test_each_embedder_family_has_its_own_calibration() -> None:
    assert calibration_for(HashingEmbedder().name) is not calibration_for("all-MiniLM-L6-v2")
    assert calibration_for("all-MiniLM-L6-v2-onnx-int8") is calibration_for("all-MiniLM-L6-v2")


def run_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, story: str, stdin: str, *args: str) -> list[str]:
    story_file = tmp_path / "story.txt"
    story_file.write_text(story, encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)
    assert cli([str(story_file), *args]) == 0
    return out.getvalue().splitlines()


def test_the_cli_prints_one_json_line_per_question_with_readable_sentences(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = run_cli(
        tmp_path,
        monkeypatch,
        RAW_STORY,
        "Were there casualties?\n\n   \nWhat did the Fars news agency say?\n",
        "--embedder",
        "hashing",
        "--top-k",
        "2",
    )
    # Blank lines are skipped: two questions, two answers.
    records = [json.loads(line) for line in lines]
    assert [r["question"] for r in records] == ["Were there casualties?", "What did the Fars news agency say?"]
    assert records[0]["evidence"][0]["sentence"] == "No casualties have been reported."
    fars = records[1]["evidence"][0]["sentence"]
    assert fars.startswith("Iran’s semi-official") and " , " not in fars
    for record in records:
        assert record["answered"] in (True, False, "maybe")
        assert len(record["evidence"]) == 2
        assert set(record["evidence"][0]) >= {"sentence", "score"}


def test_the_cli_prints_nothing_for_input_without_questions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_cli(tmp_path, monkeypatch, RAW_STORY, "\n\n", "--embedder", "hashing") == []


def test_the_cli_reports_an_unreadable_story_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("Were there casualties?\n"))
    assert cli([str(tmp_path / "missing.txt"), "--embedder", "hashing"]) == 2
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    assert cli([str(tmp_path / "empty.txt"), "--embedder", "hashing"]) == 2
    err = capsys.readouterr().err
    assert "missing.txt" in err and "The story is empty." in err


def test_the_cli_answers_a_stream_longer_than_one_chunk_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("askdesk.nlp.evidence.CLI_CHUNK", 2)
    questions = ["Were there casualties?", "", "Where were blasts heard?", "Did Israel confirm it?", "Who said so?"]
    lines = run_cli(tmp_path, monkeypatch, RAW_STORY, "\n".join(questions) + "\n", "--embedder", "hashing")
    assert [json.loads(line)["question"] for line in lines] == [q for q in questions if q]


@pytest.mark.model
@pytest.mark.skipif(not ISFAHAN.exists(), reason="the Isfahan story is not on this machine")
def test_the_real_model_finds_the_casualties_sentence_and_refuses_an_unrelated_question() -> None:
    from askdesk.nlp.text import read_story

    story = read_story(ISFAHAN.read_text(encoding="utf-8"))
    index = StoryIndex.build(story.sentences, get_embedder("minilm"))
    casualties, unrelated = index.evidence(["Were there any casualties?", "What is a good recipe for pancakes?"])
    assert casualties.sentences[0].sentence == "No casualties have been reported."
    assert casualties.answered
    assert not unrelated.answered


def test_the_answered_decision_has_three_levels_and_only_yes_counts_as_answered(index: StoryIndex) -> None:
    assert verdict_for(YES_AT) == "yes"
    assert verdict_for((YES_AT + MAYBE_AT) / 2) == "maybe"
    assert verdict_for(MAYBE_AT / 2) == "no"
    for item in index.evidence(["Were nuclear sites damaged in the strike?", "How do I bake sourdough bread?"]):
        assert item.verdict == verdict_for(item.confidence)
        assert item.answered == (item.verdict == "yes")


def test_the_evidence_command_prints_answered_and_best_sentences_first(tmp_path: Path) -> None:
    story_file = tmp_path / "story.txt"
    story_file.write_text(RAW_STORY, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "askdesk.nlp", "evidence", str(story_file), "--embedder", "hashing"],
        input="Were there casualties?\nHow do I bake bread?\n",
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(records) == 2
    for record in records:
        assert record["answered"] in (True, False, "maybe")
        scores = [e["score"] for e in record["evidence"]]
        assert scores == sorted(scores, reverse=True) and all("sentence" in e for e in record["evidence"])
