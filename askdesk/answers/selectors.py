from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from askdesk.callouts.models import Callout
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
