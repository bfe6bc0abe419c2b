"""Welfare or urgent questions: an editor flags them, they are never published or covered, and
the reader gets a private, audited reply by email (a real SMTP server) without the editor ever
seeing the address."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from askdesk.answers.selectors import cover_candidates
from askdesk.answers.services import answer_publish, answer_save
from askdesk.audit.models import AuditEvent
from askdesk.exports.selectors import QUESTION_HEADER, question_rows
from askdesk.privacy.services import reader_data_export
from askdesk.questions.models import Question, QuestionGroup
from askdesk.questions.services import QuestionRefused, question_assign, question_set_welfare
from askdesk.readers.models import OutgoingEmail, PrivateReply
from tests.conftest import login, submit

ADDRESS = "worried.parent@example.net"
PLEA = "My son is in Tehran, please call me"


def _desk(editor) -> Client:
    return login(Client(), editor)


def test_an_editor_flags_a_plea_and_the_reader_gets_a_private_reply_by_email_without_the_address_shown(
    callout, editor, mail_server, committed
):
    question, _ = committed(submit, callout, PLEA, email=ADDRESS)
    mail_server.received.clear()
    desk = _desk(editor)

    response = desk.post(f"/desk/questions/{question.pk}/act/", {"action": "welfare_flag"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.welfare

    reply = "We have passed your message to our Tehran team, who will call you today."
    response = committed(desk.post, f"/desk/questions/{question.pk}/private-reply/", {"body": reply})
    assert response.status_code == 302 and response["Location"] == f"/desk/questions/{question.pk}/"

    [message] = mail_server.received
    assert message["To"] == ADDRESS
    text, html = mail_server.bodies(message)
    assert reply in text and reply in html
    assert PLEA in text
    row = OutgoingEmail.objects.get(kind="private_reply")
    assert row.state == "sent" and row.question_id == question.pk
    assert PrivateReply.objects.get().outbox_id == row.pk

    # Never published, and the editor's pages never show the address.
    assert question.status == Question.Status.NEW
    detail = desk.get(f"/desk/questions/{question.pk}/").content.decode()
    assert reply in detail and "Sent" in detail
    assert ADDRESS not in detail
    assert ADDRESS not in desk.get(f"/desk/questions/{question.pk}/private-reply/").content.decode()
    assert ADDRESS not in desk.get(f"/desk/callouts/{callout.pk}/").content.decode()
    assert reply not in Client().get(f"/answers/{callout.slug}/").content.decode()

    # Audited, in the same trail as every editorial action, without the address or the words.
    actions = list(AuditEvent.objects.filter(object_id=str(question.pk)).values_list("action", flat=True))
    assert {"question.welfare_flag", "question.private_reply", "contact.emailed"} <= set(actions)
    trail = json.dumps(list(AuditEvent.objects.values("actor_label", "action", "object_id", "detail")))
    assert ADDRESS not in trail and reply not in trail
    assert "replied privately to the reader by email" in detail

    # The reader's data export holds the reply, as everything else kept about them.
    exported = reader_data_export(email=ADDRESS, actor=editor)
    assert exported["private_replies"][0]["reply"] == reply


def test_a_reader_who_left_no_email_cannot_be_replied_to_and_the_editor_is_told_so(callout, editor, committed):
    question, _ = submit(callout, PLEA, phone="07700 900123")
    question_set_welfare(question=question, flagged=True, actor=editor)
    desk = _desk(editor)

    page = desk.get(f"/desk/questions/{question.pk}/").content.decode()
    assert "This reader left no email address, so askdesk cannot reply to them." in page
    assert 'name="body"' not in page

    response = committed(desk.post, f"/desk/questions/{question.pk}/private-reply/", {"body": "We will call."})
    assert response.status_code == 400
    assert "left no email address" in response.content.decode()
    assert not PrivateReply.objects.exists() and not OutgoingEmail.objects.exists()
    assert not AuditEvent.objects.filter(action="question.private_reply").exists()


def test_only_a_flagged_question_gets_a_private_reply_and_an_empty_reply_changes_nothing(callout, editor, committed):
    question, _ = submit(callout, PLEA, email=ADDRESS)
    desk = _desk(editor)
    before = OutgoingEmail.objects.count()
    response = desk.post(f"/desk/questions/{question.pk}/private-reply/", {"body": "Hello"})
    assert response.status_code == 400
    assert "Only a question flagged as welfare or urgent" in response.content.decode()

    question_set_welfare(question=question, flagged=True, actor=editor)
    response = desk.post(f"/desk/questions/{question.pk}/private-reply/", {"body": "   "})
    assert response.status_code == 400
    assert "Write the reply first." in response.content.decode()
    assert not PrivateReply.objects.exists() and OutgoingEmail.objects.count() == before


def test_a_flagged_question_is_never_published_nor_ticked_to_be_covered_until_the_flag_is_cleared(
    callout, editor, expert
):
    plea, _ = submit(callout, "Will Iran retaliate? My brother is in Isfahan, please call me")
    other, _ = submit(callout, "Will Iran retaliate against Israel?")
    group = QuestionGroup.objects.create(callout=callout, label="retaliate", size=2)
    Question.objects.filter(pk__in=[plea.pk, other.pk]).update(group=group)
    question_set_welfare(question=plea, flagged=True, actor=editor)

    # Answering the other reader's question does not offer the flagged one by default.
    other.refresh_from_db()
    [candidate] = cover_candidates(question=other)
    assert candidate.question.pk == plea.pk and not candidate.ticked
    assert candidate.why_not == "flagged as welfare or urgent"

    plea.refresh_from_db()
    question_assign(question=plea, expert=expert, actor=editor)
    answer_save(question=plea, expert=expert, body="Iran has said it will not.", submit=True)
    page = login(Client(), editor).get(f"/desk/questions/{plea.pk}/").content.decode()
    assert "Approve and publish" not in page and "not published while flagged" in page
    with pytest.raises(QuestionRefused, match="flagged as welfare or urgent"):
        answer_publish(question=plea, actor=editor)
    assert Question.objects.get(pk=plea.pk).status == Question.Status.ANSWERED

    question_set_welfare(question=plea, flagged=False, actor=editor)
    answer_publish(question=plea, actor=editor)
    assert Question.objects.get(pk=plea.pk).status == Question.Status.PUBLISHED
    actions = set(AuditEvent.objects.filter(object_id=str(plea.pk)).values_list("action", flat=True))
    assert {"question.welfare_flag", "question.welfare_clear"} <= actions


def test_flagged_questions_are_listed_first_in_triage_and_can_all_be_shown(callout, editor):
    plea, _ = submit(callout, PLEA)
    for number in range(12):
        flagged, _ = submit(callout, f"Urgent question number {number}?")
        question_set_welfare(question=flagged, flagged=True, actor=editor)
    submit(callout, "An ordinary question about the strike?")
    question_set_welfare(question=plea, flagged=True, actor=editor)
    desk = _desk(editor)

    page = desk.get(f"/desk/callouts/{callout.pk}/").content.decode()
    welfare_block = page.index('id="welfare-list"')
    assert welfare_block < page.index('class="question-list"')
    assert "Welfare or urgent: more than 10 questions" in page
    assert page.index(PLEA) > welfare_block
    assert "See all flagged questions" in page
    # Exports say which questions are flagged, so they are not published from a spreadsheet either.
    flags = {
        row[0]: row[QUESTION_HEADER.index("Welfare or urgent (not for publication)")]
        for row in question_rows(callout=callout)
    }
    assert flags[plea.pk] is True and list(flags.values()).count(True) == 13
    listed = desk.get(f"/desk/callouts/{callout.pk}/?welfare=1").content.decode()
    block = listed[listed.index('id="welfare-list"') : listed.index("</section>", listed.index('id="welfare-list"'))]
    assert block.count("<li>") == 13 and "Welfare or urgent: 13 questions" in block
    assert "An ordinary question" not in block


def test_the_private_reply_is_framed_in_the_language_the_reader_asked_in(callout, editor, mail_server, committed):
    question, _ = committed(submit, callout, "پسرم در تهران است، لطفاً با من تماس بگیرید", email=ADDRESS, language="fa")
    question_set_welfare(question=question, flagged=True, actor=editor)
    mail_server.received.clear()
    committed(_desk(editor).post, f"/desk/questions/{question.pk}/private-reply/", {"body": "با شما تماس می‌گیریم."})
    [message] = mail_server.received
    assert "پاسخی شخصی" in message["Subject"]
    text, _ = mail_server.bodies(message)
    assert "با شما تماس می‌گیریم." in text and "منتشر نمی‌شود" in text
