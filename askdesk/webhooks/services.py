"""Webhook endpoints (registered, rotated, removed), events turned into deliveries, and delivery itself."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from askdesk.audit.services import actor_user, audit_record
from askdesk.callouts.models import Callout
from askdesk.newsrooms.models import Newsroom
from askdesk.ops.tasks import enqueue_on_commit
from askdesk.questions.models import QuestionGroup
from askdesk.webhooks import events as payloads
from askdesk.webhooks import signing, transport
from askdesk.webhooks.models import Event, GroupGrewSent, WebhookDelivery, WebhookEndpoint, WebhookSettings
from askdesk.webhooks.selectors import listened_changed

Status = WebhookDelivery.Status


class WebhookRefused(ValueError):
    """The endpoint cannot be registered as asked; ``field`` names the input at fault."""

    def __init__(self, message: str, *, field: str = "url") -> None:
        super().__init__(message)
        self.field = field


class DeliveryFailed(Exception):
    """An attempt failed in a way worth retrying (no answer, or a non-2xx answer)."""


def parse_events(names: list[str]) -> list[str]:
    unknown = sorted(set(names) - set(Event.values))
    if unknown:
        raise WebhookRefused(f"Unknown event(s): {', '.join(unknown)}.", field="events")
    if not names:
        raise WebhookRefused("Choose at least one event.", field="events")
    return [event for event in Event.values if event in names]


@transaction.atomic
def webhook_endpoint_create(
    *, newsroom: Newsroom, url: str, events: list[str], actor: Any
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it and its signing secret (shown once, then only used to sign)."""
    url = url.strip()
    if len(url) > 500:
        raise WebhookRefused("The URL is longer than 500 characters.")
    try:
        transport.check_url(url)
    except transport.TargetRefused as error:
        raise WebhookRefused(str(error)) from error
    chosen = parse_events(events)
    secret = signing.new_secret()
    endpoint = WebhookEndpoint.objects.create(
        newsroom=newsroom, url=url, events=" ".join(chosen), secret=secret, created_by=actor_user(actor)
    )
    audit_record(actor=actor, action="webhook.create", target=endpoint, url=url, events=chosen)
    listened_changed()
    return endpoint, secret


@transaction.atomic
def webhook_endpoint_delete(*, endpoint: WebhookEndpoint, actor: Any) -> None:
    audit_record(actor=actor, action="webhook.delete", target=endpoint, url=endpoint.url)
    endpoint.delete()
    listened_changed()


@transaction.atomic
def webhook_secret_rotate(*, endpoint: WebhookEndpoint, actor: Any) -> str:
    """A new secret; the old one keeps signing too until ASKDESK_WEBHOOK_ROTATION_HOURS have passed."""
    secret = signing.new_secret()
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = timezone.now() + timedelta(hours=settings.ASKDESK_WEBHOOK_ROTATION_HOURS)
    endpoint.secret = secret
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at"])
    audit_record(actor=actor, action="webhook.rotate_secret", target=endpoint)
    return secret


@transaction.atomic
def webhook_redeliver(*, delivery: WebhookDelivery, actor: Any) -> WebhookDelivery:
    """Send a delivery again (same webhook-id, so receivers can tell it is the same event)."""
    from askdesk.webhooks.tasks import deliver_webhook

    delivery.status = Status.PENDING
    delivery.attempts = 0
    delivery.last_error = ""
    delivery.save(update_fields=["status", "attempts", "last_error"])
    audit_record(actor=actor, action="webhook.redeliver", target=delivery.endpoint, delivery=delivery.message_id)
    enqueue_on_commit(deliver_webhook, delivery_id=delivery.pk)
    return delivery


@transaction.atomic
def webhook_settings_set(*, newsroom: Newsroom, group_grew_size: int, actor: Any) -> WebhookSettings:
    if group_grew_size < 2:
        raise WebhookRefused("A group has at least 2 questions.", field="group_grew_size")
    found, _ = WebhookSettings.objects.update_or_create(
        newsroom=newsroom, defaults={"group_grew_size": group_grew_size}
    )
    audit_record(actor=actor, action="webhook.settings", target=newsroom, group_grew_size=group_grew_size)
    return found


