"""Call-out settings in the desk, and closing a call-out only after a confirmation."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from askdesk.audit.models import AuditEvent
from askdesk.callouts.models import Callout
from askdesk.questions.services import QuestionRefused
from tests.conftest import submit


def test_closing_a_call_out_asks_for_confirmation_first(editor_client, callout):
    url = reverse("desk:callout_status", args=[callout.pk])
    page = editor_client.get(url + "?status=closed").content.decode()
    assert "Close the call-out?" in page
    callout.refresh_from_db()
    assert callout.status == "open"
    editor_client.post(url, {"status": "closed"})
    callout.refresh_from_db()
    assert callout.status == "closed"


def test_triage_no_longer_has_a_one_click_close_button(editor_client, callout):
    page = editor_client.get(reverse("questions:triage", args=[callout.pk])).content.decode()
    assert 'value="closed"' not in page
    assert reverse("desk:callout_settings", args=[callout.pk]) in page


def test_editors_change_the_prompt_closing_time_contact_rule_and_languages(editor_client, editor, callout):
    closes = (timezone.localtime() + dt.timedelta(days=2)).replace(second=0, microsecond=0)
    response = editor_client.post(
        reverse("desk:callout_settings", args=[callout.pk]),
        {
            "prompt": "What do you want to know about the strike?",
            "publication_note": "We may publish your question.",
            "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
            "require_contact": "on",
            "languages": "en, FA",
        },
    )
    assert response.status_code == 302
    callout = Callout.objects.get(pk=callout.pk)
    assert callout.prompt == "What do you want to know about the strike?"
    assert callout.closes_at == closes and callout.require_contact and callout.languages == "en, fa"
    event = AuditEvent.objects.get(action="callout.update")
    assert set(event.detail["changed"]) == {"prompt", "publication_note", "closes_at", "require_contact", "languages"}


def test_a_wrong_language_code_is_refused_with_a_message(editor_client, callout):
    response = editor_client.post(
        reverse("desk:callout_settings", args=[callout.pk]),
        {"prompt": callout.prompt, "publication_note": "x", "languages": "English!"},
    )
    assert response.status_code == 400
    assert "Give languages as codes" in response.content.decode()


def test_a_call_out_stops_taking_questions_at_its_closing_time(callout):
    callout.closes_at = timezone.now() - dt.timedelta(minutes=1)
    callout.save(update_fields=["closes_at"])
    assert not callout.is_open and callout.state_label == "Closed at its closing time"
    try:
        submit(callout)
    except QuestionRefused as error:
        assert "closed" in " ".join(error.messages)
    else:
        raise AssertionError("a question was taken after the closing time")
