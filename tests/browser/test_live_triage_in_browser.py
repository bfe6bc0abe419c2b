"""Live triage in a real browser: a reader's new question is announced on an open triage page,
and the editor's ticks, focus and place stay as they were until they ask to see it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from askdesk.questions.models import Question
from tests.conftest import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_readers_question_shows_the_new_questions_bar_and_the_ticked_box_stays_ticked(
    callout, editor, new_context, sign_in, settings
) -> None:
    settings.ASKDESK_DESK_POLL_SECONDS = 0.5
    first, _ = submit(callout, "Will Iran retaliate?")
    submit(callout, "What is the IAEA?")
    desk = sign_in(new_context(), editor)
    desk.goto(f"/desk/callouts/{callout.pk}/")
    tick = desk.get_by_label("Tick: Will Iran retaliate?")
    tick.check()
    tick.focus()
    bar = desk.get_by_role("status").filter(has=desk.locator("[data-live-text]"))
    expect(bar.get_by_role("button", name="Show")).to_be_hidden()

    reader = new_context().new_page()
    reader.goto(f"/stories/{callout.story.slug}/")
    form = reader.locator("form.ask-form")
    form.get_by_label("Your question").fill("Are nuclear sites safe?")
    form.get_by_label("I have read and accept").check()
    form.get_by_role("button", name="Send your question").click()
    expect(reader.get_by_role("heading", level=1)).to_have_text("Thank you, your question has been sent")

    expect(bar).to_contain_text("1 new question")
    expect(desk.locator('.state-tabs a[data-state="new"] .count')).to_have_text("3")
    # The list was left alone: same rows, the box still ticked and still focused.
    expect(desk.locator(".question-row")).to_have_count(2)
    expect(tick).to_be_checked()
    expect(tick).to_be_focused()

    bar.get_by_role("button", name="Show").click()
    expect(desk.locator(".question-row")).to_have_count(3)
    expect(desk.locator(".question-row").first).to_contain_text("Are nuclear sites safe?")
    expect(desk.get_by_label("Tick: Will Iran retaliate?")).to_be_checked()
    assert Question.objects.get(pk=first.pk).status == "new"


def test_another_editors_action_is_announced_on_the_groups_view(
    callout, editor, new_context, sign_in, settings
) -> None:
    settings.ASKDESK_DESK_POLL_SECONDS = 0.5
    question, _ = submit(callout, "Will Iran retaliate?")
    desk = sign_in(new_context(), editor)
    desk.goto(f"/desk/callouts/{callout.pk}/?view=groups")
    bar = desk.get_by_role("status").filter(has=desk.locator("[data-live-text]"))

    other = sign_in(new_context(), editor)
    other.goto(f"/desk/callouts/{callout.pk}/")
    other.locator(f"#q-{question.pk}").get_by_role("button", name="Reject").click()
    expect(other.locator(".question-row")).to_have_count(0)

    expect(bar).to_contain_text("This list has changed")
