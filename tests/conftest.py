"""Shared fixtures: the demo newsroom and story, and named personas for permissions."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client

from askdesk.accounts.models import Expert, Role
from askdesk.accounts.services import staff_create
from askdesk.callouts.models import Callout
from askdesk.callouts.services import story_import
from askdesk.newsrooms.models import LegalDocument, Newsroom
from askdesk.newsrooms.services import legal_document_publish
from askdesk.questions.formtoken import form_token
from askdesk.questions.models import Question
from askdesk.questions.services import question_submit
from askdesk.web.management.commands.compile_translations import compile_translations

DEMO_STORY = Path(__file__).resolve().parents[1] / "askdesk" / "web" / "demo" / "israel-strike-isfahan.txt"
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations() -> None:
    """Readers' pages in Persian, Arabic and French need the compiled catalogues."""
    compile_translations()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Public pages are cached under their call-out's id and version: no test sees another's."""
    cache.clear()


def make_newsroom(name: str, slug: str) -> Newsroom:
    """A newsroom with its terms and privacy policy published, ready to take questions."""
    room = Newsroom.objects.create(name=name, slug=slug)
    legal_document_publish(newsroom=room, kind=LegalDocument.Kind.TERMS, version="1", body="Be civil.")
    legal_document_publish(newsroom=room, kind=LegalDocument.Kind.PRIVACY, version="1", body="We keep little.")
    return room


@pytest.fixture
def newsroom(db: Any) -> Newsroom:
    return make_newsroom("The Daily Test", "daily")


@pytest.fixture
def callout(newsroom: Newsroom) -> Callout:
    _, found = story_import(newsroom=newsroom, raw=DEMO_STORY.read_text())
    assert found is not None
    return found


@pytest.fixture
def editor(newsroom: Newsroom) -> User:
    """Eva, an editor on the audience team."""
    return staff_create(username="eva", password=PASSWORD, role=Role.EDITOR, newsroom=newsroom, name="Eva Editor")


def make_expert(newsroom: Newsroom, username: str, name: str, title: str, areas: str = "") -> Expert:
    user = staff_create(
        username=username, password=PASSWORD, role=Role.EXPERT, newsroom=newsroom, name=name, title=title, areas=areas
    )
    return user.expert


@pytest.fixture
def expert(newsroom: Newsroom) -> Expert:
    """Lyse, a correspondent who answers questions."""
    return make_expert(newsroom, "lyse", "Lyse Doucet", "Chief international correspondent", "Middle East")


@pytest.fixture
def other_expert(newsroom: Newsroom) -> Expert:
    """Omar, an expert of another desk: sees nothing assigned to Lyse."""
    return make_expert(newsroom, "omar", "Omar Other", "Economics editor")


def login(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def editor_client(client: Client, editor: User) -> Client:
    return login(client, editor)


@pytest.fixture
def expert_client(expert: Expert) -> Client:
    return login(Client(), expert.user)


def submit(callout: Callout, text: str = "Will Iran retaliate?", **fields: Any) -> tuple[Question, str]:
    """A reader's question, stored through the service as the form would."""
    values: dict[str, Any] = {"consent": True, "submission_key": uuid.uuid4()}
    values.update(fields)
    question, token, created = question_submit(callout=callout, text=text, **values)
    assert created
    return question, token


def form_data(callout: Callout | None = None, **overrides: Any) -> dict[str, Any]:
    """What a reader's browser posts from the question form."""
    data: dict[str, Any] = {
        "question": "Will Iran retaliate against Israel?",
        "name": "Sara",
        "age": "34",
        "location": "Leeds",
        "email": "",
        "phone": "",
        "consent": "on",
        "submission_key": str(uuid.uuid4()),
    }
    if callout is not None:
        data["form_token"] = form_token(callout_id=callout.pk)
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
