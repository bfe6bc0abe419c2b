"""Webhooks: registration, events from the services, payload privacy, signing, ordering, SSRF."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from standardwebhooks import Webhook

from askdesk.answers.services import answer_publish, answer_save, question_unpublish
from askdesk.callouts.services import callout_set_status
from askdesk.questions.models import QuestionGroup
from askdesk.questions.services import question_assign, question_delete_by_reader, question_move
from askdesk.webhooks import services, signing, transport
from askdesk.webhooks.models import WebhookDelivery, WebhookEndpoint
from askdesk.webhooks.services import (
    webhook_deliver,
    webhook_endpoint_create,
    webhook_secret_rotate,
    webhook_settings_set,
)
from tests.conftest import submit
from tests.web.test_public_pages import CANARY_EMAIL, CANARY_FRAGMENTS, CANARY_PHONE

ALL_EVENTS = [
    "question.received",
    "group.grew",
    "answer.published",
    "answer.unpublished",
    "callout.closed",
    "question.deleted",
]


class FakeTransport:
    """Stands in for the one HTTP function: records each call, answers with the next status."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, statuses: list[Any] | None = None) -> None:
        self.calls: list[dict[str, Any]] = []
        self.statuses = list(statuses or [])
        monkeypatch.setattr(transport, "post", self)

    def __call__(self, url: str, body: bytes, headers: dict[str, str], **kwargs: Any) -> transport.Answer:
        self.calls.append({"url": url, "body": body, "headers": headers})
        status = self.statuses.pop(0) if self.statuses else 204
        if isinstance(status, Exception):
            raise status
        return transport.Answer(status=status, body="", retry_after="")

    def events(self) -> list[str]:
        return [json.loads(call["body"])["type"] for call in self.calls]


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> FakeTransport:
    return FakeTransport(monkeypatch)


@pytest.fixture
def endpoint(newsroom) -> tuple[WebhookEndpoint, str]:
    return webhook_endpoint_create(
        newsroom=newsroom, url="https://hooks.example.org/askdesk", events=ALL_EVENTS, actor=None
    )


def test_every_event_is_emitted_from_the_services_with_no_contact_detail_or_withheld_byline(
    django_capture_on_commit_callbacks, sent, endpoint, callout, expert, editor, newsroom
):
    webhook_settings_set(newsroom=newsroom, group_grew_size=2, actor=editor)
    with django_capture_on_commit_callbacks(execute=True):
        question, _ = submit(
            callout,
            f"Is my town safe? Mail {CANARY_EMAIL}",
            email=CANARY_EMAIL,
            phone=CANARY_PHONE,
            name="Zebulon",
            publish_name=False,
            age=51,
            location="Hull",
            publish_location=False,
        )
        other, _ = submit(callout, "Is my city safe?")
    with django_capture_on_commit_callbacks(execute=True):
        target = question_move(question=question, target=None, actor=editor)
        question_move(question=other, target=target, actor=editor)
    with django_capture_on_commit_callbacks(execute=True):
        question_assign(question=question, expert=expert, actor=editor)
        answer_save(question=question, expert=expert, body="Yes.", submit=True)
        question.refresh_from_db()
        from askdesk.questions.services import question_redact_contact_details

        question_redact_contact_details(question=question, actor=editor)
        answer_publish(question=question, actor=editor)
    with django_capture_on_commit_callbacks(execute=True):
        question_unpublish(question=question, actor=editor)
    with django_capture_on_commit_callbacks(execute=True):
        callout_set_status(callout=callout, status="closed", actor=editor)
    with django_capture_on_commit_callbacks(execute=True):
        question_delete_by_reader(question=question)

    assert set(sent.events()) == set(ALL_EVENTS)
    for call in sent.calls:
        body = call["body"].decode()
        for fragment in [*CANARY_FRAGMENTS, "Zebulon", "Hull"]:
            assert fragment not in body, f"{fragment!r} in {json.loads(body)['type']}"
    published = next(json.loads(c["body"]) for c in sent.calls if json.loads(c["body"])["type"] == "answer.published")
    assert published["data"]["question"]["byline"] == "A 51-year-old reader"
    grew = [json.loads(c["body"]) for c in sent.calls if json.loads(c["body"])["type"] == "group.grew"]
    assert len(grew) == 1 and grew[0]["data"]["group"]["size"] == 2 and grew[0]["data"]["threshold"] == 2


