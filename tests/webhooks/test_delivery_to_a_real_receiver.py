"""End to end: a question from the public form reaches a real receiver, signed; a receiver that
is down gets the event again, from the worker, once it is back."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from standardwebhooks import Webhook

from askdesk.webhooks.models import WebhookDelivery
from askdesk.webhooks.services import webhook_endpoint_create
from tests.conftest import form_data
from tests.ops.test_background_tasks import DB_TASKS, run_worker_once
from tests.webhooks.receiver import Receiver


def verified(secret: str, message: dict) -> dict:
    """The payload, if the signature checks out with the reference Standard Webhooks library."""
    return Webhook(secret).verify(message["body"], message["headers"])


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS, ASKDESK_WEBHOOK_ALLOW_LOOPBACK=True)
def test_question_reaches_a_real_receiver_signed_and_is_retried_while_it_is_down(client, callout):
    receiver = Receiver()
    port = receiver.port
    try:
        endpoint, secret = webhook_endpoint_create(
            newsroom=callout.story.newsroom, url=receiver.url, events=["question.received"], actor=None
        )
        response = client.post(
            f"/ask/{callout.slug}/", form_data(callout, question="Will Iran retaliate?", email="canary@example.invalid")
        )
        assert response.status_code == 302
        assert receiver.received == [], "delivery happens in the worker, never in the request"

        run_worker_once()
        [message] = receiver.received
        payload = verified(secret, message)
        assert payload["type"] == "question.received"
        assert payload["data"]["question"]["text"] == "Will Iran retaliate?"
        assert payload["data"]["question"]["byline"] == "Sara, 34, Leeds"
        assert "canary" not in message["body"].decode()
        first = WebhookDelivery.objects.get()
        assert first.status == "succeeded" and first.attempts == 1 and first.last_status_code == 204

        receiver.stop()
        client.post(f"/ask/{callout.slug}/", form_data(callout, question="Will oil prices rise?"))
        run_worker_once()
        second = WebhookDelivery.objects.exclude(pk=first.pk).get()
        assert second.status == "pending" and second.attempts == 1 and second.last_status_code is None
        assert second.last_error
        retry = DBTaskResult.objects.get(status="READY", task_path__endswith="deliver_webhook")
        assert retry.run_after > timezone.now(), "the retry waits for its backoff"

        receiver = Receiver(port=port)
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
        run_worker_once()
        second.refresh_from_db()
        assert second.status == "succeeded" and second.attempts == 2
        [message] = receiver.received
        payload = verified(secret, message)
        assert payload["data"]["question"]["text"] == "Will oil prices rise?"
        assert message["headers"]["webhook-id"] == second.message_id
        assert json.loads(message["body"]) == payload
        assert endpoint.pk == second.endpoint_id
    finally:
        receiver.stop()
