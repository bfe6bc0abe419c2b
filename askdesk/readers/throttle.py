"""A small rate limit on Django's cache, for the reader-facing posts of this app.

The hook to swap: when ``askdesk.ops.limits`` exists, ``allow`` should call it with the same
scope names ("vote", "also_asked"); the callers stay as they are. Keys hold no address in
clear (they are hashed), and a cache shared by all web processes (set ``CACHES``) makes the
limit hold across them; the default per-process cache makes it per process.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def allow(scope: str, ident: str, *, limit: int, seconds: int) -> bool:
    """True while ``ident`` has made at most ``limit`` requests of ``scope`` in the current window."""
    if limit <= 0:
        return True
    key = "askdesk:limit:" + hashlib.sha256(f"{scope}\n{ident}".encode()).hexdigest()
    cache.add(key, 0, timeout=seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        count = 1
    return count <= limit


def client_address(meta: dict[str, str]) -> str:
    """The client's address as the web server saw it (behind a proxy, the proxy sets REMOTE_ADDR)."""
    return meta.get("REMOTE_ADDR", "")
