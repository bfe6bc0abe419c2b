from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Q, QuerySet

from askdesk.analysis.models import QuestionVector, decode_vector
from askdesk.answers.models import Answer
from askdesk.audit.models import AuditEvent
from askdesk.callouts.models import Callout
from askdesk.newsrooms.models import Newsroom
from askdesk.nlp.same import TICK_THRESHOLD, same_question_scores
from askdesk.nlp.scrub import find_contact_details, scrub
from askdesk.questions.models import Question
from askdesk.stories.models import Sentence

# Only public fields are loaded: the reader's raw name, age, location and contact details are
# never read for a public page or feed.
PUBLIC_FIELDS = (
    "id",
    "callout_id",
    "text",
    "public_text",
    "byline",
    "published_at",
    "status",
    "answer__id",
    "answer__body",
    "answer__context",
    "answer__sentence_keys",
    "answer__source",
    "answer__approved_at",
    "answer__expert__id",
    "answer__expert__name",
    "answer__expert__title",
)


def published_questions(*, callout: Callout) -> QuerySet[Question]:
    """Published questions with their answers and experts, newest first.

    Only public fields are loaded: the reader's raw name, age, location and contact
    details are never read for a public page.
    """
    return _published(Question.objects.filter(callout=callout))


def published_questions_of_newsroom(*, newsroom: Newsroom) -> QuerySet[Question]:
    """Published questions of all the newsroom's call-outs, newest first (public fields only)."""
    return _published(Question.objects.filter(callout__story__newsroom=newsroom)).select_related("callout")


def _published(questions: QuerySet[Question]) -> QuerySet[Question]:
    return (
        questions.filter(status=Question.Status.PUBLISHED)
        .select_related("answer__expert")
        .annotate(also_asked=Count("covered", filter=Q(covered__status=Question.Status.COVERED)))
        .only(*PUBLIC_FIELDS)
        .order_by("-published_at", "-id")
    )


@dataclass(frozen=True)
class ExpertBrief:
    """What an expert needs beside the question they answer."""

    readers: int  # how many readers asked this (its group)
    other_wordings: list[str]
    original: str  # the reader's own words, when the editors changed the wording
    assigned_at: dt.datetime | None
    editor_note: str  # the note of the last "send back", if the answer came back


def _without_contact_details(text: str) -> str:
    return scrub(text).text if find_contact_details(text) else text


def expert_brief(*, question: Question, other_wordings: int = 10) -> ExpertBrief:
    """The group's size and other wordings, the reader's original words and the editor's note.

    Experts see neither contact details (any typed into a wording are replaced) nor the
    reader's byline (docs/privacy.md).
    """
    others: list[str] = []
    readers = 1
    if question.group_id is not None:
        members = Question.objects.filter(group_id=question.group_id).exclude(pk=question.pk)
        readers += members.count()
        rows = members.order_by("submitted_at", "id").only("text", "public_text")[:other_wordings]
        others = [_without_contact_details(member.display_text) for member in rows]
    original = _without_contact_details(question.text) if question.public_text else ""
    note = ""
    answer = Answer.objects.filter(question=question).first()
    if answer is not None:
        returned = (
            AuditEvent.objects.filter(object_type=answer._meta.label_lower, object_id=str(answer.pk))
            .filter(action__in=["answer.return", "answer.submit"])
            .order_by("-at", "-id")
            .first()
        )
        if returned is not None and returned.action == "answer.return":
            note = str(returned.detail.get("note", ""))
    return ExpertBrief(
        readers=readers,
        other_wordings=others,
        original=original,
        assigned_at=question.assigned_at,
        editor_note=note,
    )


# Who one published answer may also answer -------------------------------------------------

# States a question can be covered from, and the ones ticked by default when the same-question
# score is high enough: an expert's assignment or an answer waiting for approval is never
# overridden without an editor's explicit tick.
COVERABLE = frozenset(
    {Question.Status.NEW, Question.Status.SHORTLISTED, Question.Status.ASSIGNED, Question.Status.ANSWERED}
)
TICKABLE_BY_DEFAULT = frozenset({Question.Status.NEW, Question.Status.SHORTLISTED})


