from __future__ import annotations

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
