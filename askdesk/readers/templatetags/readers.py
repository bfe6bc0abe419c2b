"""Pieces other pages include: "I want to know too" and open voting rounds."""

from __future__ import annotations

from typing import Any

from django import template

from askdesk.callouts.models import Callout
from askdesk.newsrooms.models import LegalDocument
from askdesk.newsrooms.selectors import legal_document_current
from askdesk.questions.formtoken import form_token
from askdesk.questions.models import Question
from askdesk.readers import selectors
from askdesk.readers.forms import VoteForm
from askdesk.readers.models import RoundOption

register = template.Library()


@register.inclusion_tag("readers/_joinable.html", takes_context=True)
def joinable_questions(context: dict[str, Any], callout: Callout) -> dict[str, Any]:
    """Shortlisted, unanswered questions of a call-out, each with its "I want to know too" form."""
    from askdesk.readers.views import also_ask_form

    joinable = selectors.joinable_questions(callout=callout) if callout.is_open else []
    return {
        "callout": callout,
        "joinable": joinable,
        "also_form": also_ask_form(),
        **_reader_form(context, callout),
        **(_legal(context, callout) if joinable else {}),
    }


def _reader_form(context: dict[str, Any], callout: Callout) -> dict[str, Any]:
    """What readers' small forms carry instead of a CSRF cookie: the same for every reader (docs/security.md)."""
    return {
        "form_token": form_token(callout_id=callout.pk),
        "lang": context.get("lang") or "",
        "embed": bool(context.get("embed")),
    }


def _legal(context: dict[str, Any], callout: Callout) -> dict[str, Any]:
    """The terms and policy a reader accepts, from the page if it has them."""
    if context.get("terms") is not None:
        return {"terms": context.get("terms"), "privacy": context.get("privacy")}
    newsroom = callout.story.newsroom
    return {
        "terms": legal_document_current(newsroom=newsroom, kind=LegalDocument.Kind.TERMS),
        "privacy": legal_document_current(newsroom=newsroom, kind=LegalDocument.Kind.PRIVACY),
    }


@register.inclusion_tag("readers/_also_ask_form.html", takes_context=True)
def also_ask(context: dict[str, Any], question: Question) -> dict[str, Any]:
    """The "I want to know too" form for one question (for the ask-time suggestions and the embed)."""
    from askdesk.readers.views import also_ask_form

    return {
        "question": question,
        "also_form": also_ask_form(),
        **_reader_form(context, question.callout),
        **_legal(context, question.callout),
    }


@register.inclusion_tag("readers/_rounds.html", takes_context=True)
def voting_rounds(context: dict[str, Any], callout: Callout) -> dict[str, Any]:
    """The call-out's open voting rounds, each with its vote form and live results."""
    request = context.get("request")
    rounds = []
    for voting_round in selectors.open_rounds(callout=callout):
        options = list(RoundOption.objects.filter(round=voting_round))
        rounds.append(
            {
                "round": voting_round,
                "form": VoteForm(options=options, auto_id=f"id_round{voting_round.pk}_%s"),
                "results": selectors.round_results(voting_round=voting_round),
            }
        )
    path = request.path if request is not None else ""
    lang = context.get("lang") or ""
    return {
        "rounds": rounds,
        **_reader_form(context, callout),
        # Back to the page the reader voted on, in its language (a cached page is one per language).
        "next": f"{path}?lang={lang}" if path and lang else path,
        "voted": request.GET.get("voted", "") if request is not None else "",
    }


@register.inclusion_tag("readers/_private_reply.html", takes_context=True)
def private_reply(context: dict[str, Any], question: Question, body: str = "", error: str = "") -> dict[str, Any]:
    """Replies sent privately to this question's reader, and the form to write one (or why not)."""
    from askdesk.readers.services import PRIVATE_REPLY_MAX_LENGTH, private_reply_refusal

    return {
        "question": question,
        "replies": selectors.private_replies(question=question),
        "refusal": private_reply_refusal(question=question),
        "max_length": PRIVATE_REPLY_MAX_LENGTH,
        "body": body,
        "error": error,
        "csrf_token": context.get("csrf_token"),
    }
