"""The reader sees how many characters are left while typing the question (a static script, no inline code)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from askdesk.callouts.models import Callout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_question_box_counts_the_characters_left(callout: Callout, page: Page, settings) -> None:
    settings.ASKDESK_QUESTION_MAX_LENGTH = 50
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(f"/stories/{callout.story.slug}/")
    box = page.get_by_label("Your question")
    counter = page.locator(".char-count")
    expect(counter).to_have_text("50 characters left")
    box.fill("Will Iran retaliate?")
    expect(counter).to_have_text("30 characters left")
    box.fill("x" * 49)
    expect(counter).to_have_text("1 character left")
    assert (box.get_attribute("aria-describedby") or "").endswith("id_question-count")
    expect(page.locator("#id_question-hint")).to_contain_text("up to 50 characters")
    assert not [error for error in errors if "Content Security Policy" in error]
