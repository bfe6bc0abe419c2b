"""Desk pages pass axe-core with no serious or critical violation, and the story box beside a
question is reachable with the keyboard and scrolls itself, not the window, to an evidence link."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page, expect

from askdesk.accounts.models import Expert
from askdesk.callouts.models import Callout
from askdesk.questions import services
from askdesk.questions.models import Question, QuestionEvidence
from askdesk.stories.models import Sentence
from tests.browser.axe import serious_violations
from tests.conftest import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _busy_callout(callout: Callout, editor: User, expert: Expert) -> Question:
    """A call-out with questions (grouped as they are analysed), one of them assigned to the expert."""
    texts = [
        "Will Iran retaliate against Israel for the strike?",
        "Will Iran strike back at Israel?",
        "Is the nuclear site in Isfahan damaged?",
        "What happened at the Isfahan airbase?",
    ]
    questions = [submit(callout, text, name="Sara", location="Leeds")[0] for text in texts]
    assigned = questions[2]
    services.question_transition(question=assigned, action="shortlist", actor=editor)
    services.question_assign(question=assigned, expert=expert, actor=editor)
    return Question.objects.get(pk=assigned.pk)


def test_desk_pages_have_no_serious_or_critical_accessibility_violations(
    callout: Callout,
    editor: User,
    expert: Expert,
    new_context: Callable[..., BrowserContext],
    sign_in: Callable[[BrowserContext, User], Page],
) -> None:
    question = _busy_callout(callout, editor, expert)
    plea, _ = submit(callout, "My son is in Tehran, please call me", email="parent@example.net")
    services.question_set_welfare(question=plea, flagged=True, actor=editor)
    desk = sign_in(new_context(), editor)
    pages = [
        "/desk/",
        f"/desk/callouts/{callout.pk}/",
        f"/desk/callouts/{callout.pk}/?view=groups",
        f"/desk/questions/{question.pk}/",
        f"/desk/questions/{plea.pk}/",
        f"/desk/questions/{plea.pk}/private-reply/",
        f"/desk/callouts/{callout.pk}/analytics/",
        f"/desk/newsrooms/{callout.story.newsroom_id}/analytics/",
        f"/desk/callouts/{callout.pk}/settings/",
    ]
    found = {}
    for path in pages:
        desk.goto(path)
        found[path] = serious_violations(desk)
    answering = sign_in(new_context(), expert.user)
    answering.goto("/desk/mine/")
    found["/desk/mine/"] = serious_violations(answering)
    answer_page = f"/desk/questions/{question.pk}/answer/"
    answering.goto(answer_page)
    expect(answering.get_by_role("heading", level=1)).to_be_visible()
    found[answer_page] = serious_violations(answering)
    assert {path: violations for path, violations in found.items() if violations} == {}


def test_an_evidence_link_scrolls_the_story_box_to_its_sentence_and_moves_focus_there(
    callout: Callout,
    editor: User,
    new_context: Callable[..., BrowserContext],
    sign_in: Callable[[BrowserContext, User], Page],
) -> None:
    question, _ = submit(callout, "What did the story say last?")
    last = Sentence.objects.filter(story=callout.story).order_by("-position").first()
    assert last is not None
    QuestionEvidence.objects.filter(question=question).update(sentences=[[last.key, 0.9]])
    desk = sign_in(new_context(), editor)
    desk.goto(f"/desk/questions/{question.pk}/")
    story_box = desk.get_by_role("complementary", name="The story")
    assert story_box.evaluate("box => box.scrollTop") == 0

    desk.locator(".evidence-list a").click()

    expect(desk.locator(f"#{last.key}")).to_be_focused()
    expect(desk.locator(f"#{last.key}")).to_be_in_viewport()
    assert story_box.evaluate("box => box.scrollTop") > 0
    assert desk.evaluate("window.scrollY") == 0

    # The box itself takes focus from the keyboard, so it can be scrolled without a mouse.
    story_box.focus()
    expect(story_box).to_be_focused()
