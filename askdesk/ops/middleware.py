"""Content-Security-Policy on every response (Django 5.2 has none built in)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
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
