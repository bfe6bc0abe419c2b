"""What an export holds: the call-out's questions as rows, without contact details."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import QuerySet

from askdesk.answers.models import Answer
from askdesk.callouts.models import Callout
from askdesk.exports.models import Export
from askdesk.nlp.scrub import scrub
from askdesk.questions.byline import byline_for
from askdesk.questions.models import Question, QuestionGroup, ReaderContact

QUESTION_HEADER = [
    "Question id",
    "Submitted",
    "State",
    "Group id",
    "Readers in the group",
    "Group",
    "Theme",
    "Wording for publication",
    "Byline (only what the reader allowed)",
    "Expert",
    "Assigned",
    "Answer",
    "Answer from",
    "Answer state",
    "Answer sent",
    "Published",
    "The story answers this",
    "Welfare or urgent (not for publication)",
]
CONTACT_HEADER = ["Question id", "Submitted", "State", "Wording", "Name as given", "Email", "Phone"]


def _theme_field() -> str | None:
    """Groups gain themes in another part of askdesk; the column is filled once they exist."""
    try:
        QuestionGroup._meta.get_field("theme")
    except FieldDoesNotExist:
        return None
    return "group__theme"


def _wording(question: Question) -> str:
    # Contact details typed into the wording are found when it is stored; never export them.
    return scrub(question.display_text).text if question.contact_spans else question.display_text


def question_rows(*, callout: Callout) -> Iterator[list[Any]]:
    """One row per question, oldest first, in the order of QUESTION_HEADER.

    The reader's name, age and location appear only as the byline they allowed; email and
    phone live in another table that this never reads.
    """
    theme = _theme_field()
    related = ["group", "assigned_to", "answer__expert", "evidence", *([theme] if theme else [])]
    questions = Question.objects.filter(callout=callout).select_related(*related).order_by("submitted_at", "id")
    for question in questions.iterator(chunk_size=2000):
        group = question.group
        answer: Answer | None = getattr(question, "answer", None)
        evidence = getattr(question, "evidence", None)
        yield [
            question.pk,
            question.submitted_at,
            question.get_status_display(),
            group.pk if group else None,
            group.size if group else None,
            group.label if group else "",
            str(getattr(group, "theme", None) or "") if group and theme else "",
            _wording(question),
            question.byline or byline_for(question),
            question.assigned_to.name if question.assigned_to else "",
            question.assigned_at,
            answer.body if answer else "",
            (answer.expert.name if answer.expert else answer.get_source_display()) if answer else "",
            answer.get_status_display() if answer else "",
            answer.submitted_at if answer else None,
            question.published_at,
            bool(evidence and evidence.answered),
            question.welfare,
        ]


def contact_rows(*, callout: Callout) -> Iterator[list[Any]]:
    """Readers who left contact details, with them: only for staff allowed to reveal them."""
    contacts = (
        ReaderContact.objects.filter(question__callout=callout)
        .select_related("question")
        .order_by("question__submitted_at", "question_id")
    )
    for contact in contacts.iterator(chunk_size=2000):
        question = contact.question
        yield [
            question.pk,
            question.submitted_at,
            question.get_status_display(),
            question.display_text,
            question.name,
            contact.email,
            contact.phone,
        ]


def recent_exports(*, callout: Callout, limit: int = 20) -> QuerySet[Export]:
    return Export.objects.filter(callout=callout).select_related("created_by").order_by("-created_at", "-id")[:limit]
