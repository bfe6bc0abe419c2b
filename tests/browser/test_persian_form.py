"""The form in Persian on a phone: right to left, mirrored, and sent."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from askdesk.callouts.models import Callout
from askdesk.questions.models import Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_persian_reader_on_a_phone_sees_a_mirrored_form_and_can_ask(
    callout: Callout, new_context: Callable[..., BrowserContext], shoot: Callable[[Page, str], Path]
) -> None:
    context = new_context(phone=True)
    page = context.new_page()
    page.goto(f"/embed/{callout.slug}/form/?lang=fa")  # as a Persian service's article embeds it
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    form = page.locator("form.ask-form")
    question = form.get_by_label("پرسش شما")
    expect(question).to_be_visible()

    # Mirrored: boxes stand to the right of their labels, the button starts at the right edge.
    width = page.viewport_size["width"]  # type: ignore[index]
    box = form.locator("#id_hide_name").bounding_box()
    box_label = form.locator("label[for=id_hide_name]").bounding_box()
    button = form.get_by_role("button", name="فرستادن پرسش").bounding_box()
    assert box is not None and box_label is not None and button is not None
    assert box["x"] > box_label["x"] + box_label["width"] - 1
    assert button["x"] + button["width"] > width * 0.8 and button["x"] > width * 0.2
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    question.fill("آیا پروازها از فرودگاه امام از سر گرفته می‌شوند؟")
    form.get_by_role("textbox", name="محل زندگی (اختیاری)").fill("مشهد")
    shoot(page, "form-persian-phone")
    form.get_by_role("checkbox", name="را خوانده‌ام و می‌پذیرم").check()
    form.get_by_role("button", name="فرستادن پرسش").click()
    expect(page.get_by_role("heading", name="سپاس، پرسش شما فرستاده شد")).to_be_visible()
    assert Question.objects.get().location == "مشهد"
