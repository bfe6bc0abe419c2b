"""The call-out embedded in a newsroom's article on another site, with third-party cookies blocked."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from askdesk.callouts.models import Callout
from askdesk.newsrooms.models import Newsroom
from askdesk.questions.models import Question
from tests.browser.conftest import CHROMIUM_ARGS, DESKTOP, TIMEOUT_MS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTICLE_HOST = "127.0.0.2"


def free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def newsroom_site() -> Iterator[tuple[str, dict[str, str]]]:
    """The newsroom's own site on another origin, serving whatever article the test sets."""
    pages: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path, "not found").encode()
            self.send_response(200 if self.path in pages else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer((ARTICLE_HOST, free_port(ARTICLE_HOST)), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{ARTICLE_HOST}:{server.server_address[1]}", pages
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def cookieless_browser() -> Iterator[Browser]:
    """Chromium refusing third-party cookies, as more and more readers' browsers do."""
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM

    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/ensure-chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--test-third-party-cookie-phaseout"]
        )
        try:
            yield chromium
        finally:
            chromium.close()


def article(askdesk: str, slug: str, *embeds: str) -> str:
    """The newsroom's article, with askdesk's embeds (``form``, ``answers``) and its resize script."""
    frames = "".join(
        f'<iframe src="{askdesk}/embed/{slug}/{what}/" title="{what}" width="100%" height="200" '
        f'id="{what}" data-askdesk-embed></iframe>'
        for what in embeds
    )
    return (
        "<!doctype html><html><head><title>Our article</title></head><body><h1>Our article</h1>"
        f'{frames}<script src="{askdesk}/static/askdesk/embed.js" async></script></body></html>'
    )


def reader_context(browser: Browser) -> BrowserContext:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    return context


def test_a_reader_asks_through_the_form_embedded_in_the_newsrooms_article(
    callout: Callout, live_server: Any, newsroom_site: tuple[str, dict[str, str]], cookieless_browser: Browser
) -> None:
    site, pages = newsroom_site
    Newsroom.objects.filter(pk=callout.story.newsroom_id).update(embed_origins=site, public_version=1)
    pages["/article.html"] = article(live_server.url, callout.slug, "form")
    context = reader_context(cookieless_browser)
    try:
        page = context.new_page()
        page.goto(f"{site}/article.html")
        frame = page.frame_locator("iframe[data-askdesk-embed]")
        form = frame.locator("form.ask-form")
        expect(form).to_be_visible()
        # The resize script grows the frame to the whole form.
        expect(page.locator("iframe[data-askdesk-embed]")).not_to_have_attribute("style", "")
        assert page.locator("iframe[data-askdesk-embed]").bounding_box()["height"] > 600  # type: ignore[index]

        form.get_by_label("Your question").fill("Will flights from Tehran resume this week?")
        form.get_by_label("Location (optional)").fill("Norwich")
        form.get_by_label("I have read and accept").check()
        form.get_by_role("button", name="Send your question").click()
        expect(frame.get_by_role("heading", name="Thank you, your question has been sent")).to_be_visible()
        assert context.cookies() == []
    finally:
        context.close()
    question = Question.objects.get()
    assert question.text == "Will flights from Tehran resume this week?"
    assert question.location == "Norwich"


def test_a_reader_votes_and_joins_a_question_through_the_embeds_in_the_newsrooms_article(
    callout: Callout,
    editor: Any,
    live_server: Any,
    newsroom_site: tuple[str, dict[str, str]],
    cookieless_browser: Browser,
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from askdesk.questions.models import QuestionGroup
    from askdesk.questions.services import question_transition
    from askdesk.readers.models import AlsoAsked, Vote
    from askdesk.readers.voting import OptionChoice, round_create
    from tests.conftest import submit

    site, pages = newsroom_site
    Newsroom.objects.filter(pk=callout.story.newsroom_id).update(embed_origins=site, public_version=1)
    groups = []
    for text in ("Will Iran retaliate?", "What is in Isfahan?"):
        question, _ = submit(callout, text)
        group = QuestionGroup.objects.create(callout=callout, label=text, representative=question, size=3)
        Question.objects.filter(pk=question.pk).update(group=group)
        groups.append(group)
    question_transition(question=Question.objects.get(text="Will Iran retaliate?"), action="shortlist", actor=editor)
    round_create(
        callout=callout,
        title="Which should our experts answer first?",
        closes_at=timezone.now() + timedelta(hours=2),
        options=[OptionChoice(group, group.label) for group in groups],
        actor=editor,
    )
    pages["/article.html"] = article(live_server.url, callout.slug, "form", "answers")
    context = reader_context(cookieless_browser)
    try:
        page = context.new_page()
        page.goto(f"{site}/article.html")
        ask = page.frame_locator("iframe#form")
        ask.get_by_label("What is in Isfahan?").check()
        ask.get_by_role("button", name="Vote").click()
        expect(ask.get_by_text("Thank you, your vote is counted.")).to_be_visible()
        # The same reader, still without a cookie, is not counted twice.
        ask.get_by_label("Will Iran retaliate?").check()
        ask.get_by_role("button", name="Vote").click()
        expect(ask.get_by_text("You have already voted in this round.")).to_be_visible()

        answers = page.frame_locator("iframe#answers")
        join = answers.locator(".joinable-item")
        join.get_by_text("I want to know too").first.click()  # opens the form under the question
        # The form makes the embed taller, and the article resizes its frame a moment later: the
        # keyboard, as a reader could use it too, does not aim at a spot that may just have moved.
        consent = join.get_by_label("I have read and accept")
        consent.press("Space")
        expect(consent).to_be_checked()
        join.get_by_role("button", name="I want to know too").press("Enter")
        expect(answers.get_by_role("heading", name="Thank you, you have been added to this question")).to_be_visible()
        expect(answers.get_by_text("4 readers asked this.")).to_be_visible()
        assert context.cookies() == []
    finally:
        context.close()
    [vote] = Vote.objects.all()
    assert vote.option.label == "What is in Isfahan?"
    assert AlsoAsked.objects.get().question.text == "Will Iran retaliate?"
