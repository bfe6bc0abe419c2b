from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet

from askdesk.newsrooms.models import Newsroom
from askdesk.webhooks.models import WebhookDelivery, WebhookEndpoint


def newsroom_endpoints(*, newsroom: Newsroom) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(newsroom=newsroom)


def delivery_log(*, newsroom: Newsroom, limit: int = 50) -> list[WebhookDelivery]:
    """The newsroom's latest deliveries, newest first, with their endpoints."""
    return list(
        WebhookDelivery.objects.filter(endpoint__newsroom=newsroom)
        .select_related("endpoint")
        .defer("payload")
        .order_by("-id")[:limit]
    )


LISTENED_KEY = "askdesk:webhooks:listened"
# How long a process may trust the list of events heard before reading it again. The process
# that changes an endpoint forgets the list at once (``listened_changed``); with a shared cache
# (Redis) so does every other, and with local memory they learn within this time.
LISTENED_SECONDS = 1.0


def listened_events() -> frozenset[str]:
    """The events that some active endpoint, of any newsroom, hears.

    Asked on every reader's submission (is anyone told of it?), so it is kept in the cache for
    ``LISTENED_SECONDS``: one query a second per process instead of one per submission.
    """
    found = cache.get(LISTENED_KEY)
    if isinstance(found, frozenset):
        return found
    rows = WebhookEndpoint.objects.filter(disabled_at__isnull=True).values_list("events", flat=True)
    events = frozenset(name for names in rows for name in names.split())
    cache.set(LISTENED_KEY, events, LISTENED_SECONDS)
    return events


def listened_changed() -> None:
    """An endpoint was registered, disabled or removed: forget the events heard, now and at the commit
    (so a request reading them in between does not keep what was true before)."""
    cache.delete(LISTENED_KEY)
    transaction.on_commit(lambda: cache.delete(LISTENED_KEY))
