"""Error pages a reader may see (404, 429, 500), in the reader's language and the public layout.

Django renders its error pages outside the readers' views, so nothing has chosen a language for
them yet: the browser's ``Accept-Language`` (or ``?lang=``) decides, as on every reader's page.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template.loader import get_template, render_to_string
from django.utils import translation

from askdesk.newsrooms.csp import public_csp
from askdesk.newsrooms.language import reader_language, text_direction
from askdesk.newsrooms.models import Newsroom


def _language(request: HttpRequest, newsroom: Newsroom | None = None) -> str:
    return reader_language(request, default=newsroom.language if newsroom else translation.get_language() or "en")


def reader_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    newsroom: Newsroom | None = None,
    status: int = 200,
    embed: bool = False,
) -> HttpResponse:
    """Render ``template`` in the reader's language (else the newsroom's), in the public layout (no staff links).

    ``embed``: shown inside the newsroom's own page, in the embed layout, framed only by the
    sites the newsroom allowed.
    """
    language = _language(request, newsroom)
    page = {"newsroom": newsroom, **context, "lang": language, "dir": text_direction(language), "embed": embed}
    page["base_template"] = "public/embed_base.html" if embed else "public/base.html"
    with translation.override(language):
        response = HttpResponse(render_to_string(template, page, request=request), status=status)
    if embed and newsroom is not None:
        response["Content-Security-Policy"] = public_csp(newsroom, frameable=True)
        response.xframe_options_exempt = True
    return response


def reader_error_page(request: HttpRequest, template: str, context: dict[str, Any], *, status: int) -> HttpResponse:
    return reader_page(request, template, context, status=status)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler404``: never shows the exception, whose text is written for developers."""
    return reader_error_page(request, "404.html", {}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a plain page with no context processors, as Django's own, translated."""
    language = _language(request)
    with translation.override(language):
        body = get_template("500.html").render({"lang": language, "dir": text_direction(language)})
    return HttpResponseServerError(body)
