"""An editor triages with the keyboard: j/k to move, s to shortlist, ? for the list of keys."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from askdesk.questions.models import Question
from tests.conftest import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_shortlists_and_rejects_with_the_keyboard(callout, editor, new_context, sign_in) -> None:
    submit(callout, "Oldest question?")
    submit(callout, "Middle question?")
    submit(callout, "Newest question?")
    desk = sign_in(new_context(), editor)
    desk.goto(f"/desk/callouts/{callout.pk}/")
    desk.keyboard.press("?")
    help_dialog = desk.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_dialog).to_be_visible()
    desk.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()
    desk.keyboard.press("j")
    expect(desk.locator(".question-row.is-current")).to_contain_text("Newest question?")
    desk.keyboard.press("s")
    expect(desk.locator(".question-row")).to_have_count(2)
    # Back at the row that took its place: the next key acts on it.
    expect(desk.locator(".question-row.is-current")).to_contain_text("Middle question?")
    desk.keyboard.press("r")
    expect(desk.locator(".question-row")).to_have_count(1)
    statuses = dict(Question.objects.values_list("text", "status"))
    assert statuses == {
        "Newest question?": "shortlisted",
        "Middle question?": "rejected",
        "Oldest question?": "new",
    }
    desk.keyboard.press("u")
    expect(desk.locator(".question-row")).to_have_count(2)
    assert Question.objects.get(text="Middle question?").status == "new"


def test_a_key_pressed_while_focus_is_still_in_the_closed_list_of_keys_acts_on_the_page(
    callout, editor, new_context, sign_in
) -> None:
    # Right after the list of keys closes, the browser may not yet have moved focus out of
    # it; a key sent from there (here: its own checkbox) must still move through the rows.
    submit(callout, "Only question?")
    desk = sign_in(new_context(), editor)
    desk.goto(f"/desk/callouts/{callout.pk}/")
    desk.evaluate(
        """() => {
          const help = document.getElementById("shortcuts-help");
          const toggle = help.querySelector("[data-shortcuts-toggle]");
          help.showModal();
          help.close();
          toggle.dispatchEvent(new KeyboardEvent("keydown", { key: "j", bubbles: true, cancelable: true }));
        }"""
    )
    expect(desk.locator(".question-row.is-current")).to_contain_text("Only question?")