@dataclass(frozen=True)
class CoverCandidate:
    """Another reader's question that the answer may also answer, and whether it is ticked by default."""

    question: Question
    score: float | None
    ticked: bool
    why_not: str


def cover_candidates(*, question: Question) -> list[CoverCandidate]:
    """The other open questions of ``question``'s group, close matches (ticked) first.

    A question is ticked by default only when the same-question score says it asks the same
    thing, it is new or shortlisted, and its reader has not already said a published answer
    missed their question. Questions without a vector are never ticked by default.
    """
    if question.group_id is None:
        return []
    others = list(
        Question.objects.filter(group_id=question.group_id, status__in=COVERABLE)
        .exclude(pk=question.pk)
        .select_related("assigned_to")
        .order_by("submitted_at", "id")
    )
    if not others:
        return []
    scores = _same_question_scores(question, others)
    candidates = []
    for other in others:
        score = scores.get(other.pk)
        why_not = ""
        if other.welfare:
            why_not = "flagged as welfare or urgent"
        elif other.status not in TICKABLE_BY_DEFAULT:
            why_not = "assigned to an expert" if other.status == Question.Status.ASSIGNED else "answer waiting"
        elif other.cover_declined_from_id is not None:
            why_not = "the reader said an earlier answer did not answer them"
        elif score is None:
            why_not = "not analysed yet"
        elif score < TICK_THRESHOLD:
            why_not = "may ask something else"
        candidates.append(CoverCandidate(other, score, ticked=not why_not, why_not=why_not))
    candidates.sort(key=lambda c: (not c.ticked, -(c.score or 0.0), c.question.pk))
    return candidates


def _same_question_scores(anchor: Question, others: list[Question]) -> dict[int, float]:
    """Scores of the questions that have a vector from the same embedder as ``anchor``."""
    stored = QuestionVector.objects.filter(question=anchor).values_list("embedder", "vector").first()
    if stored is None:
        return {}
    embedder, raw = stored
    anchor_vector = decode_vector(raw)
    rows = dict(
        QuestionVector.objects.filter(question__in=[o.pk for o in others], embedder=embedder).values_list(
            "question_id", "vector"
        )
    )
    scored = [o for o in others if o.pk in rows]
    if not scored:
        return {}
    vectors = np.stack([decode_vector(rows[o.pk]) for o in scored])
    values = same_question_scores(anchor.text, anchor_vector, [o.text for o in scored], vectors)
    return {o.pk: float(v) for o, v in zip(scored, values, strict=True)}


# Passages of the story an editor may publish as the answer -----------------------------------


@dataclass(frozen=True)
class Passage:
    """Consecutive story sentences: one askdesk found, possibly with a neighbour."""

    sentences: tuple[Sentence, ...]
    extended: str  # "", "before" or "after"

    @property
    def value(self) -> str:
        return ",".join(s.key for s in self.sentences)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)


def passage_choices(*, story_id: int, keys: Sequence[str]) -> list[list[Passage]]:
    """For each found sentence (best first): itself, and itself with the sentence before or after.

    A neighbour gives a quoted sentence its referent ("the two", "he").
    """
    found = {s.key: s for s in Sentence.objects.filter(story_id=story_id, key__in=keys)}
    positions = {p + d for s in found.values() for p in [s.position] for d in (-1, 1)}
    by_position = {s.position: s for s in Sentence.objects.filter(story_id=story_id, position__in=positions)}
    choices: list[list[Passage]] = []
    for key in keys:
        sentence = found.get(key)
        if sentence is None:
            continue
        options = [Passage((sentence,), "")]
        before = by_position.get(sentence.position - 1)
        after = by_position.get(sentence.position + 1)
        if before is not None:
            options.append(Passage((before, sentence), "before"))
        if after is not None:
            options.append(Passage((sentence, after), "after"))
        choices.append(options)
    return choices