def group_grew_size(newsroom_id: int) -> int:
    found = WebhookSettings.objects.filter(newsroom_id=newsroom_id).values_list("group_grew_size", flat=True).first()
    return int(found) if found is not None else int(settings.ASKDESK_WEBHOOK_GROUP_SIZE)


# --- events --------------------------------------------------------------------------------


def subscribed(newsroom_id: int, event: str) -> list[WebhookEndpoint]:
    rows = WebhookEndpoint.objects.filter(newsroom_id=newsroom_id, disabled_at__isnull=True, events__contains=event)
    return [endpoint for endpoint in rows if event in endpoint.event_list]


def webhook_event_emit(
    *,
    newsroom_id: int,
    event: str,
    callout_id: int | None,
    data: Callable[[], dict[str, Any]],
    question_id: int | None = None,
) -> list[WebhookDelivery]:
    """One delivery per endpoint subscribed to ``event``, sent by the worker once the caller commits.

    ``data`` is called only when some endpoint listens, so an event nobody hears costs one query.
    """
    from askdesk.webhooks.tasks import deliver_webhook

    endpoints = subscribed(newsroom_id, event)
    if not endpoints:
        return []
    now = timezone.now()
    body = json.dumps({"type": event, "timestamp": now.isoformat(), "data": data()}, separators=(",", ":"))
    created = []
    for endpoint in endpoints:
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint,
            event=event,
            message_id=f"msg_{uuid.uuid4().hex}",
            payload=body,
            callout_id=callout_id,
            question_id=question_id,
            created_at=now,
        )
        enqueue_on_commit(deliver_webhook, delivery_id=delivery.pk)
        created.append(delivery)
    return created


@transaction.atomic
def webhook_deliveries_forget_question(*, question_id: int) -> int:
    """A question was deleted: no delivery keeps its words, and none still waiting sends them.

    The log keeps each delivery's event, status and answer; its payload becomes a stub.
    """
    forgotten = 0
    for delivery in WebhookDelivery.objects.filter(question_id=question_id).exclude(event=Event.QUESTION_DELETED):
        delivery.payload = json.dumps({"type": delivery.event, "data": {"question": {"id": question_id}}})
        delivery.question_id = None
        delivery.save(update_fields=["payload", "question_id"])
        if delivery.status == Status.PENDING:
            _finish(delivery, Status.FAILED, "The question was deleted before delivery.")
        forgotten += 1
    return forgotten


def group_growth_check(*, callout_id: int) -> int:
    """Send group.grew for each group of the call-out that reached the newsroom's size; returns how many."""
    callout = Callout.objects.select_related("story").filter(pk=callout_id).first()
    if callout is None:
        return 0
    threshold = group_grew_size(callout.story.newsroom_id)
    sent = 0
    grown = QuestionGroup.objects.filter(callout=callout, size__gte=threshold).select_related("callout")
    for group in grown.exclude(pk__in=GroupGrewSent.objects.values("group_id")):
        try:
            with transaction.atomic():
                GroupGrewSent.objects.create(group=group, size=group.size)
                webhook_event_emit(
                    newsroom_id=callout.story.newsroom_id,
                    event=Event.GROUP_GREW,
                    callout_id=callout.pk,
                    data=lambda group=group: payloads.group_grew(group, threshold=threshold),  # type: ignore[misc]
                )
        except IntegrityError:
            continue  # another worker sent it
        sent += 1
    return sent


# --- delivery --------------------------------------------------------------------------------


def _signing_secrets(endpoint: WebhookEndpoint) -> list[str]:
    found = [endpoint.secret]
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret and expires is not None and expires > timezone.now():
        found.append(endpoint.previous_secret)
    return found


