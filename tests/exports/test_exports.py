"""Editors take a call-out's questions away as CSV or XLSX; contact details only by a separate, audited action."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from askdesk.answers.services import answer_publish, answer_save
from askdesk.audit.models import AuditEvent
from askdesk.exports.models import Export
from askdesk.questions.services import question_assign, question_move
from tests.conftest import submit

EMAIL = "canary-5e1f@example.invalid"
PHONE = "+447700900777"


@pytest.fixture
def asked(callout, editor, expert):
    """Three readers' questions: one published with its group, one typed with an email address in it."""
    published, _ = submit(
        callout, "Will Iran retaliate?", name="Sara", age=34, location="Leeds", publish_name=False, email=EMAIL
    )
    same, _ = submit(callout, "Is Iran going to strike back?", phone=PHONE)
    submit(callout, f'=HYPERLINK("http://evil") write to me at {EMAIL}', name="Mallory")
    group = question_move(question=published, target=None, actor=editor)
    question_move(question=same, target=group, actor=editor)
    question_assign(question=published, expert=expert, actor=editor)
    answer_save(question=published, expert=expert, body="Iran says it has no plans to.", submit=True)
    answer_publish(question=published, actor=editor, cover=[same.pk])
    return published


def download(client, callout, file_format):
    response = client.post(reverse("exports:callout", args=[callout.pk]), {"format": file_format})
    assert response.status_code == 200
    if file_format == "csv":
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return b"".join(response.streaming_content)


def test_the_csv_export_holds_states_groups_bylines_and_answers_and_no_contact_details(editor_client, callout, asked):
    text = download(editor_client, callout, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 3
    by_id = {int(row["Question id"]): row for row in rows}
    published = by_id[asked.pk]
    assert published["State"] == "Published"
    assert published["Byline (only what the reader allowed)"] == "A 34-year-old reader from Leeds"
    assert published["Answer"] == "Iran says it has no plans to."
    assert published["Readers in the group"] == "2"
    assert published["Published"]
    assert [row["State"] for row in rows].count("Answered with its group") == 1
    assert EMAIL not in text and PHONE not in text and "Sara" not in text


def test_reader_text_cannot_run_as_a_formula_in_a_spreadsheet(editor_client, callout, asked):
    text = download(editor_client, callout, "csv")
    wording = [row["Wording for publication"] for row in csv.DictReader(io.StringIO(text))]
    assert any(value.startswith("'=HYPERLINK") for value in wording)


def test_the_xlsx_export_has_the_same_rows_and_no_formula(editor_client, callout, asked):
    sheet = load_workbook(io.BytesIO(download(editor_client, callout, "xlsx"))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Question id" and len(rows) == 4
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    flat = " ".join(str(value) for row in rows for value in row if value is not None)
    assert EMAIL not in flat and PHONE not in flat
    assert "Iran says it has no plans to." in flat


def test_every_export_is_recorded_for_the_newsroom_and_audited(editor_client, editor, callout, asked):
    download(editor_client, callout, "csv")
    export = Export.objects.get()
    assert (export.newsroom, export.kind, export.format, export.created_by) == (
        callout.story.newsroom,
        "questions",
        "csv",
        editor,
    )
    assert AuditEvent.objects.filter(action="export.questions", actor=editor).count() == 1
    page = editor_client.get(reverse("exports:callout", args=[callout.pk])).content.decode()
    assert "Questions and answers" in page and "Readers&#x27; contact details" not in page


def test_contact_details_export_needs_the_reveal_permission(editor_client, editor, callout, asked):
    url = reverse("exports:contacts", args=[callout.pk])
    assert editor_client.post(url, {"format": "csv"}).status_code == 403
    assert not AuditEvent.objects.filter(action="export.contacts").exists()
    editor.user_permissions.add(Permission.objects.get(codename="reveal_readercontact"))
    response = editor_client.post(url, {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert EMAIL in text and PHONE in text
    assert AuditEvent.objects.filter(action="export.contacts", actor=editor).count() == 1
    assert Export.objects.get(kind="contacts").newsroom == callout.story.newsroom


def test_an_unknown_format_is_refused_with_a_message(editor_client, callout):
    response = editor_client.post(reverse("exports:callout", args=[callout.pk]), {"format": "pdf"}, follow=True)
    assert "Unknown kind of export." in response.content.decode()
    assert not Export.objects.exists()


def test_triage_links_to_the_exports(editor_client, callout):
    page = editor_client.get(reverse("questions:triage", args=[callout.pk])).content.decode()
    assert reverse("exports:callout", args=[callout.pk]) in page
