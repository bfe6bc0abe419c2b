from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from askdesk.answers.models import Answer
from askdesk.audit.models import AuditEvent
from askdesk.callouts.models import Callout
from askdesk.nlp.scrub import find_contact_details, scrub
from askdesk.questions.byline import byline_for
from askdesk.questions.models import Question


def published_questions(*, callout: Callout) -> QuerySet[Question]:
    """Published questions with their answers and experts, newest first.

    Only public fields are loaded: the reader's raw name, age, location and contact
    details are never read for a public page.
    """
    return (
        Question.objects.filter(callout=callout, status=Question.Status.PUBLISHED)
        .select_related("answer__expert")
        .annotate(also_asked=Count("covered", filter=Q(covered__status=Question.Status.COVERED)))
        .only(
            "id",
            "callout_id",
            "text",
            "public_text",
            "byline",
            "published_at",
            "status",
            "answer__id",
            "answer__body",
            "answer__source",
            "answer__approved_at",
            "answer__expert__id",
            "answer__expert__name",
            "answer__expert__title",
        )
        .order_by("-published_at", "-id")
    )


@dataclass(frozen=True)
class ExpertBrief:
    """What an expert needs beside the question they answer."""

    readers: int  # how many readers asked this (its group)
    other_wordings: list[str]
    original: str  # the reader's own words, when the editors changed the wording
    byline: str
    assigned_at: dt.datetime | None
    editor_note: str  # the note of the last "send back", if the answer came back


def _without_contact_details(text: str) -> str:
    return scrub(text).text if find_contact_details(text) else text


def expert_brief(*, question: Question, other_wordings: int = 10) -> ExpertBrief:
    """The group's size and other wordings, the reader's original words, the byline and the editor's note.

    Experts do not see contact details: any typed into a wording are replaced.
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
        byline=byline_for(question),
        assigned_at=question.assigned_at,
        editor_note=note,
    )
