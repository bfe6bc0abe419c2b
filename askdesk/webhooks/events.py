"""Event payloads: thin, and only what may leave the desk.

No contact detail, the byline built from the parts the reader allowed, and wording with
typed-in contact details replaced. Receivers fetch more through the API, with a key.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from askdesk.callouts.models import Callout
from askdesk.questions.byline import byline_for
from askdesk.questions.models import Question, QuestionGroup
from askdesk.questions.redacted import wording_without_contacts


def _absolute(path: str) -> str:
    from django.conf import settings

    return settings.ASKDESK_PUBLIC_BASE_URL.rstrip("/") + path


def callout_ref(callout: Callout) -> dict[str, Any]:
    return {
        "slug": callout.slug,
        "prompt": callout.prompt,
        "status": callout.status,
        "answers_url": _absolute(reverse("answers:public", args=[callout.slug])),
    }


def question_received(question: Question) -> dict[str, Any]:
    return {
        "callout": callout_ref(question.callout),
        "question": {
            "id": question.pk,
            "text": wording_without_contacts(question),
            "byline": byline_for(question),
            "submitted_at": question.submitted_at.isoformat(),
            "api_url": _absolute(f"/api/v1/questions/{question.pk}"),
        },
    }


def answer_published(question: Question) -> dict[str, Any]:
    answer = getattr(question, "answer", None)
    expert = answer.expert if answer is not None else None
    return {
        "callout": callout_ref(question.callout),
        "question": {
            "id": question.pk,
            "text": wording_without_contacts(question),
            "byline": question.byline,
            "published_at": question.published_at.isoformat() if question.published_at else None,
        },
        "answer": {
            "body": answer.body if answer is not None else "",
            "source": answer.source if answer is not None else "",
            "expert": {"name": expert.name, "title": expert.title} if expert is not None else None,
        },
    }


def question_ref(question: Question) -> dict[str, Any]:
    return {"callout": {"slug": question.callout.slug}, "question": {"id": question.pk}}


def question_gone(question_id: int, callout: Callout) -> dict[str, Any]:
    return {"callout": {"slug": callout.slug}, "question": {"id": question_id}}


def callout_closed(callout: Callout) -> dict[str, Any]:
    return {
        "callout": {**callout_ref(callout), "closed_at": callout.closed_at.isoformat() if callout.closed_at else None}
    }


def group_grew(group: QuestionGroup, *, threshold: int) -> dict[str, Any]:
    return {
        "callout": callout_ref(group.callout),
        # No label: labels are made of readers' words, and a delivery outlives them (thin payload;
        # GET /api/v1/callouts/{slug}/groups/ has the current label).
        "group": {"id": group.pk, "size": group.size},
        "threshold": threshold,
    }
