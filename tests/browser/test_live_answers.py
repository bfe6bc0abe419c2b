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


def test_an_answers_page_in_a_background_tab_stops_polling_and_asks_again_when_shown(
    callout: Callout, new_context: Callable[..., BrowserContext], settings
) -> None:
    settings.ASKDESK_LIVE_POLL_SECONDS = 1
    context = new_context()
    page = context.new_page()
    # The tab's visibility, as the browser reports it when the reader switches tabs.
    page.add_init_script(
        "window.tabHidden = false;Object.defineProperty(document, 'hidden', { get: () => window.tabHidden });"
    )
    polls: list[str] = []
    page.on("request", lambda request: polls.append(request.url) if "/live/" in request.url else None)
    page.goto(f"/answers/{callout.slug}/")
    page.wait_for_timeout(2500)
    assert len(polls) >= 1  # visible: it polls every second
    page.evaluate("window.tabHidden = true; document.dispatchEvent(new Event('visibilitychange'))")
    page.wait_for_timeout(1200)  # a poll already in flight may still land
    hidden_from = len(polls)
    page.wait_for_timeout(3000)
    assert len(polls) == hidden_from  # in the background: no poll at all
    page.evaluate("window.tabHidden = false; document.dispatchEvent(new Event('visibilitychange'))")
    for _ in range(50):  # shown again: it asks (no timer was left running in the background)
        if len(polls) > hidden_from:
            break
        page.wait_for_timeout(100)
    assert len(polls) == hidden_from + 1
