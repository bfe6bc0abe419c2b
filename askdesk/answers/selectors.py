from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from askdesk.callouts.models import Callout
from askdesk.newsrooms.models import Newsroom
from askdesk.questions.models import Question

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
