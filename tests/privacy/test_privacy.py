import datetime as dt
import json
import sys
from io import StringIO
from unittest import mock

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.views.debug import ExceptionReporter

from askdesk.answers.services import answer_publish, answer_save
from askdesk.audit.models import AuditEvent
from askdesk.callouts.services import callout_set_status
from askdesk.privacy.services import retention_apply
from askdesk.questions.crypto import _keyring
from askdesk.questions.models import Question, ReaderContact
from askdesk.questions.services import QuestionRefused, question_assign, question_submit
from tests.conftest import form_data, submit

CANARY_EMAIL = "canary-9d1c@example.invalid"
CANARY_PHONE = "+447700900555"


@pytest.fixture
def contact_editor(editor):
    editor.user_permissions.add(Permission.objects.get(codename="reveal_readercontact"))
    return editor


def raw_database_text() -> str:
    """Every row of every table as the database holds it: what a leaked dump would show."""
    chunks = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(model._meta.db_table)}")
            chunks.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(chunks)


def test_a_database_dump_without_the_key_reveals_no_contact_detail(callout):
    submit(callout, email=CANARY_EMAIL, phone=CANARY_PHONE)
    dump = raw_database_text()
    assert "canary-9d1c" not in dump and "7700900555" not in dump
    contact = ReaderContact.objects.get()
    assert (contact.email, contact.phone) == (CANARY_EMAIL, CANARY_PHONE)


def test_rotating_keys_re_encrypts_so_the_old_key_can_be_dropped(callout, settings):
    old_key = settings.ASKDESK_CONTACT_KEYS[0]
    submit(callout, email=CANARY_EMAIL)
    new_key = Fernet.generate_key().decode()
    settings.ASKDESK_CONTACT_KEYS = [new_key, old_key]
    out = StringIO()
    call_command("rotate_contact_keys", stdout=out)
    assert "1 questions" in out.getvalue()
    settings.ASKDESK_CONTACT_KEYS = [new_key]
    _keyring.cache_clear()
    assert ReaderContact.objects.get().email == CANARY_EMAIL


def test_contact_details_are_shown_only_to_staff_allowed_and_each_view_is_logged(
    client, editor, contact_editor, expert, callout
):
    question, _ = submit(callout, email=CANARY_EMAIL)
    url = reverse("desk:reveal_contact", args=[question.pk])
    allowed = Client()
    allowed.force_login(contact_editor)
    page = allowed.post(url).content.decode()
    assert CANARY_EMAIL in page
    event = AuditEvent.objects.get(action="contact.view")
    assert event.actor == contact_editor and event.object_id == str(question.pk)
    # The detail page offers the button only to those allowed, and never shows the value itself.
    detail = allowed.get(reverse("questions:detail", args=[question.pk])).content.decode()
    assert "Show email and phone" in detail and CANARY_EMAIL not in detail

    contact_editor.user_permissions.clear()
    other_editor = Client()
    other_editor.force_login(type(editor).objects.get(pk=editor.pk))
    assert other_editor.post(url).status_code == 403
    expert_client = Client()
    expert_client.force_login(expert.user)
    assert expert_client.post(url).status_code == 403
    assert AuditEvent.objects.filter(action="contact.view").count() == 1


def test_contact_details_typed_into_the_question_are_highlighted_and_block_publication(
    editor_client, editor, callout, expert
):
    question, _ = submit(callout, "Will it reach Leeds? Call me on 07700 900123 or mail sara@example.com")
    assert [kind for kind, _, _ in question.contact_spans] == ["phone", "email"]
    detail = editor_client.get(reverse("questions:detail", args=[question.pk])).content.decode()
    assert '<mark class="contact-detail" title="phone number">07700 900123</mark>' in detail
    triage = editor_client.get(reverse("questions:triage", args=[callout.pk])).content.decode()
    assert "Contact details in text" in triage

    question_assign(question=question, expert=expert, actor=editor)
    answer_save(question=question, expert=expert, body="Unlikely, officials say.", submit=True)
    with pytest.raises(QuestionRefused, match="contact details"):
        answer_publish(question=question, actor=editor)

    editor_client.post(reverse("questions:act", args=[question.pk]), {"action": "redact"})
    question.refresh_from_db()
    assert question.public_text == (
        "Will it reach Leeds? Call me on [phone number removed] or mail [email address removed]"
    )
    assert question.text.endswith("sara@example.com")  # the reader's original is kept
    answer_publish(question=question, actor=editor)
    public = editor_client.get(reverse("answers:public", args=[callout.slug])).content.decode()
    assert "[phone number removed]" in public and "900123" not in public and "sara@example.com" not in public
    assert AuditEvent.objects.filter(action="question.redact", object_id=str(question.pk)).exists()


