""" "I want to know too" while the reader types: the suggestions offer similar questions waiting for an answer."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from askdesk.analysis import services as analysis
from askdesk.answers.services import answer_publish, answer_save
from askdesk.callouts.services import story_import
from askdesk.questions.formtoken import form_token
from askdesk.questions.models import Question, QuestionGroup
from askdesk.questions.services import question_assign, question_transition
from askdesk.readers import suggestions
from askdesk.readers.models import AlsoAsked
from askdesk.readers.selectors import readers_asking
from tests.conftest import DEMO_STORY, make_newsroom, submit

RETALIATE = "Will Iran retaliate against Israel for the strike?"
DRAFT = "Will Iran retaliate against Israel?"


@pytest.fixture(autouse=True)
def fresh_caches():
    suggestions.clear_caches()
    yield
    suggestions.clear_caches()


def waiting(callout, editor, text=RETALIATE, size=13):
    """A reader's question, embedded as the worker does, in a group of ``size`` an editor shortlisted."""
    question, _ = submit(callout, text)
    analysis.question_analyse(question_id=question.pk)
    group = QuestionGroup.objects.create(callout=callout, label=text, representative=question, size=size)
    Question.objects.filter(pk=question.pk).update(group=group)
    question_transition(question=Question.objects.get(pk=question.pk), action="shortlist", actor=editor)
    return Question.objects.get(pk=question.pk)


def suggested(client, callout, text, query=""):
    response = client.post(reverse("answers:suggest", args=[callout.slug]) + query, {"question": text})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    return response


def test_a_similar_question_waiting_for_an_answer_is_suggested_with_its_join_link(client, callout, editor):
    question = waiting(callout, editor)
    typed = f"{DRAFT} Write to me at sara.reader@example.org"
    response = suggested(client, callout, typed, "?lang=en")
    assert response.json()["waiting"] == [
        {
            "text": RETALIATE,
            "asked": 13,
            "asked_label": "13 readers asked this",
            "url": f"{reverse('readers:also_ask', args=[question.pk])}?lang=en",
        }
    ]
    assert "sara.reader" not in response.content.decode() and "Write to me" not in response.content.decode()
    # A question far from every waiting one gets nothing to join.
    assert suggested(client, callout, "How do I bake sourdough bread at home?").json()["waiting"] == []


def test_following_the_link_and_joining_counts_the_reader(client, callout, editor):
    question = waiting(callout, editor)
    [item] = suggested(client, callout, DRAFT, "?lang=en").json()["waiting"]
    page = client.get(item["url"])
    html = page.content.decode()
    assert page.status_code == 200 and RETALIATE in html and "13 readers asked this" in html
    # The form is the one the answers page shows: the call-out's signed token, no cookie needed.
    assert "form_token" in html and 'name="consent"' in html and not page.cookies
    action = re.search(r'action="(/also/\d+/[^"]*)"', html).group(1).replace("&amp;", "&")
    token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    joined = Client().post(action, {"consent": "on", "email": "", "form_token": token})
    assert joined.status_code == 302 and "/joined/" in joined["Location"]
    assert AlsoAsked.objects.get().question == question
    assert readers_asking(question=question) == 14
    assert "14 readers asked this" in client.get(item["url"]).content.decode()


def test_in_the_embed_the_link_opens_the_join_page_framed_in_the_readers_language(client, callout, editor):
    waiting(callout, editor)
    form = client.get(reverse("public:embed_form", args=[callout.slug]) + "?lang=fr").content.decode()
    suggest_url = re.search(r'data-suggest-url="([^"]+)"', form).group(1).replace("&amp;", "&")
    assert suggest_url.endswith("?lang=fr&embed=1")
    assert 'data-label-waiting="Des lecteurs ont posé une question semblable et attendent une réponse"' in form
    [item] = client.post(suggest_url, {"question": DRAFT}).json()["waiting"]
    assert item["url"].endswith("?lang=fr&embed=1") and item["asked_label"] == "13 lecteurs ont posé cette question"
    page = client.get(item["url"])
    html = page.content.decode()
    assert page.status_code == 200 and '<html lang="fr"' in html and "Je veux savoir aussi" in html
    assert "frame-ancestors" in page["Content-Security-Policy"] and "X-Frame-Options" not in page
    assert "&amp;embed=1" in re.search(r'action="(/also/\d+/[^"]*)"', html).group(1)


def test_rejected_answered_and_other_callouts_questions_are_not_suggested(client, callout, editor, expert):
    rejected = waiting(callout, editor)
    question_transition(question=rejected, action="reject", actor=editor)
    answered = waiting(callout, editor, "Will Iran retaliate against Israel for the attack?")
    question_assign(question=answered, expert=expert, actor=editor)
    answer_save(question=answered, expert=expert, body="Officials say there are no plans to.", submit=True)
    answer_publish(question=answered, actor=editor)
    _, elsewhere = story_import(newsroom=make_newsroom("Other Paper", "other"), raw=DEMO_STORY.read_text())
    other = waiting(elsewhere, editor, RETALIATE)
    data = suggested(client, callout, DRAFT).json()
    assert data["waiting"] == []
    assert [item["text"] for item in data["similar"]] == [answered.display_text]  # answered: read, not joined
    assert [item["text"] for item in suggested(client, elsewhere, DRAFT).json()["waiting"]] == [RETALIATE]
    # Nor do their join pages open.
    assert client.get(reverse("readers:also_ask", args=[rejected.pk])).status_code == 404
    assert client.get(reverse("readers:also_ask", args=[answered.pk])).status_code == 404
    assert client.get(reverse("readers:also_ask", args=[other.pk])).status_code == 200


def test_a_waiting_question_with_contact_details_in_its_wording_is_never_offered(client, callout, editor):
    question = waiting(callout, editor, "Will Iran retaliate against Israel? Call me on 07700 900123")
    body = suggested(client, callout, DRAFT).content.decode()
    assert "07700" not in body and '"waiting": []' in body
    assert client.get(reverse("readers:also_ask", args=[question.pk])).status_code == 404


def test_the_join_page_never_shows_words_no_editor_chose_to_show(client, callout, editor):
    new, _ = submit(callout, "Will Iran retaliate against Israel? I live at 12 Oak Road")
    group = QuestionGroup.objects.create(callout=callout, label="x", representative=new, size=1)
    Question.objects.filter(pk=new.pk).update(group=group)
    assert client.get(reverse("readers:also_ask", args=[new.pk])).status_code == 404
    # A post without consent is refused, still without the question's words.
    without_consent = {"email": "", "form_token": form_token(callout_id=callout.pk)}
    refused = client.post(reverse("readers:also_ask", args=[new.pk]), without_consent)
    assert refused.status_code == 400 and "Oak Road" not in refused.content.decode()
    shortlisted = waiting(callout, editor)
    refused = client.post(reverse("readers:also_ask", args=[shortlisted.pk]), without_consent)
    assert refused.status_code == 400 and RETALIATE in refused.content.decode()
