"""Live triage: open triage pages poll a small version URL that answers 304 while nothing changed."""

from __future__ import annotations

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from askdesk.accounts.models import Role
from askdesk.accounts.services import staff_create
from askdesk.questions.models import CalloutChangeCount, Question, QuestionGroup
from askdesk.questions.services import group_apply, question_move, question_transition
from askdesk.readers.services import also_asked_join
from tests.conftest import PASSWORD, login, submit


def live_url(callout) -> str:
    return reverse("questions:triage_live", args=[callout.pk])


def second_editor(newsroom) -> Client:
    user = staff_create(username="bea", password=PASSWORD, role=Role.EDITOR, newsroom=newsroom)
    return login(Client(), user)


def poll(client: Client, callout, etag: str = ""):
    headers = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
    return client.get(live_url(callout), **headers)


def test_an_unchanged_triage_is_answered_304_without_reading_a_question(editor_client, callout):
    submit(callout, "Will Iran retaliate?")
    first = poll(editor_client, callout)
    assert first.status_code == 200
    assert first.json()["arrivals"] == 1 and first.json()["counts"]["new"] == 1

    with CaptureQueriesContext(connection) as queries:
        again = poll(editor_client, callout, first["ETag"])

    assert again.status_code == 304 and again["ETag"] == first["ETag"] and not again.content
    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert "questions_question" not in read and "questions_calloutstatecount" not in read
    assert "questions_calloutchangecount" in read
    assert "no-store" in again["Cache-Control"]  # a desk answer is never kept by a shared cache


def test_a_readers_new_question_changes_the_version_and_is_counted_as_arrived(editor_client, callout):
    before = poll(editor_client, callout)
    assert before.json() == {"version": 0, "arrivals": 0, "counts": before.json()["counts"]}

    submit(callout, "Is it safe to fly to Tehran?")
    submit(callout, "What is the IAEA?")

    after = poll(editor_client, callout, before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert after.json()["arrivals"] == 2 and after.json()["counts"]["new"] == 2
    assert poll(editor_client, callout, after["ETag"]).status_code == 304


def test_another_editors_actions_change_the_version(editor_client, newsroom, callout, expert, editor):
    question, _ = submit(callout, "Will Iran retaliate?")
    other, _ = submit(callout, "Will the strikes go on?")
    bea = second_editor(newsroom)
    etag = poll(editor_client, callout)["ETag"]

    def changed() -> bool:
        nonlocal etag
        response = poll(editor_client, callout, etag)
        etag = response["ETag"]
        return response.status_code == 200

    act = reverse("questions:act", args=[question.pk])
    bea.post(act, {"action": "shortlist"})
    assert changed()
    assert not changed()  # nothing happened since
    bea.post(act, {"action": "assign", "expert": expert.pk})
    assert changed()
    bea.post(act, {"action": "edit_wording", "public_text": "Will Iran strike back?"})
    assert changed()
    # Groups growing (the worker's grouping, a merge, a move) go through groups_refresh.
    group = QuestionGroup.objects.create(callout=callout)
    question_move(question=other, target=group, actor=editor)
    assert changed()
    group_apply(group=group, action="reject", actor=editor)
    assert changed()
    # Arrivals count only questions, not actions.
    assert poll(editor_client, callout).json()["arrivals"] == 2


def test_the_triage_page_and_the_groups_view_carry_the_version_they_show(editor_client, callout):
    submit(callout, "Will Iran retaliate?")
    etag = poll(editor_client, callout)["ETag"]

    for params in ("", "?view=groups"):
        html = editor_client.get(reverse("questions:triage", args=[callout.pk]) + params).content.decode()
        bar = re.search(r'<div class="live-bar"[^>]*>', html)
        assert bar is not None, params
        assert 'role="status"' in bar.group(0)
        assert f'data-live-url="{live_url(callout)}"' in bar.group(0)
        assert f'data-live-etag="{escape(etag)}"' in bar.group(0)
        assert 'data-live-arrivals="1"' in bar.group(0)


def test_polling_can_be_turned_off(editor_client, callout, settings):
    settings.ASKDESK_DESK_POLL_SECONDS = 0
    html = editor_client.get(reverse("questions:triage", args=[callout.pk])).content.decode()
    assert "desk-live" not in html


def test_the_change_counter_is_kept_in_the_submitting_transaction(callout):
    for number in range(3):
        submit(callout, f"Question {number}?")
    rows = CalloutChangeCount.objects.filter(callout=callout)
    assert sum(row.arrivals for row in rows) == 3 and sum(row.changes for row in rows) == 3


def test_a_reader_joining_a_question_changes_the_version(editor_client, callout, editor):
    question = submit(callout, "Will Iran retaliate?")[0]
    group = QuestionGroup.objects.create(callout=callout, label=question.text, representative=question, size=1)
    Question.objects.filter(pk=question.pk).update(group=group)
    question_transition(question=question, action="shortlist", actor=editor)
    question.refresh_from_db()
    before = poll(editor_client, callout)

    also_asked_join(question=question, reader_id="reader-1", consent=True)

    after = poll(editor_client, callout, before["ETag"])
    assert after.status_code == 200 and after.json()["version"] > before.json()["version"]
