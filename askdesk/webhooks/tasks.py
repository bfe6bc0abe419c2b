"""Webhook work for the task worker: never inside a web request."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from askdesk.ops.tasks import retrying_task
from askdesk.webhooks import services

# Exponential backoff from 30 s, doubling up to 2 h: with the default 20 attempts, about a day.
# The delivery row counts attempts and gives up first; the task allows one more so it never fails.


@retrying_task(
    attempts=settings.ASKDESK_WEBHOOK_ATTEMPTS + 1,
    backoff=timedelta(seconds=30),
    max_backoff=timedelta(hours=2),
    retry_on=(services.DeliveryFailed,),
)
def deliver_webhook(delivery_id: int) -> str:
    return services.webhook_deliver(delivery_id=delivery_id)


@retrying_task(attempts=3, backoff=timedelta(seconds=30))
def check_group_growth(callout_id: int) -> int:
    return services.group_growth_check(callout_id=callout_id)
