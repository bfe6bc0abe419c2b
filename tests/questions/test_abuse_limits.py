"""Bulk submission: rate limits per client and per call-out, honeypot, minimum fill time, repeated text."""

from __future__ import annotations

import re
import time
from types import SimpleNamespace

import pytest
from django.core import signing
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from askdesk.ops.cache import AtomicDatabaseCache
from askdesk.ops.limits import client_key, public_write_limit
from askdesk.questions import forms
from askdesk.questions.forms import FORM_STARTED_SALT
from askdesk.questions.models import Question
from tests.conftest import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits_on(settings):
    settings.ASKDESK_LIMITS_ENABLED = True
    settings.ASKDESK_RATE_LIMITS = {"ask_client": "3/m", "ask_callout": "100/m"}
    return settings


def reader(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def ask(client: Client, callout, **overrides):
    return client.post(reverse("questions:ask", args=[callout.slug]), form_data(callout, **overrides))


def started(callout, seconds_ago: float) -> str:
    return signing.Signer(salt=FORM_STARTED_SALT).sign(f"{callout.pk}:{time.time() - seconds_ago:.1f}")


def test_a_client_over_its_limit_is_told_to_wait_with_429_and_nothing_is_stored(limits_on, callout):
    client = reader("203.0.113.7")
    answers = [ask(client, callout, question=f"Will Iran retaliate, reader asks ({n})?") for n in range(4)]
    assert [a.status_code for a in answers] == [302, 302, 302, 429]
    page = answers[-1].content.decode()
    assert "several questions in a short time" in page and "Nothing was saved" in page
    assert answers[-1]["Retry-After"]
    assert Question.objects.count() == 3
    # Another reader is not held by the first one's limit.
    assert ask(reader("198.51.100.20"), callout).status_code == 302


def test_a_call_out_over_its_limit_refuses_every_client_with_429(limits_on, callout):
    limits_on.ASKDESK_RATE_LIMITS = {"ask_client": "100/m", "ask_callout": "2/m"}
    codes = [ask(reader(f"198.51.100.{n}"), callout, question=f"Question number {n}?").status_code for n in range(3)]
    assert codes == [302, 302, 429]
    assert Question.objects.count() == 2


def test_limit_counters_are_in_the_shared_database_cache_keyed_without_the_address(limits_on, callout):
    ask(reader("203.0.113.7"), callout)
    assert isinstance(caches["limits"], AtomicDatabaseCache)
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key, value FROM askdesk_limits_cache")
        rows = cursor.fetchall()
    assert rows, "the counters are rows every web process reads"
    assert not any("203.0.113.7" in key or "203.0.113.7" in value for key, value in rows)


def test_the_atomic_increment_counts_and_keeps_the_expiry(db):
    cache = caches["limits"]
    cache.add("counter", 1, timeout=60)
    assert [cache.incr("counter") for _ in range(3)] == [2, 3, 4]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM askdesk_limits_cache WHERE expires > CURRENT_TIMESTAMP")
        assert cursor.fetchone()[0] == 1
    with pytest.raises(ValueError):
        cache.incr("missing")


def test_the_client_key_is_a_keyed_hash_and_ignores_spoofed_forwarded_entries(settings, rf):
    settings.ASKDESK_PROXY_COUNT = 1
    spoofed = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    plain = rf.post("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client_key(spoofed) == client_key(plain)
    assert "203" not in client_key(plain) and len(client_key(plain)) == 32
    settings.ASKDESK_PROXY_COUNT = 0
    assert client_key(plain) != client_key(rf.post("/", REMOTE_ADDR="10.0.0.2"))


def test_a_filled_in_honeypot_is_refused_and_nothing_is_stored(callout, client):
    response = ask(client, callout, website="http://cheap-watches.example")
    assert response.status_code == 400
    assert "Leave the last field empty" in response.content.decode()
    assert not Question.objects.exists()


def test_the_honeypot_is_on_the_page_but_hidden_from_people(client, callout):
    page = client.get(reverse("questions:story", args=[callout.story.slug])).content.decode()
    assert 'name="website"' in page and 'class="ask-extra" aria-hidden="true"' in page
    assert 'name="started"' in page


def test_a_form_sent_faster_than_a_person_types_is_refused(settings, callout, client):
    settings.ASKDESK_FORM_MIN_SECONDS = 3
    too_fast = ask(client, callout, started=started(callout, 0.5))
    assert too_fast.status_code == 400 and "very quick" in too_fast.content.decode()
    forged = ask(client, callout, started=f"{callout.pk}:{time.time() - 60:.1f}:forged")
    assert forged.status_code == 400 and "out of date" in forged.content.decode()
    missing = ask(client, callout, started=None)
    assert missing.status_code == 400
    assert not Question.objects.exists()
    assert ask(client, callout, started=started(callout, 20)).status_code == 302


def test_a_form_sent_the_moment_it_was_shown_is_too_quick_not_out_of_date(settings, callout, client, monkeypatch):
    settings.ASKDESK_FORM_MIN_SECONDS = 3
    monkeypatch.setattr(forms, "time", SimpleNamespace(time=lambda: 1_800_000_000.06))
    shown = forms.form_shown_at(callout_id=callout.pk)
    response = ask(client, callout, started=shown)
    assert response.status_code == 400 and "very quick" in response.content.decode()


def shown_at(page: str) -> str:
    return re.search(r'name="started" value="([^"]+)"', page).group(1)


def test_every_reader_of_the_cached_story_page_is_timed_from_when_they_got_it(settings, callout, client, monkeypatch):
    """The page is rendered once and cached for a minute; the form's start time is each reader's own."""
    settings.ASKDESK_FORM_MIN_SECONDS = 3
    story = reverse("questions:story", args=[callout.story.slug])
    first = client.get(story)
    later = time.time() + 30
    monkeypatch.setattr(forms, "time", SimpleNamespace(time=lambda: later))
    second = client.get(story)
    assert second["ETag"] == first["ETag"], "one cached page served twice"
    assert shown_at(second.content.decode()) != shown_at(first.content.decode())
    embed = client.get(reverse("public:embed_form", args=[callout.slug])).content.decode()
    assert signing.Signer(salt=FORM_STARTED_SALT).unsign(shown_at(embed)) == f"{callout.pk}:{int(later * 10) / 10:.1f}"

    # A script that posts the moment it got the page is refused, however old the cached page is...
    too_fast = ask(client, callout, started=shown_at(second.content.decode()))
    assert too_fast.status_code == 400 and "very quick" in too_fast.content.decode()
    assert not Question.objects.exists()
    # ...and a reader who took their time is not.
    assert ask(client, callout, started=shown_at(first.content.decode())).status_code == 302
    # A page rendered for one reader (back from voting) carries a real start time too.
    voted = client.get(story, {"voted": "1"}).content.decode()
    assert ask(client, callout, question="Why now?", started=shown_at(voted)).status_code == 400


def test_the_same_text_again_from_one_client_is_stored_as_spam_and_kept_out_of_triage(
    limits_on, callout, editor_client
):
    client = reader("203.0.113.7")
    text = "Buy followers now at example dot com"
    assert ask(client, callout, question=text).status_code == 302
    assert ask(client, callout, question="  BUY followers now at example dot com ").status_code == 302
    assert ask(reader("198.51.100.20"), callout, question=text).status_code == 302
    assert sorted(Question.objects.values_list("status", flat=True)) == ["new", "new", "spam"]

    triage = reverse("questions:triage", args=[callout.pk])
    default = editor_client.get(triage).context["page"].object_list
    assert {q.status for q in default} == {"new"}
    spam = editor_client.get(triage, {"status": "spam"}).context["page"].object_list
    assert len(spam) == 1


def test_the_public_write_decorator_limits_writes_per_client_and_leaves_reads_alone(limits_on, rf):
    """What other public writes (votes, "me too", suggestions) use."""
    limits_on.ASKDESK_RATE_LIMITS = {"vote_client": "2/m"}

    @public_write_limit("vote_client")
    def vote(request):
        return HttpResponse("counted")

    def post(address):
        return vote(rf.post("/vote/", REMOTE_ADDR=address)).status_code

    assert [post("203.0.113.7") for _ in range(3)] == [200, 200, 429]
    assert post("198.51.100.20") == 200
    assert vote(rf.get("/vote/", REMOTE_ADDR="203.0.113.7")).status_code == 200
