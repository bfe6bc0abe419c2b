"""The main path in a real browser: a reader asks, an editor triages, an expert answers, the answer is published."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page, expect

from askdesk.accounts.models import Expert
from askdesk.callouts.models import Callout
from askdesk.questions.models import ReaderContact
from tests.conftest import submit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("real_model_for_screenshots"),
]

PROMPT = "What do you want to understand better about the Israeli missile strike on Iran?"
QUESTION = "Why did Israel choose Isfahan, and could this lead to a wider war?"
ANSWER = (
    "Isfahan is home to an airbase, missile production and nuclear sites.\n\n"
    "Officials say the strike was limited, and both sides appear to want to avoid escalation for now."
)
CANARY_EMAIL = "canary-e2e@example.invalid"
CANARY_PHONE = "07700 900123"
# Any trace of the reader's contact details, whatever the formatting (E.164, spaces removed...).
CANARY_FRAGMENTS = ("canary-e2e", "7700", "900123")
# Other readers' questions, so the editor has to find the right one among several.
OTHER_QUESTIONS = [
    ("Was anyone hurt in the strike?", {"name": "Tom", "location": "Cardiff"}),
    ("What are the nuclear facilities in Isfahan used for?", {"name": "Ana", "age": 52}),
    ("Why is Iran saying the attack did not happen?", {"location": "Glasgow"}),
    ("Was anyone hurt in the Isfahan strike?", {"name": "Priya", "age": 29, "location": "Leicester"}),
    ("Will Iran retaliate against Israel?", {}),
    ("Will Iran retaliate against Israel again?", {"name": "Joe"}),
]


def without_random_values(page: Page, html: str) -> str:
    """The page's HTML without its random hidden values (CSRF token, form key), which may hold any digits."""
    values = page.eval_on_selector_all("input[type=hidden]", "inputs => inputs.map(i => i.value)")
    for value in values:
        if value:
            html = html.replace(value, "")
    return html


def assert_no_contact_details(page: Page, *, private_token: str = "") -> None:
    html = without_random_values(page, page.content())
    if private_token:
        html = html.replace(private_token, "")
    html = html.lower()
    for fragment in CANARY_FRAGMENTS:
        assert fragment not in html, f"{fragment!r} appears on {page.url}"


