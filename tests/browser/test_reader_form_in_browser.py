"""The reader's form in a real browser when something is missing or wrong."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from askdesk.callouts.models import Callout
from askdesk.questions.models import Question, ReaderContact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_empty_question_shows_the_errors_keeps_what_was_typed_and_stores_nothing(
    callout: Callout, page: Page
) -> None:
    page.goto(f"/stories/{callout.story.slug}/")
    form = page.locator("form.ask-form")
    form.get_by_label("Name (optional)").fill("Sara")
    form.get_by_label("Location (optional)").fill("Leeds")
    form.get_by_label("Don't publish my age").check()
    form.get_by_label("Email").fill("sara@")
    form.get_by_role("button", name="Send your question").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(page).to_have_title(f"Error: {callout.story.title} · {callout.story.newsroom.name}")
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    expected = {
        "id_question": "Enter your question.",
        "id_email": "Enter an email address in the form name@example.com.",
        "id_consent": "Tick the box to accept the terms and the privacy policy.",
    }
    links = summary.get_by_role("link")
    expect(links).to_have_text(list(expected.values()))
    for field_id, message in expected.items():
        expect(summary.get_by_role("link", name=message)).to_have_attribute("href", f"#{field_id}")
        expect(page.locator(f"#{field_id}")).to_have_count(1)
        # The same message, next to the field it is about.
        field = page.locator("div.field", has=page.locator(f"#{field_id}"))
        expect(field).to_have_class(re.compile(r"\bfield-error\b"))
        expect(field.locator(".error-message")).to_have_text(f"Error: {message}")
        expect(page.locator(f"#{field_id}")).to_have_attribute("aria-invalid", "true")

    # Screen reader users are taken to the summary; it has to take focus.
    summary.focus()
    expect(summary).to_be_focused()
    # Following a link in the summary takes the reader to its field.
    page.get_by_role("link", name=expected["id_consent"]).click()
    expect(page.locator("#id_consent")).to_be_focused()
    expect(page.locator("#id_consent")).to_be_in_viewport()

    expect(form.get_by_label("Your question")).to_have_value("")
    expect(form.get_by_label("Name (optional)")).to_have_value("Sara")
    expect(form.get_by_label("Location (optional)")).to_have_value("Leeds")
    expect(form.get_by_label("Email")).to_have_value("sara@")
    expect(form.get_by_label("Don't publish my age")).to_be_checked()
    expect(form.get_by_label("Don't publish my name")).not_to_be_checked()
    assert Question.objects.count() == 0
    assert ReaderContact.objects.count() == 0

    # Putting it right sends the question once, with what was typed before the errors.
    form.get_by_label("Your question").fill("Could the strike lead to a wider war?")
    form.get_by_label("Email").fill("")
    form.get_by_label("I have read and accept").check()
    form.get_by_role("button", name="Send your question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your question has been sent")
    question = Question.objects.get()
    assert (question.name, question.location, question.publish_age) == ("Sara", "Leeds", False)


def test_each_error_message_is_read_out_with_its_field(callout: Callout, page: Page) -> None:
    page.goto(f"/stories/{callout.story.slug}/")
    page.get_by_role("button", name="Send your question").click()
    expect(page.locator("#error-summary")).to_be_visible()
    for field_id in ("id_question", "id_consent"):
        described_by = page.locator(f"#{field_id}").get_attribute("aria-describedby") or ""
        messages = [page.locator(f"[id='{ref}']") for ref in described_by.split()]
        assert any(m.count() == 1 and "Error:" in m.inner_text() for m in messages), field_id