def test_editing_the_wording_back_to_contact_details_is_caught_again(editor_client, callout):
    question, _ = submit(callout, "Is Isfahan safe?")
    assert question.contact_spans == []
    editor_client.post(
        reverse("questions:act", args=[question.pk]),
        {"action": "edit_wording", "public_text": "Is Isfahan safe? Text me: +44 7700 900123"},
    )
    question.refresh_from_db()
    assert question.contact_spans and question.contact_spans[0][0] == "phone"


def test_retention_deletes_contacts_then_unpublished_questions_of_closed_callouts(callout, editor, expert, settings):
    settings.ASKDESK_RETAIN_CONTACT_DAYS = 30
    settings.ASKDESK_RETAIN_UNPUBLISHED_DAYS = 90
    kept, _ = submit(callout, "Published one?", email="a@example.com")
    question_assign(question=kept, expert=expert, actor=editor)
    answer_save(question=kept, expert=expert, body="Yes.", submit=True)
    answer_publish(question=kept, actor=editor)
    submit(callout, "Never published?", phone="+447700900123")
    callout_set_status(callout=callout, status="closed", actor=editor)
    closed_at = callout.closed_at

    assert retention_apply(now=closed_at + dt.timedelta(days=29)).contacts_deleted == 0
    report = retention_apply(now=closed_at + dt.timedelta(days=31))
    assert (report.contacts_deleted, report.questions_deleted) == (2, 0)
    assert not ReaderContact.objects.exists() and Question.objects.count() == 2

    report = retention_apply(now=closed_at + dt.timedelta(days=91))
    assert report.questions_deleted == 1
    assert list(Question.objects.values_list("text", flat=True)) == ["Published one?"]
    assert AuditEvent.objects.filter(action="retention.delete_questions").exists()


def test_retention_leaves_undecided_questions_of_open_callouts_alone(callout):
    submit(callout, email="a@example.com")
    report = retention_apply(now=callout.closes_at - dt.timedelta(minutes=1))
    assert (report.contacts_deleted, report.questions_deleted, report.callouts_closed) == (0, 0, 0)


def test_apply_retention_command_reports_what_it_deleted(callout):
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "Deleted 0 readers' contact details" in out.getvalue()


def test_staff_export_everything_held_about_one_email_address(contact_editor, callout):
    submit(callout, "First?", email="Sara@Example.com", name="Sara", age=34)
    submit(callout, "Second?", email="sara@example.com ", phone="+447700900123")
    submit(callout, "Someone else's?", email="omar@example.com")
    client = Client()
    client.force_login(contact_editor)
    response = client.post(reverse("desk:export_reader_data"), {"email": "SARA@example.com"})
    assert response["Content-Disposition"] == 'attachment; filename="reader-data.json"'
    data = json.loads(response.content)
    assert [q["question"] for q in data["questions"]] == ["First?", "Second?"]
    assert data["questions"][0]["name"] == "Sara" and data["questions"][1]["phone"] == "+447700900123"
    assert data["questions"][0]["consent"]["terms_version"] == "1"
    assert AuditEvent.objects.filter(action="reader.export").count() == 2


def test_export_without_an_email_is_refused_with_a_message(contact_editor, callout):
    client = Client()
    client.force_login(contact_editor)
    response = client.post(reverse("desk:export_reader_data"), {"email": ""})
    assert response.status_code == 400
    assert "Give the email address" in response.content.decode()


