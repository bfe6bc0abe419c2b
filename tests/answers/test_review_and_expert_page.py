"""Sending an answer back with a note, fixing it before approval, and what the expert sees."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from askdesk.answers.models import Answer
from askdesk.answers.services import answer_publish, answer_save
from askdesk.audit.models import AuditEvent
from askdesk.questions.services import question_assign, question_edit_wording, question_move
from tests.conftest import login, submit


def answered(callout, editor, expert, text="Will Iran retaliate?", **reader):
    question, _ = submit(callout, text, **reader)
    question_assign(question=question, expert=expert, actor=editor)
    answer_save(question=question, expert=expert, body="Iran has said it has no plans to retaliat.", submit=True)
    return question


def test_the_editor_fixes_a_typo_then_approves_and_the_experts_words_stay_in_the_history(
    editor_client, callout, editor, expert
):
    question = answered(callout, editor, expert)
    fixed = "Iran has said it has no plans to retaliate."
    editor_client.post(reverse("answers:act", args=[question.pk]), {"action": "edit", "body": fixed})
    answer_publish(question=question, actor=editor)
    question.refresh_from_db()
    assert question.status == "published" and question.answer.body == fixed
    event = AuditEvent.objects.get(action="answer.edit")
    assert event.detail["previous"] == "Iran has said it has no plans to retaliat."


def test_saving_an_edit_keeps_the_answer_waiting_for_approval(editor_client, callout, editor, expert):
    question = answered(callout, editor, expert)
    editor_client.post(reverse("answers:act", args=[question.pk]), {"action": "edit", "body": "Better words."})
    answer = Answer.objects.get(question=question)
    assert (answer.body, answer.status, answer.question.status) == ("Better words.", "submitted", "answered")


def test_the_detail_page_offers_a_note_when_sending_back_and_the_expert_reads_it(
    editor_client, callout, editor, expert
):
    question = answered(callout, editor, expert)
    page = editor_client.get(reverse("questions:detail", args=[question.pk])).content.decode()
    assert 'name="note"' in page and 'name="body"' in page
    editor_client.post(
        reverse("answers:act", args=[question.pk]), {"action": "return", "note": "Say what the IAEA found."}
    )
    expert_page = login(Client(), expert.user).get(reverse("answers:edit", args=[question.pk])).content.decode()
    assert "Say what the IAEA found." in expert_page


def test_the_expert_sees_how_many_asked_the_other_wordings_and_the_original(callout, editor, expert):
    question, _ = submit(callout, "will iran retaliate??", name="Sara", location="Leeds", publish_location=False)
    other, _ = submit(callout, "Is Iran going to hit back? Mail me at sara@example.org")
    group = question_move(question=question, target=None, actor=editor)
    question_move(question=other, target=group, actor=editor)
    question_edit_wording(question=question, public_text="Will Iran retaliate?", actor=editor)
    question_assign(question=question, expert=expert, actor=editor)
    page = login(Client(), expert.user).get(reverse("answers:edit", args=[question.pk])).content.decode()
    assert "2 readers asked this" in page
    assert "Is Iran going to hit back?" in page and "sara@example.org" not in page
    assert "will iran retaliate??" in page  # the reader's own words
    assert "Sara" not in page  # experts never see the byline (docs/privacy.md)
    assert "Assigned to you" in page
