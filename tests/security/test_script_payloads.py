"""Script payloads in every field a reader fills in come out as text on every page that shows them."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from askdesk.analysis import services as analysis
from askdesk.analysis.services import question_analyse
from askdesk.answers.services import answer_publish, answer_save
from askdesk.questions.models import Question
from askdesk.questions.services import question_assign, question_edit_wording, question_move
from tests.conftest import form_data, login
from tests.security.payloads import EMAIL_PAYLOAD, PAYLOADS, assert_inert, assert_served_as_data, seen, walk


@pytest.fixture(autouse=True)
def _fresh_worker_memory():
    analysis.clear_caches()
    yield
    analysis.clear_caches()


def test_script_payloads_in_every_reader_field_are_shown_escaped_on_every_page(callout, editor, expert):
    editor.user_permissions.add(Permission.objects.get(codename="reveal_readercontact"))
    reader = Client()
    tokens = []
    for number, payload in enumerate(PAYLOADS):
        response = reader.post(
            f"/ask/{callout.slug}/",
            form_data(
                callout,
                question=f"{payload} Will Iran retaliate?",
                name=payload[:100],
                location=payload[:100],
                email=EMAIL_PAYLOAD if number == 0 else "",
            ),
        )
        assert response.status_code == 302, (payload, response.content.decode()[:300])
        tokens.append(response["Location"].split("/q/")[1].split("/")[0])
    questions = list(Question.objects.order_by("pk"))
    assert len(questions) == len(PAYLOADS) and questions[0].contact.email == EMAIL_PAYLOAD
    for question in questions:
        question_analyse(question_id=question.pk)  # group labels are made from the reader's words
    published, edited = questions[0], questions[1]
    question_move(question=edited, target=None, actor=editor)  # a group of its own, labelled with its words
    question_assign(question=published, expert=expert, actor=editor)
    answer_save(question=published, expert=expert, body=PAYLOADS[2], submit=True)
    answer_publish(question=published, actor=editor)
    question_edit_wording(question=edited, public_text=PAYLOADS[4], actor=editor)
    question_assign(question=edited, expert=expert, actor=editor)

    staff = login(Client(), editor)
    answering = login(Client(), expert.user)
    triage = reverse("questions:triage", args=[callout.pk])
    visits = [
        ("story", Client(), f"/stories/{callout.story.slug}/"),
        ("public answers", Client(), reverse("answers:public", args=[callout.slug])),
        ("desk home", staff, "/desk/"),
        ("triage", staff, triage),
        ("triage groups", staff, f"{triage}?view=groups"),
        ("triage search", staff, f"{triage}?q={PAYLOADS[0]}"),
        ("expert queue", answering, reverse("answers:queue")),
        ("answer", answering, reverse("answers:edit", args=[edited.pk])),
    ]
    for token in tokens:
        visits += [("status", reader, f"/q/{token}/"), ("delete", reader, f"/q/{token}/delete/")]
    for question in questions:
        visits.append(("detail", staff, reverse("questions:detail", args=[question.pk])))
    visits.append(("detail for expert", answering, reverse("questions:detail", args=[edited.pk])))
    pages = walk(visits)
    assert all(page.status == 200 for page in pages), [(p.label, p.status) for p in pages if p.status != 200]

    # Pages answered to a POST: the form shown again with what was typed, contact details, the export.
    refused = form_data(
        callout, question=PAYLOADS[1], name=PAYLOADS[6], location=PAYLOADS[7], email=PAYLOADS[0], consent=None
    )
    pages.append(seen("form again", "ask", reader.post(f"/ask/{callout.slug}/", refused)))
    contact_url = reverse("desk:reveal_contact", args=[published.pk])
    pages.append(seen("contact", contact_url, staff.post(contact_url)))
    export = reverse("desk:export_reader_data")
    pages.append(seen("export refused", export, staff.post(export, {"email": PAYLOADS[3]})))
    download = seen("export", export, staff.post(export, {"email": EMAIL_PAYLOAD}))

    # The payloads reached the pages (as text), so the check below means something.
    assert any("askdesk-xss-1" in page.content for page in pages if page.label == "public answers")
    shown = [page for page in pages if page.label in {"detail", "status", "delete", "form again", "contact"}]
    blank = [(p.label, p.url) for p in shown if not any(sign in p.content for sign in ("&lt;", "&quot;", "&#x27;"))]
    assert not blank
    assert_inert(pages)
    assert json.loads(download.content)["questions"][0]["email"] == EMAIL_PAYLOAD
    assert_served_as_data(download)
