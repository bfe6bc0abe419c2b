"""Who may open every URL: the role matrix, generated from the URL configuration.

Every named URL (walked from the resolver, so a new URL cannot escape) is requested with GET
and with POST by each persona, inside a savepoint that is rolled back, and the response is
compared with the expectation below. A "grant" is any response that is not a refusal (403,
404, 405 or a redirect to a sign-in page). A refused request must also leave no audit event:
POSTs carry a real action, so a permission check that came after the write would show.

A new URL fails ``test_every_url_has_an_expectation`` until a line is added to ``RULES``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from askdesk.accounts.models import Membership, Role
from askdesk.accounts.services import staff_create
from askdesk.audit.models import AuditEvent
from askdesk.callouts.services import story_import
from askdesk.newsrooms.models import Newsroom
from askdesk.questions.services import question_assign, question_move
from tests.conftest import DEMO_STORY, PASSWORD, make_expert, make_newsroom, submit

ANONYMOUS = "anonymous"
READER = "reader with their link"
EXPERT_OWN = "expert, own question"
EXPERT_OTHER = "expert, another expert's question"
EDITOR = "editor of this newsroom"
EDITOR_ELSEWHERE = "editor of another newsroom"
NO_ROLE = "staff account without a role"
PERSONAS = (ANONYMOUS, READER, EXPERT_OWN, EXPERT_OTHER, EDITOR, EDITOR_ELSEWHERE, NO_ROLE)
EVERYONE = frozenset(PERSONAS)
EXPERTS = frozenset({EXPERT_OWN, EXPERT_OTHER})
NOBODY: frozenset[str] = frozenset()
SIGNED_IN = frozenset({EXPERT_OWN, EXPERT_OTHER, EDITOR, EDITOR_ELSEWHERE, NO_ROLE})


@dataclass
class World:
    newsroom: Newsroom
    callout: Any
    own: Any  # a question assigned to Lyse, the expert persona
    other: Any  # a question assigned to Omar, another expert
    token: str  # the private link of ``own``'s reader
    users: dict[str, User | None] = field(default_factory=dict)


def _question(world: World, persona: str) -> int:
    return int(world.other.pk if persona == EXPERT_OTHER else world.own.pk)


def _token(world: World, persona: str) -> str:
    # The private link is the reader's only key: everyone else tries without it.
    return world.token if persona == READER else "not-the-readers-link"


def question_pk(world: World, persona: str) -> dict[str, Any]:
    return {"pk": _question(world, persona)}


def callout_pk(world: World, persona: str) -> dict[str, Any]:
    return {"pk": world.callout.pk}


def callout_slug(world: World, persona: str) -> dict[str, Any]:
    return {"callout_slug": world.callout.slug}


def newsroom_slug(world: World, persona: str) -> dict[str, Any]:
    return {"newsroom_slug": world.newsroom.slug}


def reader_token(world: World, persona: str) -> dict[str, Any]:
    return {"token": _token(world, persona)}


def no_kwargs(world: World, persona: str) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Rule:
    """Who is granted each method of one URL, its arguments, and what a POST carries."""

    kwargs: Callable[[World, str], dict[str, Any]]
    get: frozenset[str] = NOBODY
    post: frozenset[str] = NOBODY
    data: Callable[[World], dict[str, Any]] = lambda world: {}


RULES: dict[str, Rule] = {
    "healthz": Rule(no_kwargs, get=EVERYONE),
    "readyz": Rule(no_kwargs, get=EVERYONE),
    "home": Rule(no_kwargs, get=EVERYONE, post=EVERYONE),
    "legal": Rule(lambda w, p: {"pk": w.newsroom.legal_documents.first().pk}, get=EVERYONE, post=EVERYONE),
    # Public pages: the same for everyone.
    # Cached for everyone. The reader form posts to its own page (the story page or the embed), so
    # anyone may POST there: an empty form is answered with the page and its errors.
    "questions:story": Rule(lambda w, p: {"slug": w.callout.story.slug}, get=EVERYONE, post=EVERYONE),
    "questions:ask": Rule(callout_slug, post=EVERYONE),
    "answers:suggest": Rule(callout_slug, post=EVERYONE, data=lambda w: {"question": "Will Iran retaliate?"}),
    "answers:public": Rule(callout_slug, get=EVERYONE),
    "public:embed_form": Rule(callout_slug, get=EVERYONE, post=EVERYONE),
    "public:embed_answers": Rule(callout_slug, get=EVERYONE),
    "public:live": Rule(callout_slug, get=EVERYONE),
    # Feeds answer any method with the same public document.
    "public:feed_rss": Rule(callout_slug, get=EVERYONE, post=EVERYONE),
    "public:feed_atom": Rule(callout_slug, get=EVERYONE, post=EVERYONE),
    "public:feed_json": Rule(callout_slug, get=EVERYONE, post=EVERYONE),
    "public:newsroom_rss": Rule(newsroom_slug, get=EVERYONE, post=EVERYONE),
    "public:newsroom_atom": Rule(newsroom_slug, get=EVERYONE, post=EVERYONE),
    "public:newsroom_json": Rule(newsroom_slug, get=EVERYONE, post=EVERYONE),
    "public:theme": Rule(newsroom_slug, get=EVERYONE),
    "public:oembed": Rule(
        no_kwargs, get=EVERYONE, data=lambda w: {"url": f"http://testserver/answers/{w.callout.slug}/"}
    ),
    # The reader's private link.
    "questions:status": Rule(reader_token, get=frozenset({READER}), post=frozenset({READER})),
    "questions:delete": Rule(reader_token, get=frozenset({READER}), post=frozenset({READER})),
    "questions:decline_cover": Rule(reader_token, post=frozenset({READER})),
    # The editor's desk.
    "questions:triage": Rule(callout_pk, get=frozenset({EDITOR})),
    # Live triage: the version open triage pages poll.
    "questions:triage_live": Rule(callout_pk, get=frozenset({EDITOR})),
    "questions:detail": Rule(question_pk, get=frozenset({EDITOR, EXPERT_OWN})),
    "questions:act": Rule(question_pk, post=frozenset({EDITOR}), data=lambda w: {"action": "spam"}),
    "questions:bulk_act": Rule(
        callout_pk, post=frozenset({EDITOR}), data=lambda w: {"bulk_action": "spam", "selected": [w.own.pk]}
    ),
    "questions:undo": Rule(callout_pk, post=frozenset({EDITOR})),
    "questions:group_act": Rule(
        callout_pk, post=frozenset({EDITOR}), data=lambda w: {"group_action": f"reject:{w.own.group_id}"}
    ),
    "desk:home": Rule(no_kwargs, get=frozenset({EDITOR, EDITOR_ELSEWHERE, *EXPERTS})),
    "desk:story_import": Rule(
        no_kwargs, get=frozenset({EDITOR, EDITOR_ELSEWHERE}), post=frozenset({EDITOR, EDITOR_ELSEWHERE})
    ),
    "desk:callout_status": Rule(
        lambda w, p: {"pk": w.callout.pk},
        get=frozenset({EDITOR}),
        post=frozenset({EDITOR}),
        data=lambda w: {"status": "closed"},
    ),
    "desk:callout_settings": Rule(
        callout_pk, get=frozenset({EDITOR}), post=frozenset({EDITOR}), data=lambda w: {"prompt": "Changed?"}
    ),
    "desk:reveal_contact": Rule(question_pk, post=frozenset({EDITOR})),
    # Data-subject requests: both editors may ask, each about their own newsroom's readers only.
    "desk:export_reader_data": Rule(
        no_kwargs, get=frozenset({EDITOR, EDITOR_ELSEWHERE}), post=frozenset({EDITOR, EDITOR_ELSEWHERE})
    ),
    # Exports: the questions for editors; contact details only with the reveal permission.
    "exports:callout": Rule(
        callout_pk, get=frozenset({EDITOR}), post=frozenset({EDITOR}), data=lambda w: {"format": "csv"}
    ),
    "exports:contacts": Rule(callout_pk, post=frozenset({EDITOR}), data=lambda w: {"format": "csv"}),
    # The expert's own work.
    "answers:queue": Rule(no_kwargs, get=EXPERTS),
    "answers:edit": Rule(
        question_pk, get=frozenset({EXPERT_OWN}), post=frozenset({EXPERT_OWN}), data=lambda w: {"body": "x"}
    ),
    "answers:publish": Rule(question_pk, get=frozenset({EDITOR}), post=frozenset({EDITOR})),
    "answers:publish_from_story": Rule(question_pk, get=frozenset({EDITOR}), post=frozenset({EDITOR})),
    "answers:act": Rule(question_pk, post=frozenset({EDITOR}), data=lambda w: {"action": "return"}),
    # Signing in and out.
    "accounts:login": Rule(no_kwargs, get=EVERYONE, post=EVERYONE),
    "accounts:logout": Rule(no_kwargs, post=EVERYONE),
    # The second sign-in step concerns one's own account: any signed-in account, no newsroom data.
    "accounts:two_factor_setup": Rule(no_kwargs, get=SIGNED_IN, post=SIGNED_IN),
    "accounts:two_factor_verify": Rule(no_kwargs, get=SIGNED_IN, post=SIGNED_IN),
    # What readers want: editors of the newsroom only (the memberships lookup costs one query).
    "insights:callout": Rule(callout_pk, get=frozenset({EDITOR})),
    "insights:newsroom": Rule(lambda w, p: {"pk": w.newsroom.pk}, get=frozenset({EDITOR})),
    # Voting rounds, editor alerts, API keys and webhooks: editors, each for their own newsrooms.
    "readers:round_new": Rule(callout_pk, get=frozenset({EDITOR}), post=frozenset({EDITOR})),
    # A private reply by email to the reader of a flagged question: editors of its newsroom only.
    "readers:private_reply": Rule(
        question_pk, get=frozenset({EDITOR}), post=frozenset({EDITOR}), data=lambda w: {"body": "We will call you."}
    ),
    "readers:alerts": Rule(
        no_kwargs, get=frozenset({EDITOR, EDITOR_ELSEWHERE}), post=frozenset({EDITOR, EDITOR_ELSEWHERE})
    ),
    "api_keys": Rule(no_kwargs, get=frozenset({EDITOR, EDITOR_ELSEWHERE}), post=frozenset({EDITOR, EDITOR_ELSEWHERE})),
    "webhooks:desk": Rule(
        no_kwargs, get=frozenset({EDITOR, EDITOR_ELSEWHERE}), post=frozenset({EDITOR, EDITOR_ELSEWHERE})
    ),
    "openapi": Rule(no_kwargs, get=EVERYONE, post=EVERYONE),  # a public document, the same for any method
    # The Django admin is for the people who run askdesk (is_staff); no persona here is.
    "admin:index": Rule(no_kwargs),
}
# URLs this matrix does not request, each with where its permissions are tested instead.
# Prefer adding a RULES line: an entry here is a known gap, not an expectation.
COVERED_BY_ANOTHER_RULE = {
    "admin:": "the admin site's own permission check, requested at admin:index",
    "api-v1:": "API keys, not sessions: keys and scopes are tested in tests/api",
    "<unnamed ^api/>": "the API's mount point",
    "readers:also_ask": "reader-facing, needs a published question: tests/readers",
    "readers:joined": "a joined reader's private link: tests/readers",
    "readers:joined_delete": "a joined reader's private link: tests/readers",
    "readers:unsubscribe": "a signed unsubscribe link: tests/readers",
    "readers:round": "a public voting round: tests/readers",
    "readers:vote": "a public voting round: tests/readers",
    "readers:round_results": "a public voting round: tests/readers",
    "readers:round_desk": "needs a voting round; checked through get_callout_for_editor: tests/readers",
}


def url_names(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[str]:
    """Every URL name in the configuration, namespaced as reverse() takes it."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            space = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from url_names(entry.url_patterns, space)
        elif isinstance(entry, URLPattern):
            yield f"{prefix}{entry.name}" if entry.name else f"{prefix}<unnamed {entry.pattern}>"


