"""Rate limits per API key (and per client address on the public endpoints).

A fixed window counted in Django's cache: ``cache.add`` opens the window, ``cache.incr``
counts in it, atomically on Redis and Memcached (and per process on the local-memory cache).
One function, ``hit``, so it can move into a shared limits module as it is.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'600/m' -> (600, 60); '0/m' or '' means no limit (0, 60)."""
    if not rate:
        return 0, 60
    number, _, unit = rate.partition("/")
    return int(number), UNITS[unit.strip()[:1] or "m"]


def hit(bucket: str, rate: str) -> int | None:
    """Count one request in ``bucket``; None if allowed, else the seconds to wait (Retry-After)."""
    limit, window = parse_rate(rate)
    if limit <= 0:
        return None
    now = time.time()
    start = int(now // window * window)
    key = f"askdesk:rl:{bucket}:{start}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the window expired between add and incr
        cache.add(key, 1, timeout=window + 1)
        count = 1
    if count <= limit:
        return None
    return max(1, math.ceil(start + window - now))


def key_rate() -> str:
    return str(settings.ASKDESK_API_RATE_PER_KEY)


def public_rate() -> str:
    return str(settings.ASKDESK_API_RATE_PUBLIC)


def client_address(request: HttpRequest) -> str:
    """The client's address: behind askdesk's proxy (DJANGO_BEHIND_PROXY), the last X-Forwarded-For
    entry, the one the proxy itself added; a client can forge the others, not that one."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
        if forwarded:
            return forwarded[-1]
    return str(request.META.get("REMOTE_ADDR", ""))
