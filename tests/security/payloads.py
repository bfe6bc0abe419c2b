"""Script payloads for every field a reader (or anyone outside the newsroom) fills in, and the
checks that a page, feed or API response shows them only as text.

Reusable: tests of other surfaces (the API, feeds, embeds) put ``PAYLOADS`` into the fields
they take, ``walk`` what they serve and check it with ``assert_inert`` (HTML) or
``assert_served_as_data`` (JSON, feeds).
askdesk's own scripts are files loaded with ``<script src="/static/...">`` (the CSP allows no
inline script), so any other ``<script`` in a page is one that a payload put there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.test import Client

# Each payload breaks out of a different context: element text, a quoted attribute, a
# textarea, a title, a URL, a template language, a JSON string inside a page.
PAYLOADS = [
    "<script>alert('askdesk-xss-1')</script>",
    '"><script>alert("askdesk-xss-2")</script>',
    "</textarea><script>alert(3)</script>",
    "</title><script>alert(4)</script>",
    "<img src=x onerror=alert(5)>",
    '<svg/onload=alert(6)><a href="javascript:alert(7)">x</a>',
    '" autofocus onfocus="alert(8)',
    "' autofocus onfocus='alert(9)",
    "{{ 7*7 }}{% now 'Y' %}<ScRiPt >alert(10)</sCrIpT>",
    "</script><script>alert(11)</script><!--",
]

# What a payload looks like when it reached the page unescaped (lower-cased page text).
RAW_SIGNS = [
    "<script",
    "<img src=x onerror",
    "<svg/onload",
    'href="javascript:',
    'onfocus="alert',
    "onfocus='alert",
]

# A payload that is also a valid email address (a quoted local part), for email fields.
EMAIL_PAYLOAD = '"<script>alert(12)</script>"@example.com'


@dataclass(frozen=True)
class Seen:
    """One page fetched while walking: who asked, what, and the answer."""

    label: str
    url: str
    status: int
    content: str
    content_type: str
    headers: dict[str, str]


def seen(label: str, url: str, response: Any) -> Seen:
    """What a test client's response showed."""
    return Seen(
        label=label,
        url=url,
        status=response.status_code,
        content=response.content.decode("utf-8", "replace"),
        content_type=response.get("Content-Type", ""),
        headers=dict(response.headers),
    )


def walk(visits: Iterable[tuple[str, Client, str]]) -> list[Seen]:
    """GET each (label, client, url) and keep what came back."""
    return [seen(label, url, client.get(url)) for label, client, url in visits]


# askdesk's own scripts: files from its static folder, never inline (the CSP allows no other).
OWN_SCRIPT = re.compile(r'<script src="/static/[^"<>]+\.js"( defer)?></script>')


def unescaped(html: str) -> list[str]:
    """The signs of an injected script or handler found in ``html`` (askdesk's own script files aside)."""
    lowered = OWN_SCRIPT.sub("", html.lower())
    return [sign for sign in RAW_SIGNS if sign in lowered]


def assert_inert(pages: Iterable[Seen]) -> None:
    """Every HTML page shows the payloads as text only."""
    problems = {f"{page.label} {page.url}": unescaped(page.content) for page in pages if "html" in page.content_type}
    found = {where: signs for where, signs in problems.items() if signs}
    assert not found, found


def assert_served_as_data(page: Seen) -> None:
    """A JSON (or feed) answer carrying payloads is never something a browser renders as a page."""
    assert "html" not in page.content_type, page.url
    assert page.headers.get("X-Content-Type-Options") == "nosniff", page.url
