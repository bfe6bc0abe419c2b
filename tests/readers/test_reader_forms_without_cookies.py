"""Votes and "I want to know too" on cached public pages and inside the newsroom's page, without a cookie."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from askdesk.newsrooms.models import Newsroom
from askdesk.newsrooms.services import newsroom_public_changed
from askdesk.questions.formtoken import form_token
from askdesk.questions.models import Question, QuestionGroup
from askdesk.questions.services import question_transition
from askdesk.readers.models import AlsoAsked, RoundOption, Vote
from askdesk.readers.voting import OptionChoice, round_create
from tests.conftest import submit

NEWSROOM_SITE = "https://www.daily.example"
FROM_THE_FRAME = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}


def group_of(callout, text, size=1):
    question, _ = submit(callout, text)
    group = QuestionGroup.objects.create(callout=callout, label=text, representative=question, size=size)
    Question.objects.filter(pk=question.pk).update(group=group)
    return group, question


@pytest.fixture
def open_round_and_joinable(callout, editor, newsroom):
    Newsroom.objects.filter(pk=newsroom.pk).update(embed_origins=NEWSROOM_SITE)
    newsroom_public_changed(newsroom=newsroom)
    first, joinable = group_of(callout, "Will Iran retaliate?", size=4)
    question_transition(question=joinable, action="shortlist", actor=editor)
    second, _ = group_of(callout, "What is in Isfahan?")
    voting_round = round_create(
        callout=callout,
        title="Which should our experts answer first?",
        closes_at=timezone.now() + timedelta(hours=2),
        options=[OptionChoice(first, "Will Iran retaliate?"), OptionChoice(second, "What is in Isfahan?")],
        actor=editor,
    )
    return voting_round, Question.objects.get(pk=joinable.pk)


def form_fields(page: str, action_start: str) -> tuple[str, dict[str, str]]:
    """The action and hidden fields of the form on ``page`` whose action starts with ``action_start``."""
    found = re.search(rf'<form method="post" action="({re.escape(action_start)}[^"]*)"(.*?)</form>', page, re.S)
    assert found is not None, f"no form posting to {action_start}"
    hidden = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', found.group(2))
    return html.unescape(found.group(1)), {name: html.unescape(value) for name, value in hidden}


def test_the_story_and_answers_pages_with_a_round_and_joinable_questions_are_public_and_the_same_for_everyone(
    callout, open_round_and_joinable
):
    voting_round, joinable = open_round_and_joinable
    pages = {
        "story": reverse("questions:story", args=[callout.story.slug]),
        "answers": reverse("answers:public", args=[callout.slug]),
        "embed form": reverse("public:embed_form", args=[callout.slug]),
        "embed answers": reverse("public:embed_answers", args=[callout.slug]),
    }
    first, second = Client(), Client()
    second.cookies["csrftoken"] = "a" * 32  # a reader who signed in to something else before
    second.cookies["sessionid"] = "someone"
    for name, path in pages.items():
        one, other = first.get(path), second.get(path)
        assert one.status_code == other.status_code == 200, name
        assert one["Cache-Control"].startswith("public, ") and other["Cache-Control"] == one["Cache-Control"], name
        assert one.content == other.content and one["ETag"] == other["ETag"], name
        assert "Cookie" not in one.get("Vary", "") and not one.cookies, name
        assert "csrfmiddlewaretoken" not in one.content.decode(), name
    story = first.get(pages["story"]).content.decode()
    assert f'action="/rounds/{voting_round.pk}/vote/?lang=en"' in story
    answers = first.get(pages["answers"]).content.decode()
    assert f'action="/also/{joinable.pk}/?lang=en"' in answers and "4 readers asked this" in answers
    # The embeds show the round (the form) and the round and "I want to know too" (the answers).
    assert "Which should our experts answer first?" in first.get(pages["embed form"]).content.decode()
    embed_answers = first.get(pages["embed answers"]).content.decode()
    assert "Which should our experts answer first?" in embed_answers
    assert f'action="/also/{joinable.pk}/?lang=en&amp;embed=1"' in embed_answers


def test_a_reader_votes_inside_the_embed_without_any_cookie_and_sees_it_counted_there(callout, open_round_and_joinable):
    voting_round, _ = open_round_and_joinable
    reader = Client()
    embed = reader.get(reverse("public:embed_form", args=[callout.slug])).content.decode()
    action, fields = form_fields(embed, f"/rounds/{voting_round.pk}/vote/")
    assert fields["next"] == f"/embed/{callout.slug}/form/?lang=en"
    option = RoundOption.objects.get(round=voting_round, position=1)
    key = "0123456789abcdef" * 3  # what askdesk/js/reader-key.js keeps in the frame's storage
    data = {**fields, "option": option.pk, "reader_key": key}
    response = reader.post(action, data, headers=FROM_THE_FRAME)
    assert response.status_code == 302
    assert response["Location"] == f"/embed/{callout.slug}/form/?lang=en&voted=yes#round-{voting_round.pk}"
    reader.cookies.clear()  # the browser blocks third-party cookies: nothing is kept
    thanks = reader.get(response["Location"])
    assert "Thank you, your vote is counted." in thanks.content.decode()
    assert "X-Frame-Options" not in thanks and NEWSROOM_SITE in thanks["Content-Security-Policy"]
    assert Vote.objects.get().option == option
    # The same reader again, still without a cookie: its key says it voted already.
    again = reader.post(action, data, headers=FROM_THE_FRAME)
    assert "voted=already" in again["Location"]
    assert RoundOption.objects.get(pk=option.pk).votes == 1


def test_without_cookie_key_or_script_the_address_and_browser_vote_once(callout, open_round_and_joinable):
    voting_round, _ = open_round_and_joinable
    embed = Client().get(reverse("public:embed_form", args=[callout.slug])).content.decode()
    action, fields = form_fields(embed, f"/rounds/{voting_round.pk}/vote/")
    option = RoundOption.objects.get(round=voting_round, position=0)
    outcomes = [
        Client(REMOTE_ADDR="203.0.113.4").post(action, {**fields, "option": option.pk}, headers=FROM_THE_FRAME)[
            "Location"
        ]
        for _ in range(3)
    ]
    assert ["voted=yes" in outcomes[0], "voted=already" in outcomes[1], "voted=already" in outcomes[2]] == [True] * 3
    assert Vote.objects.count() == 1


def test_a_reader_joins_a_question_inside_the_answers_embed_without_any_cookie(callout, open_round_and_joinable):
    _, joinable = open_round_and_joinable
    reader = Client()
    embed = reader.get(reverse("public:embed_answers", args=[callout.slug])).content.decode()
    action, fields = form_fields(embed, f"/also/{joinable.pk}/")
    data = {**fields, "consent": "on", "email": "", "reader_key": "f" * 48}
    response = reader.post(action, data, headers=FROM_THE_FRAME)
    assert response.status_code == 302 and response["Location"].endswith("&lang=en&embed=1")
    reader.cookies.clear()
    thanks = reader.get(response["Location"])
    page = thanks.content.decode()
    assert "Thank you, you have been added to this question" in page and "5 readers asked this." in page
    assert 'class="public themed embed"' in page  # the embed's layout, inside the frame
    assert "X-Frame-Options" not in thanks and NEWSROOM_SITE in thanks["Content-Security-Policy"]
    assert AlsoAsked.objects.get().question == joinable
    again = reader.post(action, data, headers=FROM_THE_FRAME)
    assert "already added" in again.content.decode() and "X-Frame-Options" not in again
    assert AlsoAsked.objects.count() == 1


def test_forged_cross_site_votes_and_joins_are_refused_and_store_nothing(callout, open_round_and_joinable):
    voting_round, joinable = open_round_and_joinable
    vote_url = reverse("readers:vote", args=[voting_round.pk])
    join_url = reverse("readers:also_ask", args=[joinable.pk])
    option = RoundOption.objects.get(round=voting_round, position=0)
    token = form_token(callout_id=callout.pk)
    vote_data = {"option": option.pk, "form_token": token}
    join_data = {"consent": "on", "email": "", "form_token": token}
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        refused = Client().post(vote_url, vote_data, headers=headers)
        assert (
            refused.status_code == 403 and "can only be sent from the page that showed it" in refused.content.decode()
        )
        assert Client().post(join_url, join_data, headers=headers).status_code == 403
    framed = Client().post(join_url + "?embed=1", join_data, headers={"Origin": "https://evil.example"})
    assert framed.status_code == 403 and "X-Frame-Options" not in framed  # the refusal shows in the frame
    # A token for another call-out, or none: nothing counted, nothing stored, the reader is told.
    for bad in ("", form_token(callout_id=callout.pk + 1), token[:-2]):
        response = Client().post(vote_url, {**vote_data, "form_token": bad}, headers=FROM_THE_FRAME)
        assert "voted=expired" in response["Location"]
        page = Client().post(join_url, {**join_data, "form_token": bad}, headers=FROM_THE_FRAME)
        assert page.status_code == 400 and "has expired" in page.content.decode()
    assert not Vote.objects.exists() and not AlsoAsked.objects.exists()
    # From the newsroom's own page (allowed to embed askdesk), both go through.
    assert "voted=yes" in Client().post(vote_url, vote_data, headers={"Origin": NEWSROOM_SITE})["Location"]
    assert Client().post(join_url, join_data, headers={"Origin": NEWSROOM_SITE}).status_code == 302


def test_a_vote_cannot_send_the_reader_to_another_site(callout, open_round_and_joinable):
    voting_round, _ = open_round_and_joinable
    option = RoundOption.objects.get(round=voting_round, position=0)
    for elsewhere in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        response = Client().post(
            reverse("readers:vote", args=[voting_round.pk]),
            {"option": option.pk, "form_token": form_token(callout_id=callout.pk), "next": elsewhere},
        )
        assert response["Location"].startswith(f"/rounds/{voting_round.pk}/?voted=")
