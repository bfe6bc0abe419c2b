"""Retention clocks: call-outs close by themselves, and each question's contact details have a clock of their own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from askdesk.analysis import services as analysis
from askdesk.analysis.services import question_analyse
from askdesk.answers.services import answer_publish, answer_save
from askdesk.audit.models import AuditEvent
from askdesk.callouts.models import Callout
from askdesk.callouts.services import callout_create, callout_set_status
from askdesk.privacy.services import retention_apply
from askdesk.questions.models import Question, QuestionGroup, ReaderContact
from askdesk.questions.services import question_assign, question_move, question_transition
from tests.conftest import form_data, submit
from tests.security.traces import database_text

DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _fresh_worker_memory():
    analysis.clear_caches()
    yield
    analysis.clear_caches()


def test_a_callout_closes_30_days_after_opening_by_default_and_readers_are_told(client, callout):
    assert callout.closes_at - callout.created_at == 30 * DAY
    page = client.get(f"/stories/{callout.story.slug}/").content.decode()
    assert f"Questions are taken until {timezone.localtime(callout.closes_at):%-d %B %Y}" in page


def test_each_newsroom_sets_how_long_its_callouts_stay_open(newsroom, callout):
    newsroom.callout_open_days = 7
    newsroom.save(update_fields=["callout_open_days"])
    other = callout_create(story=callout.story, prompt="What else?")
    assert other.closes_at - other.created_at == 7 * DAY


def test_the_daily_run_closes_a_callout_at_its_closing_time_and_the_contact_clock_follows(client, callout, settings):
    settings.ASKDESK_RETAIN_CONTACT_DAYS = 30
    submit(callout, "Undecided question?", email="a@example.com")
    closes_at = callout.closes_at

    assert retention_apply(now=closes_at - DAY).callouts_closed == 0
    # Past its closing time the form takes nothing, even before the daily run.
    callout.closes_at = timezone.now() - DAY
    callout.save(update_fields=["closes_at"])
    assert client.post(f"/ask/{callout.slug}/", form_data(callout)).status_code == 400
    callout.closes_at = closes_at
    callout.save(update_fields=["closes_at"])

    report = retention_apply(now=closes_at + dt.timedelta(minutes=5))
    callout.refresh_from_db()
    assert report.callouts_closed == 1 and callout.status == Callout.Status.CLOSED
    assert callout.closed_at == closes_at + dt.timedelta(minutes=5)
    assert AuditEvent.objects.filter(action="callout.closed", detail__reason="closing time").exists()
    assert ReaderContact.objects.count() == 1
    assert retention_apply(now=closes_at + 31 * DAY).contacts_deleted == 1
    assert not ReaderContact.objects.exists()


def test_reopening_a_callout_gives_it_a_new_closing_time(callout, editor):
    callout_set_status(callout=callout, status="closed", actor=editor)
    callout.closes_at = timezone.now() - DAY
    callout.save(update_fields=["closes_at"])
    callout_set_status(callout=callout, status="open", actor=editor)
    assert callout.is_open and callout.closes_at > timezone.now() + 29 * DAY


@pytest.mark.parametrize("decision", ["reject", "spam", "answered", "published", "covered"])
def test_contact_details_go_a_set_number_of_days_after_the_question_is_decided(
    callout, editor, expert, settings, decision
):
    settings.ASKDESK_RETAIN_CONTACT_AFTER_DECISION_DAYS = 10
    decided, _ = submit(callout, "Will Iran retaliate?", email="decided@example.com")
    waiting, _ = submit(callout, "Will oil prices rise?", email="waiting@example.com")
    if decision in {"reject", "spam"}:
        question_transition(question=decided, action=decision, actor=editor)
    else:
        publish = decided
        if decision == "covered":
            question_analyse(question_id=decided.pk)
            decided.refresh_from_db()
            publish, _ = submit(callout, "Is Iran going to retaliate?")
            question_move(question=publish, target=decided.group, actor=editor)
        question_assign(question=publish, expert=expert, actor=editor)
        answer_save(question=publish, expert=expert, body="Officials say no.", submit=True)
        if decision != "answered":
            answer_publish(question=publish, actor=editor, cover=[decided.pk] if decision == "covered" else [])
    decided.refresh_from_db()
    assert decided.status == {"reject": "rejected"}.get(decision, decision)
    assert decided.decided_at is not None

    assert retention_apply(now=decided.decided_at + 9 * DAY).contacts_deleted == 0
    report = retention_apply(now=decided.decided_at + 10 * DAY + dt.timedelta(minutes=1))
    assert report.contacts_deleted == 1
    assert [c.email for c in ReaderContact.objects.all()] == ["waiting@example.com"]
    assert Question.objects.get(pk=waiting.pk).contact_erased_at is None


def test_a_question_brought_back_for_triage_stops_its_clock(callout, editor, settings):
    settings.ASKDESK_RETAIN_CONTACT_AFTER_DECISION_DAYS = 10
    question, _ = submit(callout, "Will Iran retaliate?", email="a@example.com")
    question_transition(question=question, action="reject", actor=editor)
    question_transition(question=question, action="restore", actor=editor)
    question.refresh_from_db()
    assert question.decided_at is None
    assert retention_apply(now=timezone.now() + 100 * DAY).contacts_deleted == 0


def test_contact_details_typed_into_the_question_are_redacted_by_the_same_clock(callout, editor, settings):
    settings.ASKDESK_RETAIN_CONTACT_AFTER_DECISION_DAYS = 10
    text = "Will flights to Isfahan stop? Call me on 07700 900123 or mail sara.k@example.com"
    question, _ = submit(callout, text)
    question_analyse(question_id=question.pk)
    question.refresh_from_db()
    group = question.group
    assert "900123" in database_text()
    QuestionGroup.objects.filter(pk=group.pk).update(label=text)  # as a label copied from it would be
    question_transition(question=question, action="reject", actor=editor)
    question.refresh_from_db()

    report = retention_apply(now=question.decided_at + 11 * DAY)

    assert report.texts_redacted == 1
    question.refresh_from_db()
    group.refresh_from_db()
    expected = "Will flights to Isfahan stop? Call me on [phone number removed] or mail [email address removed]"
    assert question.text == expected and question.contact_spans == []
    assert group.label == expected
    dump = database_text()
    assert "900123" not in dump and "sara.k@example.com" not in dump
    # Done once: the next day's run finds nothing more to do.
    assert retention_apply(now=question.decided_at + 12 * DAY).texts_redacted == 0


def test_the_form_key_and_sealed_link_are_forgotten_after_a_day(client, callout):
    data = form_data(callout)
    first = client.post(f"/ask/{callout.slug}/", data)
    retention_apply(now=timezone.now() + 2 * DAY)
    question = Question.objects.get()
    assert question.submission_fingerprint is None and question.access_token_sealed == ""
    # The link itself still works; the same form sent again later is a new question.
    assert client.get(first["Location"]).status_code == 200
    second = client.post(f"/ask/{callout.slug}/", data)
    assert second["Location"] != first["Location"] and Question.objects.count() == 2
