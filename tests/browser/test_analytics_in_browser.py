"""What readers want, on a phone: the charts show, fit the screen, and the page never scrolls sideways."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from askdesk.callouts.models import Callout
from askdesk.questions.models import Question, QuestionGroup
from tests.conftest import submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_reads_what_readers_want_on_a_phone_without_scrolling_sideways(
    callout: Callout,
    editor: User,
    new_context: Callable[..., BrowserContext],
    sign_in: Callable[[BrowserContext, User], Page],
    shoot: Callable[[Page, str], object],
) -> None:
    cache.clear()
    start = timezone.now() - timedelta(hours=30)
    group = QuestionGroup.objects.create(callout=callout, label="Will Iran retaliate against Israel for the strike?")
    places = ["Leeds", "Tehran", "Isfahan, Iran", "A small village near the border with a very long name indeed"]
    for number in range(24):
        question, _ = submit(callout, f"Question number {number}?", location=places[number % 4], language="en")
        Question.objects.filter(pk=question.pk).update(
            submitted_at=start + timedelta(hours=number), group=group if number % 2 else None
        )
    QuestionGroup.objects.filter(pk=group.pk).update(size=12)

    desk = sign_in(new_context(phone=True), editor)
    desk.goto(f"/desk/callouts/{callout.pk}/")
    desk.get_by_role("link", name="What readers want").click()

    expect(desk.get_by_role("heading", name="Questions per hour")).to_be_visible()
    chart = desk.get_by_role("img", name="Questions received per hour, last 24 hours")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and 0 < box["width"] <= desk.viewport_size["width"]
    expect(desk.get_by_role("table", name="Locations exactly as readers typed them")).to_be_visible()
    assert desk.evaluate("document.documentElement.scrollWidth") <= desk.viewport_size["width"]
    shoot(desk, "analytics-phone")

    desk.get_by_role("link", name="All call-outs of").click()
    expect(desk.get_by_role("heading", name="Call-outs compared", exact=True)).to_be_visible()
    assert desk.evaluate("document.documentElement.scrollWidth") <= desk.viewport_size["width"]
    shoot(desk, "analytics-newsroom-phone")
