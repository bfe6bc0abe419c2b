"""An answer reaches only the readers it answers, in a real browser: the editor ticks, the reader can say no."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page, expect

from askdesk.accounts.models import Expert
from askdesk.answers.services import answer_save
from askdesk.callouts.models import Callout
from askdesk.questions.models import Question
from askdesk.questions.services import question_assign
from tests.conftest import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWER = "Officials say there are no plans to, for now."


def test_the_editor_confirms_who_else_an_answer_answers_and_a_reader_sends_theirs_back(
    callout: Callout,
    editor: User,
    expert: Expert,
    new_context: Callable[..., BrowserContext],
    sign_in: Callable[[BrowserContext, User], Page],
) -> None:
    first, _ = submit(callout, "Will Iran retaliate against Israel?")  # grouped at commit
    second, second_token = submit(callout, "Will Iran retaliate against Israel again?")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.group_id == second.group_id
    question_assign(question=first, expert=expert, actor=editor)
    answer_save(question=first, expert=expert, body=ANSWER, submit=True)

    desk = sign_in(new_context(), editor)
    desk.goto(f"/desk/questions/{first.pk}/")
    desk.get_by_role("link", name="Approve and publish…").click()
    cover = desk.get_by_role("group", name="This will also answer these 1 reader")
    expect(cover).to_be_visible()
    cover.get_by_label("Will Iran retaliate against Israel again?").check()
    desk.get_by_role("button", name="Approve and publish").click()
    expect(desk.get_by_text("It also answers 1 other reader.")).to_be_visible()
    second.refresh_from_db()
    assert (second.status, second.covered_by_id) == ("covered", first.pk)

    reader = new_context().new_page()
    reader.goto(f"/q/{second_token}/")
    note = reader.locator("#covered-note")
    expect(note).to_contain_text("You asked: Will Iran retaliate against Israel again?")
    expect(note).to_contain_text("We answered Will Iran retaliate against Israel?, which we think answers yours too.")
    expect(reader.locator(".answer-body")).to_contain_text(ANSWER)
    reader.get_by_role("button", name="This doesn't answer my question").click()
    expect(reader.get_by_text("Your question is back with our editors")).to_be_visible()
    expect(reader.locator(".reader-status")).to_have_text("New")
    expect(reader.locator(".answer-body")).to_have_count(0)
    assert Question.objects.get(pk=second.pk).cover_declined_from_id == first.pk
