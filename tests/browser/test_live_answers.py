"""A published answer appears on open answers pages and embeds without a reload."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, expect

from askdesk.callouts.models import Callout
from tests.public.helpers import published

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_answer_published_while_readers_watch_appears_on_the_page_and_the_embed(
    callout: Callout, expert, editor, new_context: Callable[..., BrowserContext]
) -> None:
    context = new_context()
    page = context.new_page()
    page.goto(f"/answers/{callout.slug}/")
    embed = context.new_page()
    embed.goto(f"/embed/{callout.slug}/answers/")
    expect(page.get_by_text("Our experts have not published any answers yet.")).to_be_visible()
    page.evaluate("window.stayed = true")  # gone if the page reloads

    published(callout, expert, editor, "Is the border with Iraq open?")

    for watching in (page, embed):
        expect(watching.get_by_role("heading", name="Is the border with Iraq open?")).to_be_visible()
        expect(watching.locator(".count-answered")).to_have_text("1 answered")
    assert page.evaluate("window.stayed") is True
