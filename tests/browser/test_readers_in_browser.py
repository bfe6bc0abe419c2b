"""Closing the loop in a real browser: the thank-you page's copy button, and live voting results."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from askdesk.questions.models import Question, QuestionGroup
from askdesk.readers.voting import OptionChoice, round_create
from tests.conftest import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_thank_you_page_says_how_we_write_and_copies_the_private_link(callout, new_context, live_server):
    context = new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(f"/stories/{callout.story.slug}/")
    form = page.locator("form.ask-form")
    form.get_by_label("Your question").fill("Will Iran retaliate?")
    form.get_by_label("Email").fill("sara@example.com")
    form.get_by_label("I have read and accept").check()
    form.get_by_role("button", name="Send your question").click()
    expect(page.get_by_text("We have emailed you this private link")).to_be_visible()
    link = page.locator("#private-link").get_attribute("href")
    page.get_by_role("button", name="Copy link").click()
    expect(page.locator(".copy-status")).to_have_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == link


def test_results_update_live_on_an_open_page_when_another_reader_votes(callout, editor, new_context, shoot):
    groups = []
    for text in ("Will Iran retaliate?", "What is in Isfahan?"):
        question, _ = submit(callout, text)
        group = QuestionGroup.objects.create(callout=callout, label=text, representative=question, size=1)
        Question.objects.filter(pk=question.pk).update(group=group)
        groups.append(group)
    voting_round = round_create(
        callout=callout,
        title="Which first?",
        closes_at=timezone.now() + timedelta(hours=1),
        options=[OptionChoice(group, group.label) for group in groups],
        actor=editor,
    )
    watcher = new_context().new_page()
    watcher.goto(f"/rounds/{voting_round.pk}/")
    second = watcher.locator("[data-option]").nth(1)
    expect(second.locator("[data-votes]")).to_have_text("0")

    voter = new_context().new_page()
    voter.goto(f"/stories/{callout.story.slug}/")
    voter.get_by_label("What is in Isfahan?").check()
    voter.get_by_role("button", name="Vote").click()
    expect(voter.get_by_text("Thank you, your vote is counted.")).to_be_visible()
    # The watcher's page polls the results: no reload.
    expect(second.locator("[data-votes]")).to_have_text("1")
    expect(second.locator("[data-percent]")).to_have_text("100")
    shoot(watcher, "voting-round")
