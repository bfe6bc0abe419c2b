"""404 pages speak to readers, never in the code's own words."""

from __future__ import annotations

from django.urls import reverse

from tests.conftest import login


def test_not_found_pages_never_repeat_internal_messages(client, callout, editor, expert):
    staff = login(client.__class__(), editor)
    pages = [
        client.get("/answers/no-such-callout/"),
        client.get("/stories/no-such-story/"),
        client.get("/legal/999999/"),
        client.get("/no/such/page/"),
        staff.get(reverse("questions:detail", args=[999999])),
        staff.get(reverse("questions:triage", args=[999999])),
        login(client.__class__(), expert.user).get(reverse("answers:edit", args=[999999])),
    ]
    for page in pages:
        assert page.status_code == 404
        text = page.content.decode()
        assert "This page does not exist" in text
        for internal in ("matches the given query", "No Callout", "No Story", "No such", "DoesNotExist"):
            assert internal not in text


def test_a_dead_private_link_says_what_happened(client, callout):
    page = client.get("/q/not-a-real-link-at-all/")
    assert page.status_code == 404
    assert "This link does not lead to a question. It may have been deleted." in page.content.decode()
