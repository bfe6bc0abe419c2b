"""An editor creates an API key in the desk and opens the API's interactive reference."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_editor_creates_a_key_and_reads_the_api_reference(new_context, sign_in, editor, callout):
    context = new_context()
    page = sign_in(context, editor)
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text) if message.type == "error" else None)

    page.get_by_role("link", name="API", exact=True).click()
    expect(page.get_by_role("heading", name="API keys")).to_be_visible()
    page.get_by_label("Name").fill("Live page")
    page.get_by_label("Read call-outs, questions, groups and experts; export questions").check()
    page.get_by_role("button", name="Create key").click()
    key = page.locator("#new-key")
    expect(key).to_have_text(re.compile(r"^askd_[a-z0-9]{8}_\S{40,}$"))

    page.get_by_role("link", name="API reference").click()
    # Swagger UI is a large script: give a busy machine time to run it.
    expect(page.get_by_text("Published questions and answers").first).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Register a webhook").first).to_be_visible()
    assert not [text for text in blocked if "Content Security Policy" in text], blocked
