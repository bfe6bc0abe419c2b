"""Help while the reader types, in a real browser: suggestions appear without leaving the page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, expect

from askdesk.accounts.models import Expert
from askdesk.answers.services import answer_publish, answer_save
from askdesk.callouts.models import Callout
from askdesk.questions.models import Question
from askdesk.questions.services import question_assign
from tests.conftest import submit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("real_model_for_screenshots"),
]

PUBLISHED = "Will Iran retaliate against Israel for the strike?"


def test_a_reader_typing_sees_the_story_passage_and_a_similar_published_answer_and_can_still_send(
    callout: Callout,
    editor: User,
    expert: Expert,
    new_context: Callable[..., BrowserContext],
    screenshot_dir: Path,
) -> None:
    question, _ = submit(callout, PUBLISHED)  # analysed at commit, as the worker would
    question_assign(question=question, expert=expert, actor=editor)
    answer_save(question=question, expert=expert, body="Officials say there are no plans to.", submit=True)
    answer_publish(question=question, actor=editor)
    stored = Question.objects.count()

    page = new_context().new_page()
    page.goto(f"/stories/{callout.story.slug}/")
    form = page.locator("form.ask-form")
    box = form.locator("[data-suggestions]")
    expect(box).to_be_hidden()
    field = form.get_by_label("Your question")
    field.press_sequentially("Were nuclear sites damaged in the strike?", delay=5)
    expect(box).to_contain_text("The story may already answer this")
    sentence = callout.story.sentences.get(text__contains="said no nuclear sites were damaged")
    expect(box).to_contain_text(sentence.text)
    expect(box.get_by_role("link", name="Read it in the story")).to_have_attribute(
        "href", f"/stories/{callout.story.slug}/#{sentence.key}"
    )

    field.fill("")
    expect(box).to_be_hidden()  # nothing typed, nothing suggested
    field.press_sequentially("Will Iran retaliate against Israel?", delay=5)
    expect(box).to_contain_text("Readers asked something similar")
    link = box.get_by_role("link", name=PUBLISHED)
    expect(link).to_have_attribute("href", f"/answers/{callout.slug}/#q{question.pk}")
    top, bottom = form.locator(".field").first.bounding_box(), box.bounding_box()
    assert top is not None and bottom is not None
    scrolled = page.evaluate("window.scrollY")  # boxes are in the viewport, the clip in the page
    clip = {"x": top["x"] - 24, "y": top["y"] + scrolled - 24, "width": top["width"] + 48}
    clip["height"] = bottom["y"] + bottom["height"] - top["y"] + 48
    page.screenshot(path=str(screenshot_dir / "suggestions.png"), clip=clip, full_page=True, caret="hide")
    assert Question.objects.count() == stored  # typing stores nothing
    assert page.url.endswith(f"/stories/{callout.story.slug}/")

    form.get_by_label("I have read and accept").check()
    form.get_by_role("button", name="Send your question").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, your question has been sent")
    assert Question.objects.count() == stored + 1


def test_a_reader_typing_a_question_others_wait_on_joins_it_instead_of_writing_it_again(
    callout: Callout, editor: User, new_context: Callable[..., BrowserContext]
) -> None:
    from askdesk.questions.models import QuestionGroup
    from askdesk.questions.services import question_transition
    from askdesk.readers.models import AlsoAsked

    question, _ = submit(callout, PUBLISHED)  # analysed at commit, as the worker would
    group = QuestionGroup.objects.create(callout=callout, label=PUBLISHED, representative=question, size=4)
    Question.objects.filter(pk=question.pk).update(group=group)
    question_transition(question=Question.objects.get(pk=question.pk), action="shortlist", actor=editor)
    stored = Question.objects.count()

    page = new_context().new_page()
    page.goto(f"/stories/{callout.story.slug}/")
    form = page.locator("form.ask-form")
    box = form.locator("[data-suggestions]")
    form.get_by_label("Your question").press_sequentially("Will Iran retaliate against Israel?", delay=5)
    expect(box).to_contain_text("Readers asked something similar and are waiting for an answer")
    expect(box).to_contain_text(PUBLISHED)
    expect(box).to_contain_text("4 readers asked this")
    box.get_by_role("link", name="I want to know too").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("I want to know too")
    expect(page.get_by_text("4 readers asked this")).to_be_visible()
    page.get_by_label("I have read and accept").check()
    page.get_by_role("button", name="I want to know too").click()
    expect(page.get_by_text("5 readers asked this")).to_be_visible()
    assert AlsoAsked.objects.get().question_id == question.pk
    assert Question.objects.count() == stored  # the reader joined, nothing was written again
