from __future__ import annotations

from typing import Any

from django import template

from askdesk.callouts.models import Callout
from askdesk.public.snippets import embed_snippet, resize_script, site_of

register = template.Library()


@register.filter
def asked_by(byline: str) -> str:
    """'Asked by Sara, Leeds'; 'Asked by a reader from Norwich' (a byline built as 'A reader ...')."""
    if byline.startswith(("A ", "An ")):
        byline = byline[0].lower() + byline[1:]
    return f"Asked by {byline}"


@register.inclusion_tag("public/_snippets.html", takes_context=True)
def embed_snippets(context: dict[str, Any], callout: Callout) -> dict[str, Any]:
    """For editors: what to paste into the newsroom's CMS to embed this call-out."""
    site = site_of(context["request"])
    return {
        "form_snippet": embed_snippet(site=site, callout_slug=callout.slug, what="form", title=callout.prompt),
        "answers_snippet": embed_snippet(site=site, callout_slug=callout.slug, what="answers", title=callout.prompt),
        "script": resize_script(site=site),
        "callout": callout,
        "site": site,
    }