def _covered(name: str) -> bool:
    if name in RULES or name in COVERED_BY_ANOTHER_RULE:
        return True
    return any(name.startswith(space) for space in COVERED_BY_ANOTHER_RULE if space.endswith(":"))


def test_every_url_has_an_expectation() -> None:
    missing = sorted({name for name in url_names() if not _covered(name)})
    assert not missing, f"Add these URLs to RULES in {__file__}: {missing}"


def test_every_expectation_names_a_url() -> None:
    names = set(url_names())
    assert not sorted(set(RULES) - names)


@pytest.fixture
def world(newsroom: Newsroom, callout: Any) -> World:
    lyse = make_expert(newsroom, "lyse", "Lyse Doucet", "Chief international correspondent")
    omar = make_expert(newsroom, "omar", "Omar Other", "Economics editor")
    editor = staff_create(username="eva", password=PASSWORD, role=Role.EDITOR, newsroom=newsroom, can_see_contacts=True)
    elsewhere_room = make_newsroom("The Other Gazette", "other")
    story_import(newsroom=elsewhere_room, raw=DEMO_STORY.read_text())
    elsewhere = staff_create(
        username="otto", password=PASSWORD, role=Role.EDITOR, newsroom=elsewhere_room, can_see_contacts=True
    )
    no_role = User.objects.create_user(username="nora", password=PASSWORD)
    Membership.objects.create(user=no_role, newsroom=newsroom)
    own, token = submit(callout, "Will Iran retaliate?", email="sara@example.org")
    other, _ = submit(callout, "What is the IAEA?")
    question_assign(question=own, expert=lyse, actor=editor)
    question_assign(question=other, expert=omar, actor=editor)
    question_move(question=own, target=None, actor=editor)
    own.refresh_from_db()
    users: dict[str, User | None] = {
        ANONYMOUS: None,
        READER: None,
        EXPERT_OWN: lyse.user,
        EXPERT_OTHER: lyse.user,
        EDITOR: editor,
        EDITOR_ELSEWHERE: elsewhere,
        NO_ROLE: no_role,
    }
    return World(newsroom=newsroom, callout=callout, own=own, other=other, token=token, users=users)


