"""Which cached public pages hold a call-out's (or a newsroom's) content, so they can be dropped.

Pages are cached under keys naming their version, so a new version never serves an old page;
but the old pages would stay in the cache until they expire, holding words a reader may just
have deleted. Each cached page is therefore listed under its scope (a call-out's version, or a
newsroom's feeds) with an atomic counter, and ``forget_pages`` deletes them all at once.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache


def callout_scope(callout_id: int, version: str) -> str:
    return f"callout:{callout_id}:{version}"


def newsroom_scope(newsroom_id: int) -> str:
    return f"newsroom:{newsroom_id}"


def _lifetime() -> int:
    return 2 * settings.ASKDESK_PUBLIC_CACHE_SECONDS + 60


def remember_page(scope: str, key: str) -> None:
    """List a cached page under its scope (incr is atomic in local memory and in Redis)."""
    counter = f"askdesk:pages:{scope}"
    cache.add(counter, 0, _lifetime())
    try:
        number = cache.incr(counter)
    except ValueError:  # the counter expired in between: the page expires soon too
        return
    cache.set(f"{counter}:{number}", key, _lifetime())


def forget_pages(scope: str) -> None:
    """Delete every cached page listed under the scope, and the list."""
    counter = f"askdesk:pages:{scope}"
    count = cache.get(counter) or 0
    entries = [f"{counter}:{number}" for number in range(1, count + 1)]
    pages = list(cache.get_many(entries).values())
    cache.delete_many([*pages, *entries, counter])
