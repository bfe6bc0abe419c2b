"""Voting rounds: editors put 2-5 groups to readers, readers vote without an account, the winner goes first."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from askdesk.questions.formtoken import form_token
from askdesk.questions.models import Question, QuestionGroup
from askdesk.readers.models import EditorAlert, RoundOption, Vote, VoteSalt, VotingRound
from askdesk.readers.voting import OptionChoice, round_create, rounds_close_due
from tests.conftest import submit


def group_of(callout, text, size=1):
    question, _ = submit(callout, text)
    group = QuestionGroup.objects.create(callout=callout, label=text, representative=question, size=size)
    Question.objects.filter(pk=question.pk).update(group=group)
    return group


@pytest.fixture
def voting_round(callout, editor, expert):
    groups = [group_of(callout, text) for text in ("Will Iran retaliate?", "What is Isfahan?", "Is the IAEA there?")]
    return round_create(
        callout=callout,
        title="Which should our experts answer first?",
        closes_at=timezone.now() + timedelta(hours=2),
        options=[
            OptionChoice(groups[0], "Will Iran retaliate?", expert),
            OptionChoice(groups[1], "What is in Isfahan?"),
            OptionChoice(groups[2], "Were nuclear sites hit?"),
        ],
        actor=editor,
    )


def option(voting_round, position):
    return RoundOption.objects.get(round=voting_round, position=position)


def token(voting_round):
    return form_token(callout_id=voting_round.callout_id)


def vote(client, voting_round, position, **extra):
    data = {"option": option(voting_round, position).pk, "form_token": token(voting_round), **extra}
    return client.post(reverse("readers:vote", args=[voting_round.pk]), data)


def test_an_editor_opens_a_round_of_two_to_five_groups_from_the_desk(editor_client, callout):
    groups = [group_of(callout, f"Question {n}?", size=10 - n) for n in range(6)]
    url = reverse("readers:round_new", args=[callout.pk])
    page = editor_client.get(url).content.decode()
    assert "Open a new round" in page and "Question 0?" in page
    closes = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    base = {"title": "Which first?", "closes_at": closes}

    def picks(chosen):
        data = dict(base)
        for group in chosen:
            data[f"pick_{group.pk}"] = "on"
            data[f"label_{group.pk}"] = f"Wording {group.pk}"
        return data

    assert editor_client.post(url, picks(groups[:1])).status_code == 400
    assert "between 2 and 5 groups" in editor_client.post(url, picks(groups)).content.decode()
    assert not VotingRound.objects.exists()
    response = editor_client.post(url, picks(groups[:3]))
    assert response.status_code == 302
    created = VotingRound.objects.get()
    assert [o.label for o in created.options.all()] == [f"Wording {g.pk}" for g in groups[:3]]


def test_a_round_refuses_wording_with_contact_details(callout, editor):
    groups = [group_of(callout, "A?"), group_of(callout, "B?")]
    with pytest.raises(Exception, match="contact details"):
        round_create(
            callout=callout,
            title="Which first?",
            closes_at=timezone.now() + timedelta(hours=1),
            options=[OptionChoice(groups[0], "Call 07700 900123?"), OptionChoice(groups[1], "B?")],
            actor=editor,
        )


def test_readers_vote_on_the_story_page_once_and_see_live_results(client, callout, voting_round):
    page = client.get(reverse("questions:story", args=[callout.story.slug])).content.decode()
    assert "Which should our experts answer first?" in page and "What is in Isfahan?" in page
    assert f'data-live-results="/rounds/{voting_round.pk}/results.json"' in page
    first = vote(client, voting_round, 1, next=f"/stories/{callout.story.slug}/")
    assert first["Location"].startswith(f"/stories/{callout.story.slug}/?voted=yes")
    again = vote(client, voting_round, 0)
    assert "voted=already" in again["Location"]
    results = client.get(reverse("readers:round_results", args=[voting_round.pk])).json()
    assert results["open"] is True and results["total"] == 1
    assert [o["votes"] for o in results["options"]] == [0, 1, 0]
    assert "no-cache" in client.get(reverse("readers:round_results", args=[voting_round.pk]))["Cache-Control"]
    round_page = client.get(reverse("readers:round", args=[voting_round.pk]) + "?voted=yes").content.decode()
    assert "Thank you, your vote is counted." in round_page


def test_five_hundred_scripted_votes_from_one_client_count_a_handful(voting_round, settings):
    settings.ASKDESK_LIMITS_ENABLED = True
    # A script that throws its cookie away each time, from one address and browser.
    for _ in range(500):
        Client(REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="curl/8.0").post(
            reverse("readers:vote", args=[voting_round.pk]),
            {"option": option(voting_round, 2).pk, "form_token": token(voting_round)},
        )
    counted = Vote.objects.filter(round=voting_round).count()
    assert 1 <= counted <= settings.ASKDESK_VOTES_PER_ADDRESS <= 5
    assert option(voting_round, 2).votes == counted
    # Keeping its cookie, one client counts once.
    keeper = Client(REMOTE_ADDR="198.51.100.7")
    for _ in range(20):
        vote(keeper, voting_round, 0)
    assert option(voting_round, 0).votes == 1


def test_no_raw_address_or_agent_is_stored_with_a_vote(voting_round):
    Client(REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="UniqueAgent/1.0").post(
        reverse("readers:vote", args=[voting_round.pk]),
        {"option": option(voting_round, 0).pk, "form_token": token(voting_round)},
    )
    with connection.cursor() as cursor:
        for table in ("readers_vote", "readers_votesalt", "readers_roundoption", "readers_votinground"):
            cursor.execute(f"SELECT * FROM {table}")
            dump = repr(cursor.fetchall())
            assert "203.0.113.9" not in dump and "UniqueAgent" not in dump
    assert len(Vote.objects.get().fingerprint) == 64


def test_when_a_round_closes_the_winner_goes_to_its_expert_and_voters_and_editors_are_told(
    callout, voting_round, expert, editor, mail_server, django_capture_on_commit_callbacks
):
    for number in range(3):
        vote(Client(REMOTE_ADDR=f"203.0.113.{number}"), voting_round, 0, email=f"voter{number}@example.com")
    vote(Client(REMOTE_ADDR="203.0.113.50"), voting_round, 1)
    editor.email = "eva@example.com"
    editor.save(update_fields=["email"])
    VotingRound.objects.filter(pk=voting_round.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        [closed] = rounds_close_due()
    assert closed.winner == option(voting_round, 0)
    winner_question = option(voting_round, 0).group.representative
    winner_question.refresh_from_db()
    assert winner_question.status == "assigned" and winner_question.assigned_to == expert
    assert set(Vote.objects.values_list("fingerprint", flat=True)) == {""}
    results = [m for m in mail_server.received if m["Subject"] == "The readers' vote is over"]
    assert sorted(m["To"] for m in results) == [f"voter{n}@example.com" for n in range(3)]
    text, _ = mail_server.bodies(results[0])
    assert "Readers chose: Will Iran retaliate?" in text and "3 votes" in text
    alert = EditorAlert.objects.get(user=editor, kind="round_closed")
    assert "Lyse Doucet" in alert.text
    assert any(m["To"] == "eva@example.com" and "Vote closed" in m["Subject"] for m in mail_server.received)
    # Closed: no more votes, and the page shows the result.
    assert "voted=closed" in vote(Client(REMOTE_ADDR="192.0.2.1"), voting_round, 2)["Location"]
    assert rounds_close_due() == []


def test_the_desk_shows_live_results_and_can_close_a_round(editor_client, voting_round):
    vote(Client(REMOTE_ADDR="203.0.113.1"), voting_round, 2)
    page = editor_client.get(reverse("readers:round_desk", args=[voting_round.pk])).content.decode()
    assert "Were nuclear sites hit?" in page and "data-live-results" in page
    editor_client.post(reverse("readers:round_desk", args=[voting_round.pk]), {"action": "close"})
    voting_round.refresh_from_db()
    assert voting_round.closed_at is not None and voting_round.winner == option(voting_round, 2)


def test_old_vote_salts_are_deleted_so_old_hashes_link_to_nobody(voting_round):
    VoteSalt.objects.create(day=timezone.localdate() - timedelta(days=5), salt="old")
    rounds_close_due()
    assert not VoteSalt.objects.filter(salt="old").exists()


def test_a_reader_deleting_their_question_takes_its_words_out_of_a_round(client, callout, editor):
    from askdesk.questions.links import hash_token

    kept, _ = submit(callout, "What happened at Isfahan?")
    deleted, token = submit(callout, "Will Tehran answer the strike on Isfahan?")
    group = QuestionGroup.objects.create(callout=callout, label=deleted.text, representative=deleted, size=2)
    Question.objects.filter(pk__in=[kept.pk, deleted.pk]).update(group=group)
    other = group_of(callout, "Is the IAEA there?")
    voting_round = round_create(
        callout=callout,
        title="Which first?",
        closes_at=timezone.now() + timedelta(hours=1),
        options=[OptionChoice(group, "Will Tehran answer the strike on Isfahan?"), OptionChoice(other, "IAEA?")],
        actor=editor,
    )
    client.post(reverse("questions:delete", args=[token]))
    assert not Question.objects.filter(access_token_hash=hash_token(token)).exists()
    page = client.get(reverse("readers:round", args=[voting_round.pk])).content.decode()
    assert "Tehran" not in page
    assert "Tehran" not in option(voting_round, 0).label
