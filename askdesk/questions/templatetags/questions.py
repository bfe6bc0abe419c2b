from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from askdesk.questions import selectors

register = template.Library()

KIND_LABELS = {"email": "email address", "phone": "phone number", "address": "postal address"}


@register.filter
def mark_contact_details(text: str, spans: list[list[Any]]) -> SafeString:
    """The text, escaped, with each contact detail typed into it wrapped in <mark>."""
    out: list[str] = []
    position = 0
    for kind, start, end in sorted(spans or [], key=lambda span: span[1]):
        if start < position or end > len(text):
            continue
        label = KIND_LABELS.get(kind, kind)
        out.append(escape(text[position:start]))
        out.append(f'<mark class="contact-detail" title="{label}">{escape(text[start:end])}</mark>')
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


@register.filter
def language_apart(question: Any, callout_language: str) -> str:
    """The code of the language a question is written in, when it is not the call-out's ("" if it is)."""
    written_in = getattr(question, "text_language", "")
    return selectors.language_apart(text_language=written_in, callout_language=callout_language)


@register.filter
def language_name(code: str) -> str:
    """ "French" for "fr"."""
    return selectors.language_name(code)
