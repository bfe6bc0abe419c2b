"""In a real browser: a reader's mistake is shown on the story page itself, at its own address."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from askdesk.callouts.models import Callout
from askdesk.questions.models import Question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_mistake_is_shown_on_the_story_page_at_its_own_address_and_opening_it_again_keeps_nothing(
    callout: Callout, page: Page
) -> None:
    story = f"/stories/{callout.story.slug}/"
    page.goto(story)
    page.get_by_label("Your question").fill("Is my town near Isfahan safe tonight?")
    page.locator("form.ask-form button[type=submit]").click()

    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    assert page.url.split("?")[0].endswith(story)
    expect(page.get_by_label("Your question")).to_have_value("Is my town near Isfahan safe tonight?")
    assert not Question.objects.exists()

    page.goto(page.url)  # the address in the bar is a page, not a form handler
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_label("Your question")).to_have_value("")

    page.get_by_label("Your question").fill("Is my town near Isfahan safe tonight?")
    page.locator("#id_consent").check()
    page.locator("form.ask-form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your question has been sent")
    assert Question.objects.count() == 1