def _refused(response: Any) -> bool:
    if response.status_code in {403, 404, 405}:
        return True
    # Sent to sign in first ("?next=" brings them back): not let in.
    return response.status_code == 302 and "login/?next=" in response.get("Location", "")


def _request(client: Client, method: str, url: str, data: dict[str, Any]) -> tuple[bool, int]:
    """(granted, audit events written), with everything the request wrote rolled back."""
    with transaction.atomic():
        before = AuditEvent.objects.count()
        response = client.get(url, data) if method == "GET" else client.post(url, data)
        written = AuditEvent.objects.count() - before
        transaction.set_rollback(True)
    return not _refused(response), written


@pytest.mark.parametrize("name", sorted(RULES))
def test_role_matrix_grants_exactly_the_expected_personas(name: str, world: World) -> None:
    rule = RULES[name]
    wrong = []
    for persona in PERSONAS:
        client = Client()
        user = world.users[persona]
        if user is not None:
            client.force_login(user)
        url = reverse(name, kwargs=rule.kwargs(world, persona))
        for method, allowed in (("GET", rule.get), ("POST", rule.post)):
            granted, written = _request(client, method, url, rule.data(world))
            expected = persona in allowed
            if granted != expected:
                wrong.append(f"{method} {url} as {persona}: {'granted' if granted else 'refused'}")
            elif not granted and written:
                wrong.append(f"{method} {url} as {persona}: refused but wrote {written} audit event(s)")
    assert wrong == []