def test_a_readers_question_is_answered_and_published_without_their_contact_details(
    callout: Callout,
    editor: User,
    expert: Expert,
    new_context: Callable[..., BrowserContext],
    shoot: Callable[[Page, str], Path],
    sign_in: Callable[[BrowserContext, User], Page],
) -> None:
    for text, fields in OTHER_QUESTIONS:
        submit(callout, text, **fields)
    story_url = f"/stories/{callout.story.slug}/"

    # A reader reads the story and asks.
    reader = new_context().new_page()
    reader.goto(story_url)
    expect(reader.get_by_role("heading", level=1)).to_have_text(callout.story.title)
    expect(reader.locator(".story-body")).to_contain_text("isfahan", ignore_case=True)
    expect(reader.get_by_role("heading", level=2, name=PROMPT)).to_be_visible()
    shoot(reader, "story-desktop")
    assert_no_contact_details(reader)

    phone = new_context(phone=True).new_page()
    phone.goto(story_url)
    expect(phone.get_by_role("heading", level=2, name=PROMPT)).to_be_visible()
    shoot(phone, "story-phone")

    form = reader.locator("form.ask-form")
    form.get_by_label("Your question").fill(QUESTION)
    form.get_by_label("Name (optional)").fill("Sara")
    form.get_by_label("Age (optional)").fill("34")
    form.get_by_label("Location (optional)").fill("Leeds")
    form.get_by_label("Don't publish my age").check()
    form.get_by_label("Email").fill(CANARY_EMAIL)
    form.get_by_label("Phone").fill(CANARY_PHONE)
    form.get_by_label("I have read and accept").check()
    form.get_by_role("button", name="Send your question").click()

    expect(reader.get_by_role("heading", level=1)).to_have_text("Thank you, your question has been sent")
    private_link = reader.locator("#private-link")
    expect(private_link).to_have_attribute("href", re.compile(r"/q/[^/]+/$"))
    private_url = private_link.get_attribute("href")
    assert private_url is not None
    private_token = private_url.rstrip("/").rsplit("/", 1)[-1]
    expect(reader.locator(".question-text")).to_have_text(QUESTION)
    shoot(reader, "thank-you")
    assert_no_contact_details(reader, private_token=private_token)
    # The details were kept for the newsroom, apart from the question.
    contact = ReaderContact.objects.get(question__text=QUESTION)
    assert (contact.email, contact.phone) == (CANARY_EMAIL, "+447700900123")

    # The editor shortlists it and gives it to the expert.
    desk = sign_in(new_context(), editor)
    desk.get_by_role("link", name=PROMPT).click()
    expect(desk.get_by_role("heading", level=1)).to_have_text(PROMPT)
    row = desk.locator(".question-row", has_text=QUESTION)
    expect(desk.locator(".question-row")).to_have_count(len(OTHER_QUESTIONS) + 1)
    row.get_by_role("button", name="Shortlist").click()
    # Decided: it leaves the list of questions that need a decision, for the shortlist.
    expect(row).to_have_count(0)
    desk.locator(".state-tabs a[data-state=shortlisted]").click()
    expect(row.locator(".badge-shortlisted")).to_have_text("Shortlisted")
    shoot(desk, "triage")
    # The same questions grouped by meaning, largest group first.
    desk.get_by_role("link", name="Grouped by meaning").click()
    expect(desk.locator(".group-row").first).to_contain_text("readers asked this")
    shoot(desk, "triage-groups")
    desk.get_by_role("link", name="Questions", exact=True).click()
    desk.locator(".state-tabs a[data-state=shortlisted]").click()
    row.get_by_role("link", name=QUESTION).click()
    expect(desk.locator("#question-status")).to_have_text("Shortlisted")
    expect(desk.locator("#byline-preview")).to_have_text("Sara, Leeds")
    desk.get_by_label("Assign to an expert").select_option(label=f"{expert.name} — {expert.title}")
    desk.get_by_role("button", name="Assign", exact=True).click()
    expect(desk.get_by_text(f"Question assigned to {expert.name}.")).to_be_visible()
    expect(desk.locator("#question-status")).to_have_text("Assigned")
    shoot(desk, "question-detail")

    # The expert finds it in their queue and answers.
    expert_page = sign_in(new_context(), expert.user)
    expect(expert_page.get_by_role("heading", level=1)).to_have_text("My questions")
    expert_page.get_by_role("link", name=QUESTION).click()
    expect(expert_page.get_by_role("heading", level=1)).to_have_text(QUESTION)
    expert_page.get_by_label("Your answer").fill(ANSWER)
    expert_page.get_by_label("Your answer").blur()
    shoot(expert_page, "expert-answer")
    expert_page.get_by_role("button", name="Send for approval").click()
    expect(expert_page.get_by_text("Answer sent to the editors for approval.")).to_be_visible()
    expect(expert_page.locator(".question-row", has_text=QUESTION).locator(".badge")).to_have_text(
        "Waiting for approval"
    )

    # The editor approves and publishes.
    desk.reload()
    expect(desk.locator("#question-status")).to_have_text("Waiting for approval")
    desk.get_by_role("link", name="Approve and publish…").click()
    # Other readers of its group are listed with tick boxes; only close matches are ticked.
    expect(desk.locator("#cover")).to_be_visible()
    desk.get_by_role("button", name="Approve and publish").click()
    expect(desk.get_by_text("Answer approved and published.")).to_be_visible()
    expect(desk.locator("#question-status")).to_have_text("Published")

    # Readers see the answer, signed as Sara allowed, and nothing of her contact details.
    reader.goto(f"/answers/{callout.slug}/")
    published = reader.locator(".qa")
    expect(published).to_have_count(1)
    expect(published.locator(".qa-question")).to_have_text(QUESTION)
    expect(published.locator(".byline")).to_have_text("Asked by Sara, Leeds")
    expect(published.locator(".answer-body")).to_contain_text("both sides appear to want to avoid escalation")
    expect(published.locator(".answer-by")).to_contain_text(f"Answered by {expert.name}, {expert.title}")
    expect(published).not_to_contain_text("34")
    shoot(reader, "public-answers")
    assert_no_contact_details(reader)

    reader.goto(private_url)
    expect(reader.locator(".reader-status")).to_have_text("Published")
    expect(reader.locator(".answer-body")).to_contain_text("both sides appear to want to avoid escalation")
    assert_no_contact_details(reader, private_token=private_token)

    reader.get_by_role("link", name="Delete my question and details").click()
    assert_no_contact_details(reader, private_token=private_token)
    for path in (story_url, "/"):
        reader.goto(path)
        assert_no_contact_details(reader)
    expect(reader.get_by_role("link", name="1 answer")).to_be_visible()
