"""Help while the reader types: the story passage and the published answers close to a draft.

This runs inside a web request, so it does little: one embedding of the scrubbed draft (the
int8 ONNX MiniLM, loaded lazily in the web process on first use and never exported here)
and two small matrix products against vectors kept per process:

- the story's sentences, from the vectors the worker stored (embedded here, in memory
  only, when the worker has not run yet for this story);
- the published questions of the call-out and the questions each one covers, reread
  every ``PUBLISHED_TTL_SECONDS``;
- the questions readers can join ("I want to know too": the ones the answers page offers,
  ``readers.selectors.joinable_questions``) and the members of their groups still waiting
  for an answer, reread as often.

Nothing the reader types is written anywhere: no row, no log line, no cache entry. Contact
details are scrubbed before matching, and the reader's text is never part of the result.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import numpy as np
from django.conf import settings
from django.db.models import Q

from askdesk.analysis.meaning import web_embedder
from askdesk.analysis.models import QuestionVector, SentenceVector, decode_vector
from askdesk.callouts.models import Callout
from askdesk.nlp.embed import Embedder, Vectors
from askdesk.nlp.evidence import StoryIndex
from askdesk.nlp.scrub import find_contact_details
from askdesk.questions.models import Question
from askdesk.questions.selectors import says_may_answer
from askdesk.readers.selectors import joinable_group_vectors, joinable_questions
from askdesk.stories.models import Sentence, Story

logger = logging.getLogger(__name__)

# Fewer words than this say too little to match on.
MIN_WORDS = 3
# Cosine between the draft and a published question (or one it covers) for "Readers asked
# something similar": looser than the same-question tick, since the reader only gets links.
SIMILAR_THRESHOLD = 0.6
SIMILAR_LIMIT = 3
# Of the questions readers can join, the most asked this many are matched (the answers page
# lists the first 20 of them).
JOINABLE_INDEXED = 200
# The published questions (and those they cover) are reread this often: a new publication
# shows in suggestions within this time, and a suggestion costs no query for it.
PUBLISHED_TTL_SECONDS = 30.0

_WORD = re.compile(r"\w+")
Status = Question.Status


@dataclass(frozen=True)
class StoryHint:
    """A story sentence that may answer the draft, with its anchor in the story page."""

    key: str
    text: str


@dataclass(frozen=True)
class SimilarAnswer:
    """A published question (its public wording) whose answer may serve the reader."""

    question_id: int
    text: str
    score: float


@dataclass(frozen=True)
class WaitingQuestion:
    """A question readers asked, not answered yet, that the reader can join instead of writing theirs."""

    question_id: int
    text: str
    asked: int  # "N readers asked this", as the question was last reread
    score: float


@dataclass(frozen=True)
class Suggestions:
    story: list[StoryHint] = field(default_factory=list)
    similar: list[SimilarAnswer] = field(default_factory=list)
    waiting: list[WaitingQuestion] = field(default_factory=list)


@dataclass
class _Index:
    """Stored vectors of a call-out's questions, each row standing for the question a reader is shown."""

    loaded_at: float
    vectors: Vectors
    owners: np.ndarray

    def nearest(self, vector: Vectors) -> list[tuple[int, float]]:
        """The owners whose best row is at least ``SIMILAR_THRESHOLD`` from the draft, nearest first."""
        if not len(self.owners):
            return []
        scores = self.vectors @ vector
        best: dict[int, float] = {}
        for owner, score in zip(self.owners.tolist(), scores.tolist(), strict=True):
            if score >= SIMILAR_THRESHOLD and score > best.get(owner, -1.0):
                best[owner] = score
        return sorted(best.items(), key=lambda item: -item[1])[:SIMILAR_LIMIT]


@dataclass
class _Published(_Index):
    # Rows: each published question and each question it covers, standing for the published one.
    texts: dict[int, str]  # public wording of each published question


@dataclass
class _Joinable(_Index):
    # Rows: each question waiting in a joinable group, standing for the question shown for the group.
    shown: dict[int, tuple[str, int]]  # public wording and "N readers asked this" of each shown question


IndexT = TypeVar("IndexT", bound=_Index)


def _stacked(owners: list[int], raws: list[bytes], model: Embedder) -> tuple[Vectors, np.ndarray]:
    vectors = [decode_vector(raw) for raw in raws]
    matrix = np.stack(vectors) if vectors else np.zeros((0, model.dim), dtype=np.float32)
    return matrix, np.array(owners, dtype=np.int64)


def _fresh(indexes: dict[tuple[int, str], IndexT], key: tuple[int, str], load: Callable[[], IndexT]) -> IndexT:
    """The index kept for ``key``, reread when older than ``PUBLISHED_TTL_SECONDS``."""
    cached = indexes.get(key)
    if cached is not None and time.monotonic() - cached.loaded_at < PUBLISHED_TTL_SECONDS:
        return cached
    with _lock:
        entry = load()
        indexes[key] = entry
        return entry