def test_no_endpoint_means_no_delivery_and_unsubscribed_events_are_not_sent(
    django_capture_on_commit_callbacks, sent, callout, newsroom
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(callout)
    webhook_endpoint_create(newsroom=newsroom, url="https://hooks.example.org/x", events=["callout.closed"], actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        submit(callout, "Another?")
    assert sent.calls == [] and not WebhookDelivery.objects.exists()


def test_signatures_verify_with_both_secrets_during_a_rotation(
    django_capture_on_commit_callbacks, sent, endpoint, callout
):
    row, old = endpoint
    new = webhook_secret_rotate(endpoint=row, actor=None)
    assert new.startswith("whsec_") and new != old
    with django_capture_on_commit_callbacks(execute=True):
        submit(callout)
    [call] = sent.calls
    assert len(call["headers"]["webhook-signature"].split()) == 2
    for secret in (old, new):
        assert Webhook(secret).verify(call["body"], call["headers"])["type"] == "question.received"


def test_signature_is_over_the_exact_bytes_sent():
    secret = signing.new_secret()
    headers = signing.headers([secret], "msg_1", int(time.time()), b'{"a":1}')
    assert Webhook(secret).verify(b'{"a":1}', headers) == {"a": 1}
    with pytest.raises(Exception, match="signature"):
        Webhook(secret).verify(b'{"a": 1}', headers)


def test_events_of_one_callout_go_out_in_order_when_the_first_fails(monkeypatch, endpoint, callout):
    fake = FakeTransport(monkeypatch, [transport.TransportError("refused"), 204, 204])
    first = services.webhook_event_emit(
        newsroom_id=callout.story.newsroom_id, event="callout.closed", callout_id=callout.pk, data=lambda: {"n": 1}
    )[0]
    second = services.webhook_event_emit(
        newsroom_id=callout.story.newsroom_id, event="callout.closed", callout_id=callout.pk, data=lambda: {"n": 2}
    )[0]
    with pytest.raises(services.DeliveryFailed):
        webhook_deliver(delivery_id=first.pk)
    assert webhook_deliver(delivery_id=second.pk).startswith("waiting")
    assert webhook_deliver(delivery_id=first.pk) == "delivered"
    assert webhook_deliver(delivery_id=second.pk) == "delivered"
    assert [json.loads(c["body"])["data"]["n"] for c in fake.calls] == [1, 1, 2]


def test_a_410_answer_disables_the_endpoint(monkeypatch, endpoint, callout):
    FakeTransport(monkeypatch, [410])
    [delivery] = services.webhook_event_emit(
        newsroom_id=callout.story.newsroom_id, event="callout.closed", callout_id=callout.pk, data=lambda: {}
    )
    assert webhook_deliver(delivery_id=delivery.pk) == "endpoint gone"
    assert not WebhookEndpoint.objects.get().is_active


@override_settings(ASKDESK_WEBHOOK_ATTEMPTS=3)
def test_delivery_gives_up_after_the_last_attempt_and_can_be_redelivered(
    monkeypatch, django_capture_on_commit_callbacks, endpoint, callout, editor_client
):
    FakeTransport(monkeypatch, [500, 500, 500, 204])
    [delivery] = services.webhook_event_emit(
        newsroom_id=callout.story.newsroom_id, event="callout.closed", callout_id=callout.pk, data=lambda: {}
    )
    for _ in range(2):
        with pytest.raises(services.DeliveryFailed):
            webhook_deliver(delivery_id=delivery.pk)
    assert webhook_deliver(delivery_id=delivery.pk) == "gave up"
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.attempts == 3 and delivery.last_status_code == 500
    page = editor_client.get("/desk/webhooks/").content.decode()
    assert delivery.message_id in page and "HTTP 500" in page
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post("/desk/webhooks/", {"action": "redeliver", "delivery": delivery.pk})
    delivery.refresh_from_db()
    assert delivery.status == "succeeded" and delivery.attempts == 1


@override_settings(ASKDESK_WEBHOOK_ALLOW_LOOPBACK=False)
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.10/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[fe80::1]/hook",
        "ftp://example.org/hook",
    ],
)
def test_private_loopback_and_link_local_targets_are_refused_in_production(newsroom, url):
    with pytest.raises(services.WebhookRefused):
        webhook_endpoint_create(newsroom=newsroom, url=url, events=["callout.closed"], actor=None)


