""" "I want to know too": a reader joins a question already asked instead of writing it again."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from askdesk.answers.services import answer_publish, answer_save
from askdesk.audit.models import AuditEvent
from askdesk.questions.formtoken import form_token
from askdesk.questions.models import Question, QuestionGroup
from askdesk.questions.services import question_assign, question_transition
from askdesk.readers.models import AlsoAsked
from askdesk.readers.services import also_asked_join
from tests.conftest import submit


def shortlisted(callout, editor, text="Will Iran retaliate?", size=1, **reader):
    question, _ = submit(callout, text, **reader)
    group = QuestionGroup.objects.create(callout=callout, label=text, representative=question, size=size)
    Question.objects.filter(pk=question.pk).update(group=group)
    question_transition(question=question, action="shortlist", actor=editor)
    question.refresh_from_db()
    return question


def join(client, question, **fields):
    data = {"consent": "on", "email": "", "form_token": form_token(callout_id=question.callout_id)}
    data.update(fields)
    return client.post(
        reverse("readers:also_ask", args=[question.pk]), {k: v for k, v in data.items() if v is not None}
    )


def test_the_answers_page_offers_shortlisted_unanswered_questions_to_join_with_their_count(client, callout, editor):
    question = shortlisted(callout, editor, size=13)
    shortlisted(callout, editor, "Call me on 07700 900123 about Iran?")  # wording with contact details: not shown
    submit(callout, "A new question nobody chose yet?")
    page = client.get(reverse("answers:public", args=[callout.slug])).content.decode()
    assert "Will Iran retaliate?" in page and "13 readers asked this" in page
    assert f'action="/also/{question.pk}/?lang=' in page and "I want to know too" in page
    assert "07700" not in page and "nobody chose yet" not in page


def test_joining_counts_the_reader_stores_only_consent_and_gives_a_private_link(client, callout, editor):
    question = shortlisted(callout, editor, size=13)
    response = join(client, question)
    assert response.status_code == 302
    token = response["Location"].split("/joined/")[1].split("/")[0]
    joined = AlsoAsked.objects.get()
    assert joined.question == question and joined.email == "" and joined.email_digest == ""
    assert joined.terms.kind == "terms" and joined.privacy_policy.kind == "privacy" and joined.consented_at
    assert token not in joined.access_token_hash
    thanks = client.get(response["Location"]).content.decode()
    assert "Thank you, you have been added to this question" in thanks and "14 readers asked this." in thanks
    assert f"/joined/{token}/" in thanks and "You left no email address" in thanks
    page = client.get(reverse("answers:public", args=[callout.slug])).content.decode()
    assert "14 readers asked this" in page
    assert AuditEvent.objects.filter(action="question.also_asked", object_id=str(question.pk)).exists()


def test_joining_needs_consent_and_stores_nothing_without_it(client, callout, editor):
    question = shortlisted(callout, editor)
    response = join(client, question, consent=None)
    assert response.status_code == 400
    assert "Tick the box to accept the terms" in response.content.decode()
    assert not AlsoAsked.objects.exists()


def test_a_browser_joins_a_question_once_and_readers_of_one_cached_page_each_join(client, callout, editor):
    question = shortlisted(callout, editor)
    join(client, question)
    again = join(client, question)
    assert AlsoAsked.objects.count() == 1
    assert "already added" in again.content.decode()
    # The form is the same for everyone (the page can be cached): another reader is another join.
    assert join(Client(), question).status_code == 302
    assert AlsoAsked.objects.count() == 2


def test_a_reader_who_joined_with_an_email_gets_the_link_and_is_told_when_it_is_answered(
    client, callout, editor, expert, mail_server, django_capture_on_commit_callbacks
):
    question = shortlisted(callout, editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = join(client, question, email="li@example.com")
    token = response["Location"].split("/joined/")[1].split("/")[0]
    [confirmation] = mail_server.received
    text, _ = mail_server.bodies(confirmation)
    assert confirmation["To"] == "li@example.com" and f"/joined/{token}/" in text
    assert "You asked to be told when this question is answered" in text
    with django_capture_on_commit_callbacks(execute=True):
        question_assign(question=question, expert=expert, actor=editor)
        answer_save(question=question, expert=expert, body="Not for now, officials say.", submit=True)
        answer_publish(question=question, actor=editor)
    answered = mail_server.received[-1]
    assert answered["Subject"] == "Your question has been answered" and answered["To"] == "li@example.com"
    text, _ = mail_server.bodies(answered)
    assert "Not for now, officials say." in text and f"/joined/{token}/" in text
    assert "Will Iran retaliate?" in text and "Other readers asked the same thing" not in text
    assert AlsoAsked.objects.get().private_link == ""


def test_a_reader_who_joined_deletes_their_details_with_the_private_link(client, callout, editor):
    question = shortlisted(callout, editor)
    response = join(client, question, email="li@example.com")
    token = response["Location"].split("/joined/")[1].split("/")[0]
    assert "Delete my details" in client.get(reverse("readers:joined_delete", args=[token])).content.decode()
    client.post(reverse("readers:joined_delete", args=[token]))
    assert not AlsoAsked.objects.exists()
    assert client.get(reverse("readers:joined", args=[token])).status_code == 404
    assert Question.objects.filter(pk=question.pk).exists()


def test_a_rejected_question_cannot_be_joined(callout, editor):
    question = shortlisted(callout, editor)
    question_transition(question=question, action="reject", actor=editor)
    question.refresh_from_db()
    with pytest.raises(Exception, match="can no longer be joined"):
        also_asked_join(question=question, reader_id="someone", consent=True)


def test_joining_is_rate_limited_per_address(client, callout, editor, settings):
    settings.ASKDESK_LIMITS_ENABLED = True
    settings.ASKDESK_RATE_LIMITS = {**settings.ASKDESK_RATE_LIMITS, "also_asked_client": "2/h"}
    question = shortlisted(callout, editor)
    statuses = [join(Client(), question).status_code for _ in range(4)]
    assert statuses == [302, 302, 429, 429]
    assert AlsoAsked.objects.count() == 2


def test_the_form_partial_can_be_shown_wherever_a_similar_question_is(rf, callout, editor):
    from django.template import Context, Template

    question = shortlisted(callout, editor)
    html = Template("{% load readers %}{% also_ask question %}").render(Context({"question": question}))
    assert (
        f'action="/also/{question.pk}/?lang=' in html
        and 'name="consent"' in html
        and "terms and conditions</a>" in html
    )


def test_triage_counts_readers_who_joined_in_their_group(client, editor_client, callout, editor):
    question = shortlisted(callout, editor, size=3)
    join(client, question)
    page = editor_client.get(reverse("questions:triage", args=[callout.pk]) + "?view=groups").content.decode()
    assert "4 readers asked this" in page and "(1 without writing it again)" in page


def test_a_data_export_includes_questions_joined_and_votes_and_retention_deletes_them(client, callout, editor):
    from datetime import timedelta

    from django.utils import timezone

    from askdesk.callouts.services import callout_set_status
    from askdesk.privacy.services import reader_data_export
    from askdesk.readers.services import readers_retention_apply

    question = shortlisted(callout, editor)
    join(client, question, email="Li@Example.com")
    exported = reader_data_export(email="li@example.com", actor=editor)
    assert [row["question_id"] for row in exported["also_asked"]] == [question.pk]
    assert exported["also_asked"][0]["consent"]["terms_version"] == "1"
    callout_set_status(callout=callout, status="closed", actor=editor)
    readers_retention_apply(now=timezone.now() + timedelta(days=31))
    joined = AlsoAsked.objects.get()
    assert (joined.email, joined.email_digest, joined.private_link) == ("", "", "")
    assert reader_data_export(email="li@example.com", actor=editor)["also_asked"] == []


def test_the_private_page_of_a_reader_who_joined_is_never_stored_by_caches(client, callout, editor):
    response = join(client, shortlisted(callout, editor))
    page = client.get(response["Location"])
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]


def test_the_answers_page_counts_readers_who_joined_among_the_other_readers_who_asked(client, callout, editor, expert):
    question = shortlisted(callout, editor, size=2)
    other, _ = submit(callout, "Is Iran going to strike back?")
    Question.objects.filter(pk=other.pk).update(group=question.group)
    question_transition(question=Question.objects.get(pk=other.pk), action="shortlist", actor=editor)
    join(Client(), question)
    join(Client(), question)
    join(Client(), Question.objects.get(pk=other.pk))  # joined the question the answer covers
    question_assign(question=question, expert=expert, actor=editor)
    answer_save(question=question, expert=expert, body="Not for now, officials say.", submit=True)
    answer_publish(question=question, actor=editor, cover=[other.pk])
    page = client.get(reverse("answers:public", args=[callout.slug])).content.decode()
    # The covered question's reader, the two who joined it, and the one who joined the covered question.
    assert "and 4 other readers" in page
    # The API counts the same readers as the page.
    [item] = client.get(f"/api/v1/callouts/{callout.slug}/answers/").json()["items"]
    assert item["id"] == question.pk and item["also_asked"] == 4
