"""What a reader's submission reads: little, so that a burst of them needs little CPU (bench/public.py)."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from askdesk.callouts.services import callout_set_status
from askdesk.newsrooms.models import LegalDocument, Newsroom
from askdesk.newsrooms.selectors import legal_document_ids_current
from askdesk.newsrooms.services import legal_document_publish, newsroom_public_changed
from askdesk.questions.models import Question
from askdesk.readers.models import OutgoingEmail
from tests.conftest import form_data


def _post(client, callout, **fields):
    response = client.post(f"/stories/{callout.story.slug}/", form_data(callout, **fields))
    assert response.status_code == 302, response.content[:500]
    return response


def _tables_read(client, callout, **fields) -> str:
    with CaptureQueriesContext(connection) as queries:
        _post(client, callout, **fields)
    return "\n".join(query["sql"] for query in queries.captured_queries)


def test_a_readers_question_costs_one_read_of_the_call_out_and_the_writes_that_store_it(client, callout):
    _post(client, callout)  # the newsroom's terms and its webhooks' events are read once, then kept
    with CaptureQueriesContext(connection) as queries:
        _post(client, callout, question="Will the airspace reopen soon?")
    statements = [query["sql"] for query in queries.captured_queries]
    reads = [sql for sql in statements if sql.startswith("SELECT")]
    assert len(reads) == 1 and 'FROM "callouts_callout"' in reads[0]
    written = {
        sql.split()[2 if sql.startswith("INSERT") else 1].strip('"')
        for sql in statements
        if sql.startswith(("INSERT", "UPDATE"))
    }
    # The question and the three counters (states, the desk's version, arrivals this hour); the
    # analysis task is a row too with the database queue (the tests run tasks at once).
    assert written == {
        "questions_question",
        "questions_calloutstatecount",
        "questions_calloutchangecount",
        "questions_callouthourcount",
    }


def test_a_reader_who_leaves_no_email_is_not_looked_up_for_a_confirmation_email(client, callout):
    _post(client, callout)
    assert "questions_readercontact" not in _tables_read(client, callout, question="Are flights cancelled?")
    assert not OutgoingEmail.objects.exists()


def test_a_reader_who_leaves_an_email_still_gets_the_private_link_by_email(client, callout):
    _post(client, callout, email="sara@example.com")
    assert OutgoingEmail.objects.filter(question=Question.objects.get()).count() == 1


def test_the_terms_and_privacy_policy_are_read_once_per_version_of_the_newsroom(client, callout):
    _post(client, callout)
    assert "newsrooms_legaldocument" not in _tables_read(client, callout, question="Is oil going up?")
    newsroom = callout.story.newsroom
    terms = legal_document_publish(newsroom=newsroom, kind=LegalDocument.Kind.TERMS, version="2", body="New.")
    assert "newsrooms_legaldocument" in _tables_read(client, callout, question="Will schools close?")
    latest = Question.objects.latest("id")
    assert latest.terms_id == terms.pk
    assert latest.privacy_policy.version == "1"


def test_terms_added_in_the_admin_are_what_the_next_reader_consents_to(client, admin_client, callout):
    newsroom = callout.story.newsroom
    LegalDocument.objects.filter(newsroom=newsroom).update(effective_at=timezone.now() - timedelta(hours=1))
    _post(client, callout)
    added = admin_client.post(
        reverse("admin:newsrooms_legaldocument_add"),
        {
            "newsroom": newsroom.pk,
            "kind": "terms",
            "version": "2",
            "body": "Terms added in the admin.",
            "effective_at_0": timezone.localtime().strftime("%Y-%m-%d"),
            "effective_at_1": (timezone.localtime() - timedelta(minutes=1)).strftime("%H:%M:%S"),
        },
    )
    assert added.status_code == 302
    _post(client, callout, question="Will the embassy open?")
    assert Question.objects.latest("id").terms.version == "2"


def test_terms_dated_later_come_into_force_on_their_date_without_another_query(callout):
    newsroom = callout.story.newsroom
    later = timezone.now() + timedelta(days=7)
    first = legal_document_ids_current(newsroom=Newsroom.objects.get(pk=newsroom.pk))
    dated = LegalDocument.objects.create(
        newsroom=newsroom, kind="terms", version="2", body="Later.", effective_at=later
    )
    newsroom_public_changed(newsroom=newsroom)
    fresh = Newsroom.objects.get(pk=newsroom.pk)
    assert legal_document_ids_current(newsroom=fresh) == first
    with CaptureQueriesContext(connection) as queries:
        on_the_day = legal_document_ids_current(newsroom=fresh, now=later + timedelta(seconds=1))
    assert queries.captured_queries == []
    assert on_the_day == {**first, "terms": dated.pk}


def test_the_same_submission_sent_again_after_the_call_out_closed_gets_its_question_back(client, callout, editor):
    data = form_data(callout)
    first = client.post(f"/stories/{callout.story.slug}/", data)
    callout_set_status(callout=callout, status="closed", actor=editor)
    from askdesk.questions.services import question_submit

    question, token, created = question_submit(
        callout=type(callout).objects.get(pk=callout.pk),
        submission_key=data["submission_key"],
        text=data["question"],
        consent=True,
        name=data["name"],
        age=int(data["age"]),
        location=data["location"],
        language="en",
    )
    assert not created
    assert question == Question.objects.get()
    assert first["Location"].startswith(f"/q/{token}/")