@override_settings(ASKDESK_WEBHOOK_ALLOW_LOOPBACK=True)
def test_the_demo_allows_loopback_but_never_other_private_addresses(newsroom):
    webhook_endpoint_create(newsroom=newsroom, url="http://127.0.0.1:9000/hook", events=["callout.closed"], actor=None)
    with pytest.raises(services.WebhookRefused):
        webhook_endpoint_create(newsroom=newsroom, url="http://10.0.0.1/hook", events=["callout.closed"], actor=None)


@override_settings(ASKDESK_WEBHOOK_ALLOW_LOOPBACK=False)
def test_a_host_name_that_resolves_to_a_private_address_is_refused_at_delivery(monkeypatch):
    monkeypatch.setattr(transport.socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("10.0.0.7", 443))])
    with pytest.raises(transport.TargetRefused):
        transport.post("https://internal.example.org/hook", b"{}", {})


def test_an_editor_registers_a_webhook_in_the_desk_and_sees_its_secret_once(editor_client, newsroom):
    page = editor_client.post(
        "/desk/webhooks/",
        {"action": "create", "url": "https://hooks.example.org/desk", "events": ["question.received", "group.grew"]},
    )
    assert page.status_code == 200
    secret = page.context["secret"]["value"]
    assert secret.startswith("whsec_") and secret in page.content.decode()
    assert secret not in editor_client.get("/desk/webhooks/").content.decode()
    assert WebhookEndpoint.objects.get().event_list == ["question.received", "group.grew"]


def test_group_grew_is_sent_once_per_group(django_capture_on_commit_callbacks, sent, endpoint, callout, newsroom):
    webhook_settings_set(newsroom=newsroom, group_grew_size=2, actor=None)
    first, _ = submit(callout, "One?")
    group = QuestionGroup.objects.create(callout=callout, label="g", representative=first, size=2)
    assert services.group_growth_check(callout_id=callout.pk) == 1
    assert services.group_growth_check(callout_id=callout.pk) == 0
    group.size = 5
    group.save()
    assert services.group_growth_check(callout_id=callout.pk) == 0


def test_secrets_stay_readable_after_the_contact_keys_rotate(newsroom, settings, capsys):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    _, secret = webhook_endpoint_create(newsroom=newsroom, url="https://h.example.org/", events=ALL_EVENTS, actor=None)
    old = settings.ASKDESK_CONTACT_KEYS
    settings.ASKDESK_CONTACT_KEYS = [Fernet.generate_key().decode(), *old]
    call_command("rotate_webhook_keys")
    settings.ASKDESK_CONTACT_KEYS = settings.ASKDESK_CONTACT_KEYS[:1]
    assert WebhookEndpoint.objects.get().secret == secret


def test_a_deleted_question_leaves_no_words_in_the_delivery_log_and_is_not_sent(
    monkeypatch, django_capture_on_commit_callbacks, endpoint, callout, expert, editor
):
    from tests.security.traces import database_text

    fake = FakeTransport(monkeypatch)
    # Not yet sent (the worker has not run): the delivery waits with the words in its payload.
    question, _ = submit(callout, "Is the zanzibarcanary bridge safe?")
    delivery = WebhookDelivery.objects.get(event="question.received")
    assert delivery.status == "pending" and "zanzibarcanary" in delivery.payload
    with django_capture_on_commit_callbacks(execute=True):
        question_delete_by_reader(question=question)
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "deleted" in delivery.last_error
    assert "zanzibarcanary" not in database_text()
    deleted = WebhookDelivery.objects.get(event="question.deleted")
    assert json.loads(deleted.payload)["data"]["question"]["id"] == question.pk
    assert [json.loads(call["body"])["type"] for call in fake.calls] == ["question.deleted"]


def test_a_receiver_that_asks_to_wait_is_tried_again_when_it_said(monkeypatch, endpoint, callout, settings):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from tests.ops.test_background_tasks import DB_TASKS

    settings.TASKS = DB_TASKS

    class Busy(FakeTransport):
        def __call__(self, url, body, headers, **kwargs):
            self.calls.append(body)
            return transport.Answer(status=429, body="slow down", retry_after="600")

    Busy(monkeypatch)
    [delivery] = services.webhook_event_emit(
        newsroom_id=callout.story.newsroom_id, event="callout.closed", callout_id=callout.pk, data=lambda: {}
    )
    assert webhook_deliver(delivery_id=delivery.pk).startswith("retry after 600 s")
    retry = DBTaskResult.objects.filter(task_path__endswith="deliver_webhook").order_by("-enqueued_at").first()
    assert retry.run_after > timezone.now() + timedelta(seconds=590)
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.attempts == 1 and delivery.last_status_code == 429