def test_error_reports_never_carry_contact_details(client, callout, settings):
    settings.ADMINS = [("Ops", "ops@example.invalid")]
    client.raise_request_exception = False
    with mock.patch("askdesk.questions.services.question_submit", side_effect=RuntimeError("database on fire")):
        response = client.post(
            f"/ask/{callout.slug}/", form_data(callout, email=CANARY_EMAIL, phone="+44 7700 900555", name="Sara")
        )
    assert response.status_code == 500
    assert len(mail.outbox) == 1
    report = mail.outbox[0].body + "".join(str(alt[0]) for alt in getattr(mail.outbox[0], "alternatives", []))
    assert "database on fire" in report
    assert "canary-9d1c" not in report and "900555" not in report


def test_the_audit_trail_is_read_only_in_the_admin(admin_client, callout):
    submit(callout)
    event = AuditEvent.objects.first()
    assert admin_client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert (
        admin_client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_export_page_is_in_the_desk_menu_only_for_staff_allowed(contact_editor, editor_client, callout):
    menu_link = 'href="/desk/privacy/export/"'
    assert menu_link in editor_client.get("/desk/").content.decode()
    contact_editor.user_permissions.clear()
    other = Client()
    other.force_login(type(contact_editor).objects.get(pk=contact_editor.pk))
    assert menu_link not in other.get("/desk/").content.decode()
    assert other.get(reverse("desk:export_reader_data")).status_code == 403


def test_an_error_inside_the_submit_service_reports_no_contact_detail_from_its_variables(callout):
    # Fails after the service has gathered the submission (the digest input holds the email);
    # the full report (as Sentry or an HTML error mail shows it) lists every frame's variables.
    with mock.patch("askdesk.questions.links.Submission.fingerprint", side_effect=RuntimeError("disk on fire")):
        try:
            question_submit(
                callout=callout, submission_key="k", text="Why?", consent=True, email=CANARY_EMAIL, phone=CANARY_PHONE
            )
        except RuntimeError:
            report = ExceptionReporter(None, *sys.exc_info()).get_traceback_html()
    assert "disk on fire" in report and "question_submit" in report
    # (Compared through the constants: the report also quotes this test's own source lines.)
    assert CANARY_EMAIL not in report and CANARY_PHONE not in report


def test_an_error_while_storing_a_question_or_a_join_reports_no_contact_detail(callout, editor):
    from askdesk.questions.models import QuestionGroup
    from askdesk.questions.services import question_transition
    from askdesk.readers.services import also_asked_join

    # Fails inside the idempotent insert (questions.services.insert_once), where the stored
    # values are the variables of a nested function.
    with mock.patch("askdesk.questions.services.arrival_count_add", side_effect=RuntimeError("disk on fire")):
        try:
            question_submit(
                callout=callout, submission_key="k", text="Why?", consent=True, email=CANARY_EMAIL, phone=CANARY_PHONE
            )
        except RuntimeError:
            report = ExceptionReporter(None, *sys.exc_info()).get_traceback_html()
    assert "disk on fire" in report and "store" in report
    assert CANARY_EMAIL not in report and CANARY_PHONE not in report

    question, _ = submit(callout)
    group = QuestionGroup.objects.create(callout=callout, label="Why?", representative=question, size=1)
    Question.objects.filter(pk=question.pk).update(group=group)
    question_transition(question=Question.objects.get(pk=question.pk), action="shortlist", actor=editor)
    with mock.patch("askdesk.readers.services.audit_record", side_effect=RuntimeError("disk on fire")):
        try:
            also_asked_join(
                question=Question.objects.get(pk=question.pk), reader_id="r", consent=True, email=CANARY_EMAIL
            )
        except RuntimeError:
            report = ExceptionReporter(None, *sys.exc_info()).get_traceback_html()
    assert "disk on fire" in report and "store" in report
    assert CANARY_EMAIL not in report
