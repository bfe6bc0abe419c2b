from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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
