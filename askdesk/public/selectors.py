"""Reads for public pages: only what readers may see."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet

from askdesk.answers.models import Answer
from askdesk.answers.selectors import published_questions
from askdesk.callouts.models import Callout
from askdesk.questions.models import Question
from askdesk.readers.selectors import joined_for_answer

ANSWERED = [Question.Status.PUBLISHED, Question.Status.COVERED]


def callout_with_counts(*, callout_id: int) -> Callout:
    """The call-out with its story and newsroom, and how many questions it received and answered."""
    return (
        Callout.objects.select_related("story__newsroom")
        .annotate(
            received=Count("questions"),
            answered=Count("questions", filter=Q(questions__status__in=ANSWERED)),
        )
        .get(pk=callout_id)
    )


def with_other_readers(questions: Iterable[Question]) -> list[Question]:
    """Set ``also_asked`` ("and N other readers") on published questions annotated by
    ``published_with_joins``: the questions each answer covered, and the readers who joined them."""
    rows = list(questions)
    for question in rows:
        covered = getattr(question, "also_asked", 0)
        question.also_asked = covered + (getattr(question, "joined", 0) or 0)  # type: ignore[attr-defined]
    return rows


def published_with_joins(*, callout: Callout) -> QuerySet[Question]:
    """Published questions, newest first, annotated with the readers who joined them (one query)."""
    return published_questions(callout=callout).annotate(joined=joined_for_answer())


def answers_context(*, callout: Callout) -> dict[str, Any]:
    """Published Q&As split into experts' answers and answers from the story, with counts."""
    questions = with_other_readers(published_with_joins(callout=callout))
    return {
        "expert_questions": [q for q in questions if q.answer.source != Answer.Source.STORY],
        "story_questions": [q for q in questions if q.answer.source == Answer.Source.STORY],
        "received": getattr(callout, "received", 0),
        "answered": getattr(callout, "answered", 0),
        "updated_at": questions[0].published_at if questions else None,
    }
