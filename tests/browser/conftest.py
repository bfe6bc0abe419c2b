"""Real Chromium, driven through Playwright, against pytest-django's live server.

Debian's Chromium is used (`scripts/ensure-chromium` installs it); Playwright's own browser
download cannot run here. The in-memory SQLite database is shared with the live server's
thread, so the tests use transactional databases (`live_server` asks for one).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from askdesk.analysis import services as analysis
from askdesk.readers import suggestions
from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("ASKDESK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# Long enough for a slow shared machine, short enough that a missing element fails fast.
TIMEOUT_MS = 15_000
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _orm_beside_playwright(monkeypatch: pytest.MonkeyPatch) -> None:
    # Playwright's sync API keeps an asyncio loop running in this thread, and Django then refuses
    # ORM calls (fixtures, assertions on stored rows) as if they came from async code. Nothing here
    # is async: the live server answers in its own thread.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser() -> Iterator[Browser]:
    """Chromium, started for one test and stopped before its database is flushed.

    Playwright's event loop must not be running when pytest-django flushes the database
    after the test, so Playwright lives no longer than the test itself.
    """
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing: run scripts/ensure-chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_context(browser: Browser, live_server: Any) -> Iterator[Callable[..., BrowserContext]]:
    """Open browser contexts (one per person: separate cookies), closed after the test."""
    opened: list[BrowserContext] = []

    def open_context(*, phone: bool = False, **options: Any) -> BrowserContext:
        if phone:
            options.update(viewport=PHONE, is_mobile=True, has_touch=True)
        context = browser.new_context(
            base_url=live_server.url,
            viewport=options.pop("viewport", DESKTOP),
            locale="en-GB",
            timezone_id="Europe/London",
            reduced_motion="reduce",
            **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        opened.append(context)
        return context

    yield open_context
    for context in opened:
        context.close()


@pytest.fixture
def sign_in() -> Callable[[BrowserContext, User], Page]:
    """Sign a member of staff in through the login page, in the given browser context."""

    def open_as(context: BrowserContext, user: User) -> Page:
        page = context.new_page()
        page.goto("/desk/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("button", name=f"Sign out {user.username}")).to_be_visible()
        return page

    return open_as


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    """A reader's page on a desktop screen."""
    return new_context().new_page()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs/screenshots when ASKDESK_UPDATE_SCREENSHOTS=1, otherwise a temporary folder."""
    if os.environ.get("ASKDESK_UPDATE_SCREENSHOTS") == "1":
        target = REPO / "docs" / "screenshots"
        target.mkdir(parents=True, exist_ok=True)
        return target
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def shoot(screenshot_dir: Path) -> Callable[[Page, str], Path]:
    """Save a full-page screenshot under a stable name."""

    def take(page: Page, name: str) -> Path:
        path = screenshot_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")
        return path

    return take


@pytest.fixture
def real_model_for_screenshots(settings: Any) -> Iterator[None]:
    """Screenshots for the README show groups and evidence from the real model, not the test embedder.

    Only when they are being updated (ASKDESK_UPDATE_SCREENSHOTS=1); the embedder can be
    chosen with ASKDESK_SCREENSHOT_EMBEDDER. Every other run keeps the fast test embedder.
    """
    if os.environ.get("ASKDESK_UPDATE_SCREENSHOTS") == "1":
        settings.ASKDESK_EMBEDDER = os.environ.get("ASKDESK_SCREENSHOT_EMBEDDER", "minilm")
    analysis.clear_caches()
    suggestions.clear_caches()
    yield
    analysis.clear_caches()
    suggestions.clear_caches()
