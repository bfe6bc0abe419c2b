"""Webhook registration through the API (keys with the 'webhooks' scope)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from askdesk.api import auth
from askdesk.api.access import not_found
from askdesk.api.integrations import PageQuery, key_of
from askdesk.api.models import ApiKey
from askdesk.api.pagination import paginate
from askdesk.api.problems import INVALID_INPUT, ApiProblem
from askdesk.webhooks.models import WebhookDelivery, WebhookEndpoint
from askdesk.webhooks.services import (
    WebhookRefused,
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_redeliver,
    webhook_secret_rotate,
)

router = Router(tags=["webhooks"], auth=auth.webhooks)

EventName = Literal[
    "question.received", "group.grew", "answer.published", "answer.unpublished", "callout.closed", "question.deleted"
]


class WebhookIn(Schema):
    url: str = Field(min_length=1, max_length=500, description="http(s) URL of the receiver.")
    events: list[EventName] = Field(min_length=1, max_length=6)


class WebhookOut(Schema):
    id: int
    url: str
    events: list[str]
    created_at: datetime
    active: bool
    disabled_reason: str

    @classmethod
    def of(cls, endpoint: WebhookEndpoint) -> WebhookOut:
        return cls(
            id=endpoint.pk,
            url=endpoint.url,
            events=endpoint.event_list,
            created_at=endpoint.created_at,
            active=endpoint.is_active,
            disabled_reason=endpoint.disabled_reason,
        )


class WebhookCreated(WebhookOut):
    secret: str = Field(description="The signing secret (whsec_...). Shown only in this answer.")


class SecretOut(Schema):
    secret: str
    previous_valid_until: datetime | None


class DeliveryOut(Schema):
    id: int
    message_id: str
    event: str
    status: Literal["pending", "succeeded", "failed"]
    attempts: int
    last_status_code: int | None
    last_error: str
    created_at: datetime
    delivered_at: datetime | None

    @classmethod
    def of(cls, delivery: WebhookDelivery) -> DeliveryOut:
        return cls(
            id=delivery.pk,
            message_id=delivery.message_id,
            event=delivery.event,
            status=delivery.status,  # type: ignore[arg-type]
            attempts=delivery.attempts,
            last_status_code=delivery.last_status_code,
            last_error=delivery.last_error,
            created_at=delivery.created_at,
            delivered_at=delivery.delivered_at,
        )


class DeliveryPage(Schema):
    items: list[DeliveryOut]
    next_cursor: str | None


def get_endpoint_for_key(key: ApiKey, pk: int) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(pk=pk, newsroom_id=key.newsroom_id).first()
    if endpoint is None:
        raise not_found("webhook")
    return endpoint


@router.get("/webhooks/", response=list[WebhookOut], summary="Registered webhooks")
def list_webhooks(request: HttpRequest) -> list[WebhookOut]:
    return [WebhookOut.of(e) for e in WebhookEndpoint.objects.filter(newsroom_id=key_of(request).newsroom_id)]


@router.post("/webhooks/", response={201: WebhookCreated}, summary="Register a webhook")
def create_webhook(request: HttpRequest, payload: WebhookIn) -> Status[WebhookCreated]:
    """Register a receiver for some events; the answer holds its signing secret, shown only here."""
    key = key_of(request)
    try:
        endpoint, secret = webhook_endpoint_create(
            newsroom=key.newsroom, url=payload.url, events=list(payload.events), actor=key
        )
    except WebhookRefused as error:
        raise ApiProblem(
            422, str(error), type=INVALID_INPUT, errors=[{"field": f"body.{error.field}", "message": str(error)}]
        ) from error
    return Status(201, WebhookCreated(**WebhookOut.of(endpoint).model_dump(), secret=secret))


@router.delete("/webhooks/{webhook_id}", response={204: None}, summary="Remove a webhook")
def delete_webhook(request: HttpRequest, webhook_id: int) -> Status[None]:
    key = key_of(request)
    webhook_endpoint_delete(endpoint=get_endpoint_for_key(key, webhook_id), actor=key)
    return Status(204, None)


@router.post("/webhooks/{webhook_id}/rotate-secret", response=SecretOut, summary="Rotate the signing secret")
def rotate_secret(request: HttpRequest, webhook_id: int) -> SecretOut:
    """A new secret; deliveries carry signatures with both secrets until the old one expires."""
    key = key_of(request)
    endpoint = get_endpoint_for_key(key, webhook_id)
    secret = webhook_secret_rotate(endpoint=endpoint, actor=key)
    return SecretOut(secret=secret, previous_valid_until=endpoint.previous_secret_expires_at)


@router.get("/webhooks/{webhook_id}/deliveries/", response=DeliveryPage, summary="Delivery log")
def list_deliveries(request: HttpRequest, webhook_id: int, page: Query[PageQuery]) -> DeliveryPage:
    endpoint = get_endpoint_for_key(key_of(request), webhook_id)
    rows, cursor = paginate(
        WebhookDelivery.objects.filter(endpoint=endpoint), order=["-id"], cursor=page.cursor, limit=page.limit
    )
    return DeliveryPage(items=[DeliveryOut.of(d) for d in rows], next_cursor=cursor)


@router.post("/webhooks/deliveries/{delivery_id}/redeliver", response=DeliveryOut, summary="Send a delivery again")
def redeliver(request: HttpRequest, delivery_id: int) -> DeliveryOut:
    key = key_of(request)
    delivery = WebhookDelivery.objects.filter(pk=delivery_id, endpoint__newsroom_id=key.newsroom_id).first()
    if delivery is None:
        raise not_found("delivery")
    webhook_redeliver(delivery=delivery, actor=key)
    delivery.refresh_from_db()
    return DeliveryOut.of(delivery)
