"""Whether anyone listens is asked on every reader's submission: kept for a second, forgotten when endpoints change."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from askdesk.webhooks import services, transport
from askdesk.webhooks.models import WebhookDelivery
from askdesk.webhooks.selectors import listened_events
from askdesk.webhooks.services import webhook_deliver, webhook_endpoint_create, webhook_endpoint_delete
from tests.conftest import submit


def _endpoint(newsroom, events):
    endpoint, _ = webhook_endpoint_create(
        newsroom=newsroom, url="https://hooks.example.org/in", events=events, actor=None
    )
    return endpoint


def test_submissions_ask_nothing_of_the_webhooks_table_while_nobody_listens(callout):
    submit(callout, "Will Iran retaliate?")
    with CaptureQueriesContext(connection) as queries:
        submit(callout, "Are flights to Dubai affected?")
    assert not any("webhooks_webhookendpoint" in query["sql"] for query in queries.captured_queries)
    assert not WebhookDelivery.objects.exists()


def test_an_endpoint_registered_between_two_submissions_hears_the_second(callout, newsroom):
    submit(callout, "Will Iran retaliate?")
    assert listened_events() == frozenset()
    _endpoint(newsroom, ["question.received"])
    question, _ = submit(callout, "Are flights to Dubai affected?")
    [delivery] = WebhookDelivery.objects.all()
    assert (delivery.event, delivery.question_id) == ("question.received", question.pk)


def test_an_endpoint_removed_or_gone_is_no_longer_listened_to(monkeypatch, callout, newsroom):
    removed = _endpoint(newsroom, ["question.received"])
    assert listened_events() == {"question.received"}
    webhook_endpoint_delete(endpoint=removed, actor=None)
    assert listened_events() == frozenset()

    _endpoint(newsroom, ["callout.closed", "question.received"])
    assert listened_events() == {"callout.closed", "question.received"}
    monkeypatch.setattr(
        transport, "post", lambda *args, **kwargs: transport.Answer(status=410, body="", retry_after="")
    )
    [delivery] = services.webhook_event_emit(
        newsroom_id=newsroom.pk, event="callout.closed", callout_id=callout.pk, data=lambda: {}
    )
    assert webhook_deliver(delivery_id=delivery.pk) == "endpoint gone"
    assert listened_events() == frozenset()
    submit(callout, "Is the airspace open?")
    assert WebhookDelivery.objects.count() == 1


@pytest.mark.parametrize("event", ["question.received", "answer.published"])
def test_only_events_some_active_endpoint_chose_are_listened_to(newsroom, event):
    _endpoint(newsroom, [event])
    assert listened_events() == {event}
