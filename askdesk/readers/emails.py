"""What each email says: subject, plain text and HTML, from templates, in the reader's language.

Templates live in ``templates/readers/email/<kind>_subject.txt``, ``<kind>.txt`` and
``<kind>.html``; both bodies translate the same sentences (gettext), so they fall into any
language the pages are translated to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from askdesk.answers.models import Answer
from askdesk.questions.models import Question, QuestionGroup, ReaderContact
from askdesk.readers.models import OutgoingEmail, PrivateReply, RoundOption, VotingRound


@dataclass
class RenderedEmail:
    subject: str
    text: str
    html: str
    headers: dict[str, str]


def _url(path: str) -> str:
    return settings.ASKDESK_PUBLIC_BASE_URL.rstrip("/") + path


def _private_url(row: OutgoingEmail, token: str) -> str:
    if not token:
        return ""
    if row.also_asked_id is not None:
        return _url(reverse("readers:joined", args=[token]))
    return _url(reverse("questions:status", args=[token]))


def _confirmation(row: OutgoingEmail) -> dict[str, Any] | None:
    question = row.question if row.question is not None else (row.also_asked.question if row.also_asked else None)
    if question is None or not row.secret:
        return None
    return {
        "question_text": question.text if row.question is not None else question.display_text,
        "joined": row.also_asked_id is not None,
        "callout": question.callout,
        "private_url": _private_url(row, row.secret),
    }


def _answered(row: OutgoingEmail) -> dict[str, Any] | None:
    answered_by = Question.objects.select_related("callout__story").filter(pk=row.context.get("answered_by")).first()
    answer = Answer.objects.select_related("expert").filter(question=answered_by).first() if answered_by else None
    if answered_by is None or answer is None or answered_by.status != Question.Status.PUBLISHED:
        return None  # unpublished or deleted since: the promise no longer holds
    if row.question is not None:
        question_text, own = row.question.text, row.question_id == answered_by.pk
        contact = ReaderContact.objects.filter(question=row.question).first()
        token = contact.private_link if contact is not None else ""
    elif row.also_asked is not None:
        # They joined a question without writing it: its wording for publication is what they saw.
        joined = row.also_asked.question
        question_text, own = joined.display_text, joined.pk == answered_by.pk
        token = row.also_asked.private_link
    else:
        return None
    return {
        "question_text": question_text,
        "own": own,
        "published_text": answered_by.display_text,
        "answer": answer,
        "callout": answered_by.callout,
        "answer_url": _url(reverse("answers:public", args=[answered_by.callout.slug]) + f"#q{answered_by.pk}"),
        "private_url": _private_url(row, token),
    }


def _round_result(row: OutgoingEmail) -> dict[str, Any] | None:
    voting_round = VotingRound.objects.select_related("callout", "winner").filter(pk=row.context.get("round")).first()
    if voting_round is None or voting_round.closed_at is None:
        return None
    return {
        "round": voting_round,
        "winner": voting_round.winner,
        "options": list(RoundOption.objects.filter(round=voting_round).order_by("-votes", "position")),
        "round_url": _url(reverse("readers:round", args=[voting_round.pk])),
    }


def _editor_alert(row: OutgoingEmail) -> dict[str, Any] | None:
    group = QuestionGroup.objects.filter(pk=row.context.get("group")).first() if row.context.get("group") else None
    if row.context.get("group") and group is None:
        return None  # the group is gone: nothing left to look at
    return {
        "text": row.context.get("text", ""),
        "label": group.label if group is not None else "",
        "url": _url(row.context.get("url", "/desk/")),
    }


def _private_reply(row: OutgoingEmail) -> dict[str, Any] | None:
    reply = PrivateReply.objects.filter(pk=row.context.get("reply")).select_related("question__callout").first()
    if reply is None or row.question is None:
        return None
    return {"question_text": row.question.text, "body": reply.body, "callout": reply.question.callout}


CONTEXTS = {
    OutgoingEmail.Kind.CONFIRMATION: _confirmation,
    OutgoingEmail.Kind.ANSWERED: _answered,
    OutgoingEmail.Kind.ROUND_RESULT: _round_result,
    OutgoingEmail.Kind.EDITOR_ALERT: _editor_alert,
    OutgoingEmail.Kind.PRIVATE_REPLY: _private_reply,
}


def render_email(row: OutgoingEmail, *, unsubscribe_url: str) -> RenderedEmail | None:
    """The message for an outbox row, or None when there is nothing true to say any more."""
    context = CONTEXTS[OutgoingEmail.Kind(row.kind)](row)
    if context is None:
        return None
    context.update(
        {
            "newsroom_name": settings.ASKDESK_NEWSROOM_NAME,
            "unsubscribe_url": unsubscribe_url,
            "staff": row.staff_id is not None,
        }
    )
    with translation.override(row.language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"readers/email/{row.kind}_subject.txt", context)
        text = render_to_string(f"readers/email/{row.kind}.txt", context)
        html = render_to_string(f"readers/email/{row.kind}.html", context)
        language = translation.get_language() or settings.LANGUAGE_CODE
    headers = {
        "Message-ID": row.message_id,
        # RFC 8058: mail clients offer one-click unsubscribe, which POSTs to this address.
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
        "Content-Language": language,
    }
    return RenderedEmail(" ".join(subject.split()), text.replace("\xa0", " "), html, headers)
