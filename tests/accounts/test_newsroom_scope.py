"""Many newsrooms, one askdesk: staff see only the newsrooms they work for."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from askdesk.accounts.access import newsroom_ids
from askdesk.accounts.models import Role
from askdesk.accounts.services import membership_add, membership_remove, staff_create
from askdesk.audit.models import AuditEvent
from askdesk.callouts.models import Callout
from askdesk.callouts.services import story_import
from askdesk.newsrooms.models import Newsroom
from askdesk.questions.services import QuestionRefused, question_assign
from askdesk.stories.models import Story
from tests.conftest import DEMO_STORY, PASSWORD, login, make_expert, make_newsroom, submit


@pytest.fixture
def gazette(db: Any) -> Newsroom:
    return make_newsroom("The Other Gazette", "gazette")


@pytest.fixture
def gazette_callout(gazette: Newsroom) -> Callout:
    _, found = story_import(newsroom=gazette, raw=DEMO_STORY.read_text(), title="Gazette story")
    assert found is not None
    return found


@pytest.fixture
def gazette_editor(gazette: Newsroom) -> User:
    """Otto edits the Gazette only."""
    return staff_create(username="otto", password=PASSWORD, role=Role.EDITOR, newsroom=gazette, can_see_contacts=True)


def test_desk_home_lists_only_the_call_outs_of_the_editors_newsrooms(
    editor_client: Client, callout: Callout, gazette_callout: Callout
) -> None:
    page = editor_client.get(reverse("desk:home")).content.decode()
    assert reverse("questions:triage", args=[callout.pk]) in page
    assert reverse("questions:triage", args=[gazette_callout.pk]) not in page


def test_an_editor_of_another_newsroom_finds_no_call_out_and_no_question(
    gazette_editor: User, callout: Callout
) -> None:
    question, _ = submit(callout)
    client = login(Client(), gazette_editor)
    assert client.get(reverse("questions:triage", args=[callout.pk])).status_code == 404
    assert client.get(reverse("questions:detail", args=[question.pk])).status_code == 404
    response = client.post(reverse("questions:act", args=[question.pk]), {"action": "spam"})
    assert response.status_code == 404
    question.refresh_from_db()
    assert question.status == "new"


def test_an_editor_added_to_a_second_newsroom_sees_both_and_loses_it_when_removed(
    editor: User, newsroom: Newsroom, gazette: Newsroom, gazette_callout: Callout
) -> None:
    client = login(Client(), editor)
    url = reverse("questions:triage", args=[gazette_callout.pk])
    assert client.get(url).status_code == 404
    membership_add(user=editor, newsroom=gazette, actor=None)
    assert client.get(url).status_code == 200
    membership_remove(user=editor, newsroom=gazette, actor=None)
    assert client.get(url).status_code == 404
    assert list(AuditEvent.objects.filter(action__startswith="membership.").values_list("action", flat=True)) == [
        "membership.remove",
        "membership.add",
    ]


def test_an_expert_of_another_newsroom_cannot_be_assigned_nor_is_offered(
    editor_client: Client, editor: User, callout: Callout, gazette: Newsroom
) -> None:
    outsider = make_expert(gazette, "gabi", "Gabi Gazette", "Science editor")
    question, _ = submit(callout)
    with pytest.raises(QuestionRefused):
        question_assign(question=question, expert=outsider, actor=editor)
    page = editor_client.get(reverse("questions:detail", args=[question.pk])).content.decode()
    assert "Gabi Gazette" not in page
    response = editor_client.post(
        reverse("questions:act", args=[question.pk]), {"action": "assign", "expert": outsider.pk}
    )
    assert response.status_code == 404


def test_an_expert_working_for_two_newsrooms_can_be_assigned_in_both(
    editor: User, newsroom: Newsroom, callout: Callout, gazette: Newsroom, gazette_callout: Callout
) -> None:
    shared = make_expert(gazette, "sam", "Sam Shared", "Defence analyst")
    membership_add(user=shared.user, newsroom=newsroom, actor=None)
    question, _ = submit(callout)
    assert question_assign(question=question, expert=shared, actor=editor).assigned_to == shared


def test_the_expert_queue_leaves_out_newsrooms_the_expert_no_longer_answers_for(
    editor: User, newsroom: Newsroom, callout: Callout, gazette: Newsroom
) -> None:
    shared = make_expert(gazette, "sam", "Sam Shared", "Defence analyst")
    membership_add(user=shared.user, newsroom=newsroom, actor=None)
    question, _ = submit(callout, "Will oil prices rise?")
    question_assign(question=question, expert=shared, actor=editor)
    client = login(Client(), shared.user)
    assert "Will oil prices rise?" in client.get(reverse("answers:queue")).content.decode()
    membership_remove(user=shared.user, newsroom=newsroom, actor=None)
    assert "Will oil prices rise?" not in client.get(reverse("answers:queue")).content.decode()
    assert client.get(reverse("questions:detail", args=[question.pk])).status_code == 404


def test_a_story_is_imported_into_a_newsroom_the_editor_works_for(
    editor: User, newsroom: Newsroom, gazette: Newsroom
) -> None:
    client = login(Client(), editor)
    page = client.get(reverse("desk:story_import")).content.decode()
    assert "The Other Gazette" not in page
    text = DEMO_STORY.read_text()
    refused = client.post(reverse("desk:story_import"), {"title": "Theirs", "text": text, "newsroom": gazette.pk})
    assert refused.status_code == 400 and not Story.objects.filter(title="Theirs").exists()
    client.post(reverse("desk:story_import"), {"title": "Mine", "text": text})
    assert Story.objects.get(title="Mine").newsroom == newsroom  # one newsroom: the choice is not asked
    membership_add(user=editor, newsroom=gazette, actor=None)
    client = login(Client(), User.objects.get(pk=editor.pk))
    assert "The Other Gazette" in client.get(reverse("desk:story_import")).content.decode()
    response = client.post(reverse("desk:story_import"), {"title": "Theirs", "text": text, "newsroom": gazette.pk})
    assert response.status_code == 302
    assert Story.objects.get(title="Theirs").newsroom == gazette


def test_a_reader_data_export_holds_only_the_exporting_editors_newsroom(
    gazette_editor: User, callout: Callout, gazette_callout: Callout
) -> None:
    submit(callout, "Daily question?", email="sara@example.org")
    submit(gazette_callout, "Gazette question?", email="sara@example.org")
    client = login(Client(), gazette_editor)
    response = client.post(reverse("desk:export_reader_data"), {"email": "sara@example.org"})
    body = response.content.decode()
    assert "Gazette question?" in body and "Daily question?" not in body


def test_a_staff_account_without_a_role_sees_no_newsroom(newsroom: Newsroom) -> None:
    from askdesk.accounts.models import Membership

    nora = User.objects.create_user(username="nora", password=PASSWORD)
    Membership.objects.create(user=nora, newsroom=newsroom)
    assert newsroom_ids(nora) == frozenset()


def test_existing_staff_keep_what_they_saw_when_memberships_arrive(newsroom: Newsroom, gazette: Newsroom) -> None:
    from importlib import import_module

    from django.apps import apps

    migration = import_module("askdesk.accounts.migrations.0002_newsroom_membership")
    editor = staff_create(username="old", password=PASSWORD, role=Role.EDITOR, newsroom=newsroom)
    expert = make_expert(gazette, "oldx", "Old Expert", "Analyst")
    from askdesk.accounts.models import Membership

    Membership.objects.all().delete()
    migration.existing_staff_keep_what_they_saw(apps, None)
    assert set(Membership.objects.values_list("user__username", "newsroom__slug")) == {
        (editor.username, "daily"),
        (editor.username, "gazette"),
        (expert.user.username, "gazette"),
    }
