from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext

from askdesk.callouts.models import Callout
from askdesk.newsrooms.models import LegalDocument
from askdesk.public.snippets import embed_snippet, resize_script, site_of

register = template.Library()


@register.filter
def asked_by(byline: str) -> str:
    """'Asked by Sara, Leeds'; 'Asked by a reader from Norwich' (a byline built as 'A reader ...')."""
    if byline.startswith(("A ", "An ")):
        byline = byline[0].lower() + byline[1:]
    return gettext("Asked by %(byline)s") % {"byline": byline}


@register.simple_tag
def consent_label(terms: LegalDocument | None, privacy: LegalDocument | None) -> str:
    """The consent sentence with links to the versions of the terms and policy the reader accepts."""

    def link(document: LegalDocument | None, text: str) -> str:
        if document is None:
            return text
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', reverse("legal", args=[document.pk]), text
        )

    return format_html(
        gettext("I have read and accept the {terms} and the {privacy}."),
        terms=link(terms, gettext("terms and conditions")),
        privacy=link(privacy, gettext("privacy policy")),
    )


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
