"""Abuse limits for every public write: rate limits per client and per target, and repeated text.

Counters live in Django's cache alias ``limits`` (``settings.ASKDESK_LIMITS_CACHE``, by default
``askdesk.ops.cache.AtomicDatabaseCache``: a table in the one database, with an atomic
increment), so a limit holds across web processes and machines. Counting is django-ratelimit's.

Each limit has a name in ``settings.ASKDESK_RATE_LIMITS``: one or more rates such as
``"5/m,30/h"`` (per second, minute, hour or day). Public writes use it in one of two ways:

    from askdesk.ops.limits import limit_exceeded, public_write_limit, too_many_requests

    @public_write_limit("vote_client")          # a view: POSTs over the limit get a 429 page
    def vote(request, pk): ...

    if limit_exceeded(request, "ask_callout", target=f"callout:{callout.pk}"):
        return too_many_requests(request)       # inside a view, for a per-target limit

The client is identified by a keyed hash of its address (``client_key``); no address is stored.
Behind a proxy (``DJANGO_BEHIND_PROXY``), the address is taken from ``X-Forwarded-For``
counting ``ASKDESK_PROXY_COUNT`` entries from the right, since entries on the left are
whatever the client sent.
"""

from __future__ import annotations

import functools
import hmac
import ipaddress
import logging
import unicodedata
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy
from django_ratelimit.core import get_usage

from askdesk.ops.errors import reader_error_page

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

logger = logging.getLogger(__name__)

CACHE_ALIAS = "limits"
DEFAULT_MESSAGE = gettext_lazy(
    "You have sent a lot in a short time, so we have paused what you can send from here. "
    "Please wait a few minutes and try again."
)
View = TypeVar("View", bound=Callable[..., HttpResponse])


def client_address(request: HttpRequest) -> str:
    """The client's address: the proxy's view of it when behind trusted proxies, else the peer."""
    address = request.META.get("REMOTE_ADDR", "") or ""
    proxies = int(getattr(settings, "ASKDESK_PROXY_COUNT", 0))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            address = hops[-proxies]
    return address


def _network(address: str) -> str:
    """IPv6 clients are counted per /64 (one household or phone gets a whole /64)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def client_key(request: HttpRequest) -> str:
    """A keyed hash of the client's address: stable for a limit window, useless without SECRET_KEY."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"askdesk.limits.client:{_network(client_address(request))}".encode(), "sha256"
    )
    return digest.hexdigest()[:32]


def _rates(name: str) -> list[str]:
    configured = settings.ASKDESK_RATE_LIMITS.get(name, "")
    return [rate.strip() for rate in configured.split(",") if rate.strip()]


def limit_exceeded(request: HttpRequest, name: str, *, target: str = "") -> bool:
    """Count one use of the limit ``name`` and say whether it is now over any of its rates.

    Without ``target`` the count is per client; with one (e.g. ``"callout:12"``) it is shared by
    every client writing to that target. Unknown names and empty rates never limit.
    """
    if not settings.ASKDESK_LIMITS_ENABLED:
        return False
    value = target or client_key(request)
    over = False
    for rate in _rates(name):
        usage = get_usage(
            request, group=f"askdesk:{name}", key=lambda _group, _request: value, rate=rate, increment=True
        )
        if usage is not None and usage["should_limit"]:
            over = True
    if over:
        logger.warning("limit %s reached (%s)", name, "target " + target if target else "one client")
    return over


def limit_wait(request: HttpRequest, name: str, *, target: str = "") -> int | None:
    """Like ``limit_exceeded``, for APIs: None when allowed, else the seconds until the fullest
    window ends (for ``Retry-After``)."""
    if not settings.ASKDESK_LIMITS_ENABLED:
        return None
    value = target or client_key(request)
    wait: int | None = None
    for rate in _rates(name):
        usage = get_usage(
            request, group=f"askdesk:{name}", key=lambda _group, _request: value, rate=rate, increment=True
        )
        if usage is not None and usage["should_limit"]:
            wait = max(wait or 1, int(usage["time_left"]))
    return wait


def repeated_text(request: HttpRequest, text: str, *, scope: str) -> bool:
    """True when this client already sent the same text (ignoring case and spacing) to ``scope`` lately.

    Only a keyed hash of client and text is kept, for ``ASKDESK_REPEAT_WINDOW_SECONDS``.
    """
    if not settings.ASKDESK_LIMITS_ENABLED:
        return False
    normal = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"askdesk.limits.text:{scope}:{client_key(request)}:{normal}".encode(), "sha256"
    ).hexdigest()
    cache = caches[CACHE_ALIAS]
    key = f"askdesk:repeat:{digest[:40]}"
    first_time = cache.add(key, 1, timeout=settings.ASKDESK_REPEAT_WINDOW_SECONDS)
    return not first_time


def too_many_requests(
    request: HttpRequest, message: StrOrPromise = DEFAULT_MESSAGE, *, retry_after: int = 60, reader: bool = True
) -> HttpResponse:
    """The 429 page: says what happened and when to try again; nothing was stored.

    A reader's (``reader``) is in the reader's language and the public layout; staff get the desk's.
    """
    if reader:
        response = reader_error_page(request, "ops/too_many_requests.html", {"message": message}, status=429)
    else:
        body = render_to_string("ops/too_many_requests.html", {"message": message}, request=request)
        response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def public_write_limit(*names: str, message: StrOrPromise = DEFAULT_MESSAGE) -> Callable[[View], View]:
    """Decorate a view: a POST (or other write) over any of the per-client limits ``names`` gets a 429."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in {"GET", "HEAD", "OPTIONS"}:
                # Every limit counts the request, so a client over one is held by all.
                over = [name for name in names if limit_exceeded(request, name)]
                if over:
                    return too_many_requests(request, message)
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate
