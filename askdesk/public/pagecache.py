"""Public pages rendered once per version of their call-out, served from Django's cache.

A page is the same for every reader, so it is rendered without the request (no session, no
cookie, no CSRF token can slip in) and kept under a key naming its call-out's version, the
host it is served on, the reader's language (``?lang=``, else Accept-Language, else the
newsroom's), and the current cache period (counts of received
questions may change without a new version; they are at most one period old). Responses carry
an ETag and Last-Modified, answer conditional requests with 304, and say how long browsers and
CDNs may keep them. One thing on a page is each reader's own: the time the reader form was
shown, put in place of a placeholder as each response is made (``questions.forms.shown_now``).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe

from askdesk.callouts.pages import callout_scope, remember_page
from askdesk.callouts.selectors import PublicState
from askdesk.newsrooms.language import reader_language
from askdesk.questions.forms import shown_now


@dataclass(frozen=True)
class Rendered:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    frameable: bool = False
    # The call-out whose reader form is on the page: each response times it from now (``shown_now``).
    reader_form: int | None = None


@dataclass(frozen=True)
class CachedPage:
    rendered: Rendered
    etag: str


def cache_control() -> str:
    seconds = settings.ASKDESK_PUBLIC_CACHE_SECONDS
    return (
        f"public, max-age={seconds}, s-maxage={seconds}, stale-while-revalidate={settings.ASKDESK_PUBLIC_STALE_SECONDS}"
    )


def page_key(request: HttpRequest, *, kind: str, state: PublicState, variant: str = "") -> str:
    period = int(time.time()) // max(settings.ASKDESK_PUBLIC_CACHE_SECONDS, 1)
    host = request.get_host()
    return f"askdesk:page:{kind}:{state.callout_id}:{state.version}:{variant}:{host}:{period}"


def _not_modified(request: HttpRequest, page: CachedPage, last_modified: int) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return "*" in tags or page.etag in tags
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and last_modified <= since


def serve(
    request: HttpRequest,
    *,
    kind: str,
    state: PublicState,
    render: Callable[[], Rendered],
    variant: str = "",
    scope: str = "",
) -> HttpResponse:
    """The cached page of this version, rendering it first if no process has yet."""
    language, key, page = _cached(request, kind=kind, state=state, variant=variant)
    if page is None:
        with translation.override(language):
            rendered = render()
        digest = hashlib.blake2b(rendered.body, digest_size=12).hexdigest()
        page = CachedPage(rendered=rendered, etag=f'"{digest}"')
        cache.set(key, page, settings.ASKDESK_PUBLIC_CACHE_SECONDS)
        remember_page(scope or callout_scope(state.callout_id, state.version), key)
    unchanged = _answer_304(request, page, state)
    if unchanged is not None:
        return unchanged
    body = page.rendered.body
    if page.rendered.reader_form is not None:
        body = shown_now(body, callout_id=page.rendered.reader_form)
    return _respond(HttpResponse(body, content_type=page.rendered.content_type), page, state)


def not_modified(request: HttpRequest, *, kind: str, state: PublicState) -> HttpResponse | None:
    """``serve``'s 304, when the reader already holds the cached page's version; else None.

    For a page polled often (the live answers): asked before the URL is resolved and before
    the desk's middleware runs, it costs a cache read instead of a request's whole way through.
    """
    _, _, page = _cached(request, kind=kind, state=state)
    return None if page is None else _answer_304(request, page, state)


def _cached(
    request: HttpRequest, *, kind: str, state: PublicState, variant: str = ""
) -> tuple[str, str, CachedPage | None]:
    """The reader's language, the page's cache key, and the page if a process has cached it."""
    language = reader_language(request, default=state.language)
    key = page_key(request, kind=kind, state=state, variant=f"{variant}:{language}")
    page = cache.get(key)
    return language, key, page if isinstance(page, CachedPage) else None


def _answer_304(request: HttpRequest, page: CachedPage, state: PublicState) -> HttpResponse | None:
    """304 Not Modified when the reader's validators match the page; else None."""
    if request.method in {"GET", "HEAD"} and _not_modified(request, page, _last_modified(state)):
        return _respond(HttpResponse(status=304), page, state)
    return None


def _last_modified(state: PublicState) -> int:
    return int(state.changed_at.timestamp())


def _respond(response: HttpResponse, page: CachedPage, state: PublicState) -> HttpResponse:
    for name, value in page.rendered.headers.items():
        response[name] = value
    response["ETag"] = page.etag
    response["Last-Modified"] = http_date(_last_modified(state))
    response["Cache-Control"] = cache_control()
    patch_vary_headers(response, ["Accept-Language"])
    if page.rendered.frameable:
        response.xframe_options_exempt = True
    return response
