"""The private link is a server secret; the form's idempotency key never leads to anyone's link."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.test import override_settings

from askdesk.questions.links import hash_token
from askdesk.questions.models import Question, ReaderContact
from tests.conftest import form_data
from tests.privacy.test_privacy import raw_database_text


def ask_url(callout):
    return f"/ask/{callout.slug}/"


def token_of(response) -> str:
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"].split("/q/")[1].split("/")[0]


def test_the_private_link_is_random_and_only_its_hash_is_stored(client, callout):
    first = token_of(client.post(ask_url(callout), form_data(callout, question="Will Iran retaliate?")))
    second = token_of(client.post(ask_url(callout), form_data(callout, question="Will Iran retaliate?")))
    assert first != second and len(first) >= 43  # 32 random bytes, url-safe base64
    assert set(Question.objects.values_list("access_token_hash", flat=True)) == {hash_token(first), hash_token(second)}


def test_two_readers_given_the_same_key_by_a_cached_page_each_get_their_own_question_and_link(client, callout):
    shared_key = str(uuid.uuid4())
    sara = client.post(
        ask_url(callout),
        form_data(callout, submission_key=shared_key, question="Will oil prices rise?", email="sara@example.com"),
    )
    omar = client.post(
        ask_url(callout),
        form_data(
            callout,
            submission_key=shared_key,
            question="Is Isfahan safe to visit?",
            name="Omar",
            email="omar@example.com",
        ),
    )
    assert token_of(sara) != token_of(omar)
    assert sorted(Question.objects.values_list("text", flat=True)) == [
        "Is Isfahan safe to visit?",
        "Will oil prices rise?",
    ]
    assert sorted(c.email for c in ReaderContact.objects.all()) == ["omar@example.com", "sara@example.com"]
    omar_page = client.get(f"/q/{token_of(omar)}/").content.decode()
    assert "Is Isfahan safe to visit?" in omar_page and "Will oil prices rise?" not in omar_page


def test_knowing_a_readers_key_and_posting_other_content_gives_no_access_to_their_link(client, callout):
    key = str(uuid.uuid4())
    reader = token_of(
        client.post(ask_url(callout), form_data(callout, submission_key=key, question="Will Iran retaliate?"))
    )
    # The attacker knows the key (a cached page gave it to both) and guesses all but one field.
    changes = [{"question": "Will Iran retaliate soon?"}, {"name": "Sarah"}, {"age": "35"}, {"hide_name": "on"}]
    for change in changes:
        data = form_data(callout, submission_key=key, question="Will Iran retaliate?")
        data.update(change)
        assert token_of(client.post(ask_url(callout), data)) != reader
    assert Question.objects.count() == 1 + len(changes)
    assert Question.objects.filter(access_token_hash=hash_token(reader)).count() == 1


def test_the_same_submission_sent_twice_stores_one_question_and_shows_the_same_link(client, callout):
    data = form_data(callout, email="sara@example.com", phone="07700 900123")
    first = client.post(ask_url(callout), data)
    second = client.post(ask_url(callout), data)
    assert Question.objects.count() == 1 and ReaderContact.objects.count() == 1
    assert token_of(first) == token_of(second)
    assert client.get(second["Location"]).status_code == 200


def test_a_database_dump_holds_no_link_and_nothing_a_link_can_be_derived_from(client, callout):
    key = str(uuid.uuid4())
    token = token_of(client.post(ask_url(callout), form_data(callout, submission_key=key)))
    dump = raw_database_text()
    assert token not in dump
    assert key not in dump and key.replace("-", "") not in dump
    # What is stored of the link is its hash; the sealed copy is not the link, and the
    # fingerprint is a keyed digest, not the key.
    question = Question.objects.get()
    assert question.access_token_hash == hash_token(token)
    assert token not in question.access_token_sealed
    assert key not in (question.submission_fingerprint or "")
    # The key and the exact content, with the dump, open nothing without the server's secret:
    # replaying the whole submission under another secret makes a new question, not this link.
    with override_settings(SECRET_KEY="another-" + settings.SECRET_KEY):
        assert token_of(client.post(ask_url(callout), form_data(callout, submission_key=key))) != token
