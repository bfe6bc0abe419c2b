"""Middleware: Content-Security-Policy, refused methods and charsets, no-store on private pages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.http import HttpRequest, HttpResponseBadRequest, HttpResponseBase, HttpResponseNotAllowed
from django.utils.cache import patch_cache_control
from django.utils.decorators import sync_and_async_middleware

Handler = Callable[[HttpRequest], HttpResponseBase] | Callable[[HttpRequest], Awaitable[HttpResponseBase]]


@sync_and_async_middleware
def content_security_policy(get_response: Handler) -> Handler:
    """Sets ``settings.ASKDESK_CSP`` unless a view set its own policy; works for sync and async stacks."""
    policy: str = settings.ASKDESK_CSP

    def apply(response: HttpResponseBase) -> HttpResponseBase:
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response

    if iscoroutinefunction(get_response):

        async def middleware(request: HttpRequest) -> HttpResponseBase:
            return apply(await get_response(request))

    else:

        def middleware(request: HttpRequest) -> HttpResponseBase:  # type: ignore[misc]
            return apply(get_response(request))  # type: ignore[arg-type]

    return middleware


Before = Callable[[HttpRequest], HttpResponseBase | None]
After = Callable[[HttpRequest, HttpResponseBase], HttpResponseBase]


def _unchanged(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    return response


def answering_early(get_response: Handler, before: Before, after: After = _unchanged) -> Handler:
    """A middleware that may answer early (``before``) and adjusts every response (``after``)."""
    if iscoroutinefunction(get_response):

        async def middleware(request: HttpRequest) -> HttpResponseBase:
            early = before(request)
            return after(request, early if early is not None else await get_response(request))

        return middleware

    def sync_middleware(request: HttpRequest) -> HttpResponseBase:
        early = before(request)
        return after(request, early if early is not None else get_response(request))  # type: ignore[arg-type]

    return sync_middleware


# Methods no page answers: TRACE would echo the request (cookies included) back.
REFUSED_METHODS = {"TRACE", "TRACK", "CONNECT"}
ALLOWED_METHODS = ["GET", "HEAD", "POST", "OPTIONS"]
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def _refuse_bad_requests(request: HttpRequest) -> HttpResponseBase | None:
    if request.method in REFUSED_METHODS:
        return HttpResponseNotAllowed(ALLOWED_METHODS)
    # Django refuses a form body declared in another charset than UTF-8 only when a view (or the
    # CSRF check) reads it, and then as an error: answer 400 here, before anything reads it.
    charset = request.content_params.get("charset") if request.content_params else None
    if request.content_type == "application/x-www-form-urlencoded" and charset and charset.lower() != "utf-8":
        return HttpResponseBadRequest("Forms must be sent as UTF-8.", content_type="text/plain; charset=utf-8")
    # No field of any form holds a NUL: PostgreSQL cannot store one, and no person types it.
    if (
        request.method == "POST"
        and request.content_type in FORM_TYPES
        and any("\x00" in value for _, values in request.POST.lists() for value in values)
    ):
        return HttpResponseBadRequest(
            "A form field holds a NUL character, which no text may contain.", content_type="text/plain; charset=utf-8"
        )
    return None


@sync_and_async_middleware
def request_hygiene(get_response: Handler) -> Handler:
    """405 for TRACE and its kin; 400 for a form body declared in a charset other than UTF-8, or with a NUL."""
    return answering_early(get_response, _refuse_bad_requests)


# Pages that are per reader or per staff member: never stored by a browser or a shared cache.
PRIVATE_PREFIXES = ("/desk/", "/q/", "/admin/", "/joined/", "/unsubscribe/")


def _no_store_if_private(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    if request.path.startswith(PRIVATE_PREFIXES):
        patch_cache_control(response, private=True, no_store=True)
    return response


@sync_and_async_middleware
def private_pages_no_store(get_response: Handler) -> Handler:
    """``Cache-Control: private, no-store`` on the desk and on readers' private links."""
    return answering_early(get_response, lambda request: None, _no_store_if_private)
