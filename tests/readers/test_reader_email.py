"""Readers are told, by email through a real SMTP server, when they ask and when they are answered."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from askdesk.answers.services import answer_publish, answer_publish_from_story, answer_save, question_unpublish
from askdesk.audit.models import AuditEvent
from askdesk.questions.models import Question, QuestionEvidence, QuestionGroup, ReaderContact
from askdesk.questions.services import hash_token, question_assign
from askdesk.readers.models import OutgoingEmail
from askdesk.readers.services import outbox_sweep
from askdesk.readers.tasks import send_email
from tests.conftest import form_data, submit

ADDRESS = "sara@example.com"


def ask(client, callout, **fields):
    response = client.post(f"/ask/{callout.slug}/", form_data(callout, **fields))
    assert response.status_code == 302, response.content.decode()[:500]
    token = response["Location"].split("/q/")[1].split("/")[0]
    return Question.objects.get(access_token_hash=hash_token(token)), token


def grouped(*questions):
    group = QuestionGroup.objects.create(callout=questions[0].callout, label="retaliate", size=len(questions))
    Question.objects.filter(pk__in=[q.pk for q in questions]).update(group=group)
    return group


def answer(question, expert, editor):
    question_assign(question=question, expert=expert, actor=editor)
    answer_save(question=question, expert=expert, body="Iran has said it has no plans to retaliate.", submit=True)


def test_a_reader_who_left_an_email_gets_their_private_link_right_after_asking(
    client, callout, mail_server, committed, settings
):
    question, token = committed(ask, client, callout, email=ADDRESS)
    [message] = mail_server.received
    assert message["To"] == ADDRESS
    assert "private link" in message["Subject"]
    text, html = mail_server.bodies(message)
    link = settings.ASKDESK_PUBLIC_BASE_URL + f"/q/{token}/"
    assert link in text and f'href="{link}"' in html
    assert "Will Iran retaliate against Israel?" in text and "Will Iran retaliate against Israel?" in html
    row = OutgoingEmail.objects.get(question=question)
    assert row.kind == "confirmation" and row.state == "sent" and row.attempts == 1
    assert message["Message-ID"] == row.message_id
    # The link is not kept with the sent message; only encrypted with the contact, for the answer.
    assert row.secret == ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM readers_outgoingemail")
        assert [r[0] for r in cursor.fetchall()] == [""]
        cursor.execute("SELECT private_link FROM questions_readercontact")
        [(stored,)] = cursor.fetchall()
    assert stored and token not in stored
    assert ReaderContact.objects.get(question=question).private_link == token


def test_every_message_has_plain_text_html_and_one_click_unsubscribe_headers(client, callout, mail_server, committed):
    committed(ask, client, callout, email=ADDRESS)
    [message] = mail_server.received
    assert message.is_multipart()
    assert {part.get_content_type() for part in message.walk()} >= {"text/plain", "text/html"}
    unsubscribe = str(message["List-Unsubscribe"]).strip()
    assert unsubscribe.startswith("<http") and "/unsubscribe/" in unsubscribe
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = mail_server.bodies(message)
    assert unsubscribe.strip("<>") in text and unsubscribe.strip("<>") in html


def test_a_reader_who_left_no_email_is_never_contacted(client, callout, expert, editor, mail_server, committed):
    question, _ = committed(ask, client, callout, phone="07700 900123")
    committed(answer, question, expert, editor)
    committed(answer_publish, question=question, actor=editor)
    assert mail_server.received == []
    assert not OutgoingEmail.objects.exists()


def test_a_reader_is_told_once_when_their_own_question_is_published(
    client, callout, expert, editor, mail_server, committed, settings
):
    question, token = committed(ask, client, callout, email=ADDRESS)
    committed(answer, question, expert, editor)
    committed(answer_publish, question=question, actor=editor)
    assert len(mail_server.received) == 2
    message = mail_server.received[1]
    assert message["Subject"] == "Your question has been answered"
    text, html = mail_server.bodies(message)
    assert "Will Iran retaliate against Israel?" in text
    assert "Iran has said it has no plans to retaliate." in text and "Iran has said it has no plans" in html
    assert f"/answers/{callout.slug}/#q{question.pk}" in text
    assert settings.ASKDESK_PUBLIC_BASE_URL + f"/q/{token}/" in text
    # Sent, the encrypted copy of the private link is deleted.
    assert ReaderContact.objects.get(question=question).private_link == ""
    # Taken down and published again: no second message.
    committed(question_unpublish, question=question, actor=editor)
    committed(answer_publish, question=question, actor=editor)
    assert len(mail_server.received) == 2


def test_readers_of_a_group_are_told_when_its_answer_covers_them(
    callout, expert, editor, mail_server, committed, settings
):
    published, _ = committed(submit, callout, "Will Iran retaliate?")
    covered, token = committed(submit, callout, "Is Iran going to hit back?", email="omar@example.com")
    grouped(published, covered)
    committed(answer, published, expert, editor)
    committed(answer_publish, question=published, actor=editor, cover=[covered.pk])
    answered = [m for m in mail_server.received if m["Subject"] == "Your question has been answered"]
    assert [m["To"] for m in answered] == ["omar@example.com"]
    text, _ = mail_server.bodies(answered[0])
    assert "Is Iran going to hit back?" in text  # their own words
    assert "Other readers asked the same thing" in text and "Will Iran retaliate?" in text
    assert f"#q{published.pk}" in text and f"/q/{token}/" in text


def test_a_reader_is_told_when_the_story_answers_their_question(callout, editor, mail_server, committed):
    question, _ = committed(submit, callout, "Were there casualties?", email=ADDRESS)
    sentence = callout.story.sentences.get(text__icontains="No casualties")
    QuestionEvidence.objects.update_or_create(
        question=question,
        defaults={"answered": True, "confidence": 0.9, "sentences": [[sentence.key, 0.9]], "embedder": "test"},
    )
    committed(answer_publish_from_story, question=question, actor=editor, passage=[sentence.key])
    message = mail_server.received[-1]
    text, _ = mail_server.bodies(message)
    assert "Our story already answers it" in text and "No casualties have been reported" in text


def test_a_refused_message_is_retried_and_arrives_once(client, callout, mail_server, committed):
    mail_server.refuse_next = 2
    question, _ = committed(ask, client, callout, email=ADDRESS)
    assert len(mail_server.received) == 1
    row = OutgoingEmail.objects.get(question=question)
    assert row.state == "sent" and row.attempts == 3


def test_a_message_a_worker_was_sending_when_it_died_is_never_sent_again(callout, mail_server, committed):
    question, _ = submit(callout, email=ADDRESS)  # no commit: the message is queued, not sent
    row = OutgoingEmail.objects.get(question=question)
    # The worker claimed it, handed it to the server, and died before recording that it was sent.
    OutgoingEmail.objects.filter(pk=row.pk).update(
        state="sending", claimed_at=timezone.now() - timedelta(hours=1), attempts=1
    )
    send_email.enqueue(outbox_id=row.pk)
    assert mail_server.received == []
    outbox_sweep()
    row.refresh_from_db()
    assert row.state == "interrupted" and row.secret == ""
    send_email.enqueue(outbox_id=row.pk)
    assert mail_server.received == []


def test_an_operator_sends_an_interrupted_message_again_from_the_admin_and_it_is_audited(
    callout, mail_server, committed, admin_client, admin_user
):
    stuck, token = submit(callout, email=ADDRESS)  # queued, not sent
    fresh, _ = submit(callout, "Is Isfahan safe?", email="li@example.com")
    stuck_row, fresh_row = (OutgoingEmail.objects.get(question=q) for q in (stuck, fresh))
    # One left "sending" by a worker that stopped an hour ago; one claimed a moment ago by a live worker.
    OutgoingEmail.objects.filter(pk=stuck_row.pk).update(
        state="sending", claimed_at=timezone.now() - timedelta(hours=1), attempts=1
    )
    OutgoingEmail.objects.filter(pk=fresh_row.pk).update(state="sending", claimed_at=timezone.now(), attempts=1)
    outbox_sweep()  # the sweep marks the first interrupted (and empties its copy of the link)
    changelist = reverse("admin:readers_outgoingemail_changelist")
    assert "Send again" in admin_client.get(changelist).content.decode()
    response = committed(
        admin_client.post,
        changelist,
        {"action": "requeue", "_selected_action": [stuck_row.pk, fresh_row.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "1 message(s) queued to be sent again." in page and "may still be sending them" in page
    stuck_row.refresh_from_db()
    fresh_row.refresh_from_db()
    assert stuck_row.state == "sent" and fresh_row.state == "sending"
    [message] = mail_server.received
    assert message["To"] == ADDRESS and f"/q/{token}/" in mail_server.bodies(message)[0]
    event = AuditEvent.objects.get(action="email.requeue")
    assert event.actor == admin_user and event.object_id == str(stuck_row.pk)


def test_only_staff_allowed_to_change_the_outbox_may_send_a_message_again(client, callout, editor):
    from django.contrib.auth.models import Permission

    question, _ = submit(callout, email=ADDRESS)
    row = OutgoingEmail.objects.get(question=question)
    OutgoingEmail.objects.filter(pk=row.pk).update(state="interrupted")
    editor.is_staff = True
    editor.save(update_fields=["is_staff"])
    editor.user_permissions.add(Permission.objects.get(codename="view_outgoingemail"))
    client.force_login(editor)
    changelist = reverse("admin:readers_outgoingemail_changelist")
    assert "Send again" not in client.get(changelist).content.decode()
    client.post(changelist, {"action": "requeue", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert row.state == "interrupted" and not AuditEvent.objects.filter(action="email.requeue").exists()


def test_queuing_the_same_message_twice_sends_it_once(callout, mail_server, committed):
    from askdesk.readers.services import reader_confirmation_queue

    question, token = committed(submit, callout, email=ADDRESS)
    assert committed(reader_confirmation_queue, question_id=question.pk, token=token) is None
    row = OutgoingEmail.objects.get(question=question)
    send_email.enqueue(outbox_id=row.pk)  # a second task for the same row, as after a crash
    assert len(mail_server.received) == 1


def test_one_click_unsubscribe_stops_every_message_to_that_address(
    client, callout, expert, editor, mail_server, committed
):
    first, _ = committed(ask, client, callout, email=ADDRESS)
    second, _ = committed(ask, client, callout, question="What is the IAEA?", email="Sara@Example.com")
    url = str(mail_server.received[0]["List-Unsubscribe"]).strip().strip("<>")
    path = url.split("://", 1)[1].split("/", 1)[1]
    mail_client = Client(enforce_csrf_checks=True)
    # A link scanner's GET changes nothing; the mail client's one-click POST (no CSRF token) does.
    assert "Stop all emails" in mail_client.get(f"/{path}").content.decode()
    response = mail_client.post(
        f"/{path}", "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    sent = len(mail_server.received)
    for question in (first, second):
        committed(answer, question, expert, editor)
        committed(answer_publish, question=question, actor=editor)
    assert len(mail_server.received) == sent
    assert set(OutgoingEmail.objects.filter(kind="answered").values_list("state", flat=True)) == {"skipped"}


def test_contact_details_are_decrypted_only_to_send_audited_and_never_logged(
    client, callout, mail_server, committed, caplog
):
    caplog.set_level(logging.DEBUG)
    mail_server.refuse_next = 1
    question, _ = committed(ask, client, callout, email=ADDRESS)
    assert len(mail_server.received) == 1
    # (The test server's own "mail.log" logger records what it receives: that is the other side.)
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith("mail.log")]
    assert ours and not any(ADDRESS in line for line in ours)
    events = AuditEvent.objects.filter(action__startswith="contact.email")
    assert [e.action for e in events.order_by("id")] == ["contact.email_failed", "contact.emailed"]
    assert all(ADDRESS not in str(e.detail) for e in events)
    assert ADDRESS not in OutgoingEmail.objects.get(question=question).last_error


def test_the_email_is_written_in_the_language_of_the_page_the_reader_asked_from(callout, mail_server, committed):
    committed(submit, callout, email=ADDRESS, language="fr")
    [message] = mail_server.received
    assert message["Content-Language"] == "fr"
    _, html = mail_server.bodies(message)
    assert '<html lang="fr" dir="ltr">' in html


def test_the_thank_you_page_says_how_the_reader_will_hear_and_offers_to_copy_the_link(client, callout, committed):
    response = committed(client.post, f"/ask/{callout.slug}/", form_data(callout, email=ADDRESS))
    page = client.get(response["Location"]).content.decode()
    assert "We have emailed you this private link" in page
    assert 'data-copy-target="private-link"' in page and "askdesk/js/copy-link.js" in page
    silent = client.post(f"/ask/{callout.slug}/", form_data(callout))
    page = client.get(silent["Location"]).content.decode()
    assert "You left no email address, so we will not write to you" in page


def test_a_deleted_question_s_pending_message_is_not_sent(client, callout, mail_server):
    question, token = submit(callout, email=ADDRESS)
    row = OutgoingEmail.objects.get(question=question)
    client.post(reverse("questions:delete", args=[token]))
    assert not OutgoingEmail.objects.filter(pk=row.pk).exists()
    send_email.enqueue(outbox_id=row.pk)
    assert mail_server.received == []


def test_the_demo_writes_emails_as_files_under_var_mail_and_production_uses_smtp(tmp_path):
    import subprocess
    import sys

    from tests.ops.test_worker_killed import ROOT, server_env

    show = "from django.conf import settings; print(settings.EMAIL_BACKEND); print(settings.EMAIL_FILE_PATH)"
    env = server_env(tmp_path)
    demo = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", show],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert demo == ["django.core.mail.backends.filebased.EmailBackend", str(tmp_path / "mail")]
    env.update(
        {
            "ASKDESK_ENV": "production",
            "DJANGO_SECRET_KEY": "x" * 60,
            "DJANGO_ALLOWED_HOSTS": "askdesk.example.org",
            "ASKDESK_CONTACT_KEYS": "dGVzdC1jb250YWN0LWtleS0xLTEyMzQ1Njc4OTAxMjM=",
            "ASKDESK_CONTACT_LOOKUP_KEY": "k",
            "DJANGO_EMAIL_HOST": "smtp.example.org",
        }
    )
    show = "from django.conf import settings; print(settings.EMAIL_BACKEND); print(settings.EMAIL_HOST)"
    production = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", show], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert production.stdout.split() == ["django.core.mail.backends.smtp.EmailBackend", "smtp.example.org"], (
        production.stderr[-2000:]
    )