def _waiting_behind(delivery: WebhookDelivery) -> bool:
    """An earlier delivery of the same call-out to the same endpoint is still being tried."""
    if delivery.callout_id is None:
        return False
    recent = timezone.now() - timedelta(hours=settings.ASKDESK_WEBHOOK_RETRY_HOURS + 2)
    return WebhookDelivery.objects.filter(
        endpoint_id=delivery.endpoint_id,
        callout_id=delivery.callout_id,
        status=Status.PENDING,
        pk__lt=delivery.pk,
        created_at__gte=recent,
    ).exists()


def _release_next(delivery: WebhookDelivery) -> None:
    """Start the next delivery of the same call-out that waited for this one."""
    from askdesk.webhooks.tasks import deliver_webhook

    if delivery.callout_id is None:
        return
    following = (
        WebhookDelivery.objects.filter(
            endpoint_id=delivery.endpoint_id, callout_id=delivery.callout_id, status=Status.PENDING, pk__gt=delivery.pk
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if following is not None:
        enqueue_on_commit(deliver_webhook, delivery_id=following)


def _finish(delivery: WebhookDelivery, status: str, error: str = "") -> None:
    delivery.status = status
    if error:
        delivery.last_error = error[:300]
    if status == Status.SUCCEEDED:
        delivery.delivered_at = timezone.now()
    delivery.save(update_fields=["status", "last_error", "delivered_at"])
    _release_next(delivery)


def webhook_deliver(*, delivery_id: int) -> str:
    """One attempt at a delivery; DeliveryFailed if it should be tried again later."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != Status.PENDING:
        return "nothing to do"
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        _finish(delivery, Status.FAILED, "The endpoint is disabled.")
        return "endpoint disabled"
    if _waiting_behind(delivery):
        return "waiting for an earlier event of the call-out"
    now = timezone.now()
    body = delivery.payload.encode()
    headers = signing.headers(_signing_secrets(endpoint), delivery.message_id, int(now.timestamp()), body)
    code: int | None = None
    try:
        answer = transport.post(endpoint.url, body, headers)
    except transport.TargetRefused as error:
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.save(update_fields=["attempts", "last_attempt_at"])
        _finish(delivery, Status.FAILED, str(error))
        return "refused"
    except transport.TransportError as error:
        problem = str(error)
    else:
        code = answer.status
        problem = "" if 200 <= code < 300 else f"HTTP {code}: {answer.body[:200]}"
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = code
    delivery.last_error = problem[:300]
    delivery.save(update_fields=["attempts", "last_attempt_at", "last_status_code", "last_error"])
    if not problem:
        _finish(delivery, Status.SUCCEEDED)
        return "delivered"
    if code == 410:
        # The receiver says it is gone for good: stop sending to it.
        WebhookEndpoint.objects.filter(pk=endpoint.pk).update(disabled_at=now, disabled_reason="Answered 410 Gone")
        listened_changed()
        _finish(delivery, Status.FAILED)
        return "endpoint gone"
    if delivery.attempts >= settings.ASKDESK_WEBHOOK_ATTEMPTS:
        _finish(delivery, Status.FAILED)
        return "gave up"
    wait = _retry_after(answer.retry_after) if code in {429, 503} else None
    if wait is not None:
        from askdesk.webhooks.tasks import deliver_webhook

        if deliver_webhook.get_backend().supports_defer:
            # The receiver said when to come back: that, rather than the backoff schedule.
            deliver_webhook.using(run_after=now + wait).enqueue(delivery_id=delivery.pk)
            return f"retry after {int(wait.total_seconds())} s, as the receiver asked"
    raise DeliveryFailed(problem)


def _retry_after(header: str) -> timedelta | None:
    """A Retry-After in seconds, kept between 1 s and 2 h; None when absent or not a number."""
    try:
        seconds = int(header.strip())
    except ValueError:
        return None
    return timedelta(seconds=min(max(seconds, 1), 7200))


@transaction.atomic
def webhook_secrets_reencrypt() -> int:
    """Write every endpoint's secrets again: the field encrypts with the newest contact key."""
    endpoints = list(WebhookEndpoint.objects.select_for_update())
    for endpoint in endpoints:
        endpoint.save(update_fields=["secret", "previous_secret"])
    return len(endpoints)