_lock = threading.Lock()
_stories: dict[tuple[int, str], tuple[StoryIndex, list[Sentence]]] = {}
_published: dict[tuple[int, str], _Published] = {}
_joinable: dict[tuple[int, str], _Joinable] = {}


def clear_caches() -> None:
    with _lock:
        _stories.clear()
        _published.clear()
        _joinable.clear()


def suggestion_embedder() -> Embedder | None:
    """The embedder for this web process (``analysis.meaning.web_embedder``), or None when it cannot be
    had without heavy work."""
    return web_embedder()


def suggestions_for(*, callout: Callout, text: str) -> Suggestions:
    """The story passage and published answers that may answer a draft question, and the
    unanswered questions the reader may join instead of writing it."""
    draft = without_contact_details(text[: settings.ASKDESK_QUESTION_MAX_LENGTH])
    if len(_WORD.findall(draft)) < MIN_WORDS:
        return Suggestions()
    model = suggestion_embedder()
    if model is None:
        return Suggestions()
    vector = model.embed([draft])[0]
    story = _story_hints(callout.story, model, draft, vector)
    return Suggestions(story=story, similar=_similar(callout, model, vector), waiting=_waiting(callout, model, vector))


def without_contact_details(text: str) -> str:
    """The draft with every contact detail cut out (a placeholder's words would sway the match)."""
    pieces: list[str] = []
    position = 0
    for span in find_contact_details(text):
        pieces.append(text[position : span.start])
        position = span.end
    pieces.append(text[position:])
    return " ".join("".join(pieces).split())


def _story_hints(story: Story, model: Embedder, draft: str, vector: Vectors) -> list[StoryHint]:
    index, sentences = _story_index(story, model)
    found = index.evidence([draft], top_k=1, vectors=vector[None, :])[0]
    if not says_may_answer(found.answered):
        return []
    best = sentences[found.sentences[0].index]
    return [StoryHint(best.key, best.text)]


def _story_index(story: Story, model: Embedder) -> tuple[StoryIndex, list[Sentence]]:
    key = (story.pk, model.name)
    cached = _stories.get(key)
    if cached is not None:
        return cached
    with _lock:
        sentences = list(Sentence.objects.filter(story=story).order_by("position").only("id", "key", "text"))
        stored = dict(
            SentenceVector.objects.filter(sentence__story=story, embedder=model.name).values_list(
                "sentence_id", "vector"
            )
        )
        if all(s.pk in stored for s in sentences):
            vectors = np.stack([decode_vector(stored[s.pk]) for s in sentences])
        else:
            vectors = model.embed([s.text for s in sentences])  # kept in memory only: a request writes nothing
        entry = (StoryIndex([s.text for s in sentences], vectors, model), sentences)
        _stories[key] = entry
        return entry


def _similar(callout: Callout, model: Embedder, vector: Vectors) -> list[SimilarAnswer]:
    published = _published_index(callout, model)
    ranked = published.nearest(vector)
    return [SimilarAnswer(pk, published.texts[pk], round(score, 3)) for pk, score in ranked if pk in published.texts]


def _waiting(callout: Callout, model: Embedder, vector: Vectors) -> list[WaitingQuestion]:
    joinable = _joinable_index(callout, model)
    ranked = joinable.nearest(vector)
    return [WaitingQuestion(pk, *joinable.shown[pk], round(score, 3)) for pk, score in ranked if pk in joinable.shown]


def _joinable_index(callout: Callout, model: Embedder) -> _Joinable:
    def load() -> _Joinable:
        questions = joinable_questions(callout=callout, limit=JOINABLE_INDEXED)
        shown_in = {question.group_id: question.pk for question in questions}
        rows = joinable_group_vectors(questions=questions, embedder=model.name)
        matrix, owners = _stacked([shown_in[group_id] for group_id, _ in rows], [raw for _, raw in rows], model)
        # ``asked`` is annotated by the selector: its group's readers plus those who joined.
        shown = {question.pk: (question.display_text, int(getattr(question, "asked", 1))) for question in questions}
        return _Joinable(time.monotonic(), matrix, owners, shown)

    return _fresh(_joinable, (callout.pk, model.name), load)


def _published_index(callout: Callout, model: Embedder) -> _Published:
    def load() -> _Published:
        texts = {
            pk: public_text or text
            for pk, public_text, text in Question.objects.filter(callout=callout, status=Status.PUBLISHED).values_list(
                "id", "public_text", "text"
            )
        }
        rows = QuestionVector.objects.filter(embedder=model.name, question__callout=callout).filter(
            Q(question__status=Status.PUBLISHED)
            | Q(question__status=Status.COVERED, question__covered_by__status=Status.PUBLISHED)
        )
        found = list(rows.values_list("question_id", "question__covered_by_id", "vector"))
        matrix, owners = _stacked(
            [covered_by or pk for pk, covered_by, _ in found], [bytes(raw) for *_, raw in found], model
        )
        return _Published(time.monotonic(), matrix, owners, texts)

    return _fresh(_published, (callout.pk, model.name), load)
