from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def asked_by(byline: str) -> str:
    """'Asked by Sara, Leeds'; 'Asked by a reader from Norwich' (a byline built as 'A reader ...')."""
    if byline.startswith(("A ", "An ")):
        byline = byline[0].lower() + byline[1:]
    return f"Asked by {byline}"
