"""The Content-Security-Policy of public pages: the site's policy, with the newsroom's logo and framers."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

from askdesk.newsrooms.models import Newsroom


def public_csp(newsroom: Newsroom, *, frameable: bool) -> str:
    directives = [part.strip() for part in settings.ASKDESK_CSP.split(";") if part.strip()]
    logo = urlsplit(newsroom.logo_url)
    logo_origin = f"{logo.scheme}://{logo.netloc}" if logo.scheme in {"http", "https"} and logo.netloc else ""
    result = []
    for directive in directives:
        name = directive.split()[0]
        if name == "img-src" and logo_origin:
            directive = f"{directive} {logo_origin}"
        if name == "frame-ancestors" and frameable:
            directive = " ".join(["frame-ancestors", "'self'", *newsroom.allowed_origins])
        result.append(directive)
    return "; ".join(result)
