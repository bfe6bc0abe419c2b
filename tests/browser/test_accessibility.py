"""Keyboard use, visible focus and small screens, checked in a real browser."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page, expect

from askdesk.callouts.models import Callout
from askdesk.questions.models import Question
from tests.conftest import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUS_STYLE = """el => {
  const s = getComputedStyle(el);
  return {outline: `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor}`, shadow: s.boxShadow};
}"""


def focused_id(page: Page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()")


def tab_to(page: Page, expected: str) -> dict[str, str]:
    """Press Tab once, check where focus lands, and return that element's look while focused."""
    page.keyboard.press("Tab")
    assert focused_id(page) == expected
    return page.evaluate(f"({FOCUS_STYLE})(document.activeElement)")


def assert_focus_is_visible(selector: str, focused: dict[str, str], resting: dict[str, str]) -> None:
    """Focused, the element has a solid outline at least 2px wide or a ring it does not have at rest."""
    style, width, *_ = focused["outline"].split(" ")
    outline_shows = style not in {"none", "hidden"} and float(width.removesuffix("px")) >= 2
    assert focused != resting, selector
    assert outline_shows or focused["shadow"] != resting["shadow"], (selector, focused, resting)


def test_a_reader_can_ask_with_the_keyboard_alone_and_always_sees_where_they_are(callout: Callout, page: Page) -> None:
    page.goto(f"/stories/{callout.story.slug}/")
    # One control of each kind, as it looks before anything has focus.
    controls = {
        "Skip to content": "a.skip-link",
        "id_question": "#id_question",
        "id_name": "#id_name",
        "id_hide_name": "#id_hide_name",
        "terms and conditions": "a[href^='/legal/'] >> nth=0",
        "Send your question": "form.ask-form button[type=submit]",
    }
    resting = {name: page.locator(selector).evaluate(FOCUS_STYLE) for name, selector in controls.items()}
    focused: dict[str, dict[str, str]] = {}

    def tab(expected: str) -> None:
        style = tab_to(page, expected)
        if expected in controls:
            focused[expected] = style

    # The first Tab offers the skip link, which leads past the header to the story.
    tab("Skip to content")
    expect(page.get_by_role("link", name="Skip to content")).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # Where each Tab should land, in order, and what the reader then types or presses there.
    steps = [
        ("id_question", "Could the strike lead to a wider war?"),
        ("id_name", "Sara"),
        ("id_hide_name", None),
        ("id_age", "34"),
        ("id_hide_age", "Space"),
        ("id_location", "Leeds"),
        ("id_hide_location", None),
        ("id_email", None),
        ("id_phone", "07700 900123"),
        ("id_consent", "Space"),
        ("terms and conditions", None),
        ("privacy policy", None),
        ("Send your question", None),
    ]
    for expected, entry in steps:
        tab(expected)
        if entry == "Space":
            page.keyboard.press("Space")
        elif entry:
            page.keyboard.type(entry)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your question has been sent")
    question = Question.objects.get()
    assert (question.name, question.age, question.location) == ("Sara", 34, "Leeds")
    assert (question.publish_name, question.publish_age, question.publish_location) == (True, False, True)
    for name in controls:
        assert_focus_is_visible(name, focused[name], resting[name])


def test_pages_fit_a_phone_screen_without_sideways_scrolling(
    callout: Callout,
    editor: User,
    new_context: Callable[..., BrowserContext],
    sign_in: Callable[[BrowserContext, User], Page],
) -> None:
    question, token = submit(callout, "Why did Israel choose Isfahan, and could this lead to a wider war?", name="Sara")
    reader = new_context(phone=True).new_page()
    desk = sign_in(new_context(phone=True), editor)
    visits = [
        (reader, "/"),
        (reader, f"/stories/{callout.story.slug}/"),
        (reader, f"/q/{token}/?submitted=1"),
        (reader, f"/answers/{callout.slug}/"),
        (reader, "/desk/login/"),
        (desk, "/desk/"),
        (desk, f"/desk/callouts/{callout.pk}/"),
        (desk, f"/desk/questions/{question.pk}/"),
    ]
    too_wide = {}
    for page, path in visits:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > page.viewport_size["width"]:
            too_wide[path] = width
    assert too_wide == {}
