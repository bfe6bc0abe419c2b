"""Help while the reader types: what the suggestion endpoint answers, and what it never keeps."""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from askdesk.analysis import services as analysis
from askdesk.answers.services import answer_publish, answer_save
from askdesk.audit.models import AuditEvent
from askdesk.questions.models import Question
from askdesk.questions.services import question_assign
from askdesk.readers import suggestions
from tests.conftest import submit

CASUALTIES = "Were there casualties reported in the strike?"
RETALIATE = "Will Iran retaliate against Israel for the strike?"


@pytest.fixture(autouse=True)
def fresh_caches():
    analysis.clear_caches()
    suggestions.clear_caches()
    yield
    analysis.clear_caches()
    suggestions.clear_caches()


def analysed(callout, text, **fields):
    """A reader's question, embedded and grouped as the worker does."""
    question, _ = submit(callout, text, **fields)
    analysis.question_analyse(question_id=question.pk)
    question.refresh_from_db()
    return question


@pytest.fixture
def published(callout, editor, expert):
    question = analysed(callout, RETALIATE)
    question_assign(question=question, expert=expert, actor=editor)
    answer_save(question=question, expert=expert, body="Officials say there are no plans to.", submit=True)
    return answer_publish(question=question, actor=editor)


def suggest(client, callout, text):
    response = client.post(reverse("answers:suggest", args=[callout.slug]), {"question": text})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return response


def test_the_story_passage_that_may_answer_comes_with_its_anchor_in_the_story(client, callout):
    data = suggest(client, callout, CASUALTIES).json()
    sentence = callout.story.sentences.get(text="No casualties have been reported.")
    assert data["story"] == [
        {"text": sentence.text, "url": f"{reverse('questions:story', args=[callout.story.slug])}#{sentence.key}"}
    ]


def test_published_answers_of_the_nearest_question_are_linked(client, callout, published):
    data = suggest(client, callout, "Will Iran retaliate against Israel?").json()
    assert data["similar"] == [
        {"text": RETALIATE, "url": f"{reverse('answers:public', args=[callout.slug])}#q{published.pk}"}
    ]
    # A question far from every published one gets no link.
    assert suggest(client, callout, "How do I bake sourdough bread at home?").json()["similar"] == []


def test_a_question_covered_by_a_published_answer_leads_to_that_answer(client, callout, editor, expert):
    first = analysed(callout, "What did the IAEA say about the nuclear sites?")
    other = analysed(callout, "Will the oil price go up after the strike on Isfahan?")
    question_assign(question=first, expert=expert, actor=editor)
    answer_save(question=first, expert=expert, body="That they were not damaged.", submit=True)
    answer_publish(question=first, actor=editor, cover=[other.pk])
    data = suggest(client, callout, "Will the oil price go up now?").json()
    assert [item["text"] for item in data["similar"]] == [first.display_text]  # never the covered reader's words


def test_nothing_typed_is_stored_logged_or_sent_back(client, callout, published, caplog):
    typed = "Will Iran retaliate against Israel? Email me at sara.reader@example.org or call 07700 900123"
    before = (Question.objects.count(), AuditEvent.objects.count())
    caplog.set_level(logging.DEBUG)
    with CaptureQueriesContext(connection) as queries:
        body = suggest(client, callout, typed).content.decode()
    writes = [q["sql"] for q in queries if q["sql"].lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
    assert (Question.objects.count(), AuditEvent.objects.count()) == before
    for fragment in ("sara.reader", "example.org", "07700", "900123", "Email me"):
        assert fragment not in body
        assert all(fragment not in q["sql"] for q in queries)
        assert fragment not in caplog.text
    assert RETALIATE in body  # the published wording, which is public already


def test_contact_details_are_cut_out_before_matching(monkeypatch, client, callout):
    seen = []
    real = suggestions.suggestion_embedder()

    class Spy:
        name, dim = real.name, real.dim

        def embed(self, texts):
            seen.extend(texts)
            return real.embed(texts)

    monkeypatch.setattr(suggestions, "suggestion_embedder", lambda: Spy())
    suggest(client, callout, "Could someone call me on 07700 900123 about the strike on Isfahan?")
    assert seen and all("900123" not in text for text in seen)
    assert seen[0] == "Could someone call me on about the strike on Isfahan?"


def test_a_few_words_or_a_closed_callout_get_no_suggestions(client, callout):
    assert suggest(client, callout, "casualties?").json() == {"story": [], "similar": [], "waiting": []}
    callout.status = "closed"
    callout.save(update_fields=["status"])
    assert suggest(client, callout, CASUALTIES).json() == {"story": [], "similar": [], "waiting": []}


def test_the_endpoint_takes_the_draft_only_in_a_post_body(client, callout):
    url = reverse("answers:suggest", args=[callout.slug])
    assert client.get(url, {"question": CASUALTIES}).status_code == 405


def test_the_form_asks_for_suggestions_and_still_works_without_javascript(client, callout):
    page = client.get(reverse("questions:story", args=[callout.story.slug])).content.decode()
    # The form's language goes with the call, for the "I want to know too" links it may bring.
    assert f'data-suggest-url="{reverse("answers:suggest", args=[callout.slug])}?lang=en"' in page
    assert 'src="/static/askdesk/js/suggest.js" defer' in page
    assert "<script>" not in page  # no inline script: the CSP forbids it


def test_one_client_asking_for_suggestions_too_often_gets_429_and_no_suggestions(client, callout, settings):
    settings.ASKDESK_LIMITS_ENABLED = True
    settings.ASKDESK_RATE_LIMITS = {**settings.ASKDESK_RATE_LIMITS, "suggest_client": "3/m"}
    url = reverse("answers:suggest", args=[callout.slug])
    codes = [client.post(url, {"question": CASUALTIES}).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert client.post(url, {"question": CASUALTIES}).json() == {"story": [], "similar": [], "waiting": []}
