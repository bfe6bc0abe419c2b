"""What editors paste into their CMS to embed a call-out."""

from __future__ import annotations

from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse

EMBED_HEIGHT = {"form": 900, "answers": 700}


def site_of(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def embed_snippet(*, site: str, callout_slug: str, what: str, title: str) -> str:
    """The iframe (and the one-line script that sizes it to its content) editors paste in their CMS."""
    name = "public:embed_form" if what == "form" else "public:embed_answers"
    src = site + reverse(name, args=[callout_slug])
    return (
        f'<iframe src="{src}" title="{_attr(title)}" width="100%" height="{EMBED_HEIGHT[what]}" '
        f'style="border:0;width:100%" loading="lazy" data-askdesk-embed></iframe>'
    )


def resize_script(*, site: str) -> str:
    src = static("askdesk/embed.js")
    return f'<script src="{src if src.startswith("http") else site + src}" async></script>'


def _attr(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
