"""Property-based fuzzing of the reader form and the staff forms: no server error, nothing saved on an error.

Hypothesis makes the inputs (arbitrary text, control and invisible characters, huge and empty
values, missing and unknown fields); each run is bounded by ``max_examples``. A server error
would surface as an exception from the test client (it re-raises what the view raised).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.constants import ERROR
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from askdesk.answers.models import Answer
from askdesk.audit.models import AuditEvent
from askdesk.callouts.models import Callout
from askdesk.questions.models import Question, QuestionGroup, ReaderContact
from askdesk.questions.services import question_assign, question_move
from askdesk.stories.models import Story
from tests.conftest import form_data, login, submit

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
    database=None,  # nothing written to the worktree; the fixed seed makes each run the same
)

# Text a browser can send: any Unicode except lone surrogates (not encodable as UTF-8).
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)
tricky = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\u200b" * 5,
        "x" * 5000,
        "-1",
        "0",
        "999999999999999999999",
        "1e9",
        "NaN",
        "on",
        "off",
        "true",
        "new",
        "../../etc/passwd",
        "//evil.example/",
        "/desk//x",
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "+44 7700 900123",
        "a@b.c",
    ]
)
value = st.one_of(any_text, tricky)


def snapshot(*models: type[Model]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of these tables, to tell whether anything was written."""
    return {model.__name__: sorted(map(tuple, model.objects.values_list())) for model in models}  # type: ignore[attr-defined]


STAFF_TABLES = (Question, QuestionGroup, Answer, Callout, Story, ReaderContact, AuditEvent)


def error_messages(response: Any) -> list[str]:
    return [m.message for m in get_messages(response.wsgi_request) if m.level >= ERROR]


# --- the reader's form -----------------------------------------------------------------------

READER_FIELDS = ["question", "name", "age", "location", "email", "phone", "consent", "submission_key"]
READER_FIELDS += ["hide_name", "hide_age", "hide_location"]


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(READER_FIELDS), st.one_of(value, st.none()), max_size=6))
def test_the_reader_form_never_fails_and_saves_nothing_it_refuses(callout, changes):
    data = form_data(**changes)
    before = snapshot(Question, ReaderContact)
    response = Client().post(f"/ask/{callout.slug}/", data)
    assert response.status_code in {302, 400}
    if response.status_code == 400:
        assert snapshot(Question, ReaderContact) == before
    else:
        assert Question.objects.count() in {len(before["Question"]), len(before["Question"]) + 1}


@FUZZ
@given(fields=st.dictionaries(any_text.filter(bool), value, max_size=8))
def test_a_reader_form_of_arbitrary_fields_never_fails(callout, fields):
    before = snapshot(Question, ReaderContact)
    response = Client().post(f"/ask/{callout.slug}/", fields)
    assert response.status_code in {302, 400}
    if response.status_code == 400:
        assert snapshot(Question, ReaderContact) == before


@FUZZ
@given(token=any_text, method=st.sampled_from(["get", "post"]))
def test_private_links_of_any_shape_never_fail(callout, token, method):
    question, real = submit(callout)
    response = getattr(Client(), method)(f"/q/{quote(token, safe='')}/delete/")
    assert response.status_code in {200, 301, 404}
    assert Question.objects.filter(pk=question.pk).exists() or token == real


# --- staff forms -----------------------------------------------------------------------------


@pytest.fixture
def desk(callout, editor, expert):
    """A call-out with questions in several states, and the clients of an editor and an expert."""
    first, _ = submit(callout, "Will Iran retaliate?", email="a@example.com")
    second, _ = submit(callout, "What is the IAEA?")
    question_move(question=second, target=None, actor=editor)
    question_assign(question=first, expert=expert, actor=editor)
    return {
        "callout": callout,
        "questions": [first, second],
        "editor": login(Client(), editor),
        "expert": login(Client(), expert.user),
    }


def check_staff_post(client: Client, url: str, data: dict[str, Any]) -> None:
    before = snapshot(*STAFF_TABLES)
    client.cookies.pop("messages", None)  # only this request's messages count
    response = client.post(url, data)
    assert response.status_code < 500
    if response.status_code >= 400 or error_messages(response):
        assert snapshot(*STAFF_TABLES) == before, (url, data)


QUESTION_ACTIONS = ["shortlist", "reject", "spam", "restore", "assign", "move", "redact", "edit_wording", "publish"]


@FUZZ
@given(
    action=st.one_of(st.sampled_from(QUESTION_ACTIONS), value),
    extra=st.dictionaries(st.sampled_from(["expert", "group", "public_text", "next"]), value, max_size=4),
    which=st.integers(0, 1),
)
def test_the_question_actions_never_fail_and_refusals_change_nothing(desk, action, extra, which):
    question = desk["questions"][which]
    check_staff_post(desk["editor"], reverse("questions:act", args=[question.pk]), {"action": action, **extra})


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(["merge", "selected", "group_action", "expert_1", "expert_2", "expert_3"]), value, max_size=4
    ),
    action=st.one_of(st.sampled_from(["shortlist:", "reject:", "assign:", "spam:"]), value),
    group=st.one_of(st.integers(-2, 5).map(str), value),
)
def test_the_group_actions_never_fail_and_refusals_change_nothing(desk, fields, action, group):
    data = {"group_action": f"{action}{group}", **fields}
    check_staff_post(desk["editor"], reverse("questions:group_act", args=[desk["callout"].pk]), data)


@FUZZ
@given(
    body=value,
    submit_value=st.one_of(st.sampled_from(["0", "1"]), value),
    action=st.one_of(st.sampled_from(["publish", "return", "unpublish", "publish_from_story"]), value),
)
def test_the_answer_forms_never_fail_and_refusals_change_nothing(desk, body, submit_value, action):
    assigned = desk["questions"][0]
    answer = {"body": body, "submit": submit_value}
    check_staff_post(desk["expert"], reverse("answers:edit", args=[assigned.pk]), answer)
    check_staff_post(desk["editor"], reverse("answers:act", args=[assigned.pk]), {"action": action, "note": body})


@FUZZ
@given(status=value, title=value, text=value, email=value, q=value, view=value, page=value, status_filter=value)
def test_the_callout_story_export_and_triage_forms_never_fail(
    desk, status, title, text, email, q, view, page, status_filter
):
    editor = desk["editor"]
    callout = desk["callout"]
    check_staff_post(editor, reverse("desk:callout_status", args=[callout.pk]), {"status": status})
    check_staff_post(editor, reverse("desk:story_import"), {"title": title, "text": text})
    check_staff_post(editor, reverse("desk:export_reader_data"), {"email": email})
    triage = editor.get(
        reverse("questions:triage", args=[callout.pk]),
        {"q": q, "view": view, "page": page, "status": status_filter, "group": page},
    )
    assert triage.status_code == 200
