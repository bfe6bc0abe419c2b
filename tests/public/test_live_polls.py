"""Polls of the live answers list that nothing changed for are answered before the URL is resolved."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse

from askdesk.public.middleware import LIVE_ANSWERS
from tests.public.helpers import published

# Every header a reader's browser or a CDN reads on a 304.
REVALIDATION = ("ETag", "Last-Modified", "Cache-Control", "Vary", "Content-Security-Policy")


def test_the_early_path_matches_the_live_answers_address_and_no_other(callout):
    live = reverse("public:live", args=[callout.slug])
    assert LIVE_ANSWERS.match(live)["slug"] == callout.slug
    for other in ("answers:public", "public:embed_answers", "public:embed_form"):
        assert not LIVE_ANSWERS.match(reverse(other, args=[callout.slug]))


def test_an_unchanged_live_list_gets_the_304_the_view_would_send(client, callout, settings, django_assert_num_queries):
    live = reverse("public:live", args=[callout.slug])
    first = client.get(live)
    with django_assert_num_queries(0):
        early = client.get(live, headers={"If-None-Match": first["ETag"]})
    assert early.status_code == 304 and early.content == b""
    without = [m for m in settings.MIDDLEWARE if not m.endswith("live_answers_not_modified")]
    with override_settings(MIDDLEWARE=without):
        from_view = client.get(live, headers={"If-None-Match": first["ETag"]})
    assert from_view.status_code == 304
    for header in REVALIDATION:
        assert early[header] == from_view[header], header
    assert "X-Frame-Options" not in early  # framed by the answers embed, as the view's


def test_the_early_path_answers_without_resolving_the_address(client, callout):
    live = reverse("public:live", args=[callout.slug])
    etag = client.get(live)["ETag"]
    # Every address now leads to one view: what it does not answer was answered before.
    with override_settings(ROOT_URLCONF="tests.public.catch_all_urls"):
        assert client.get(live, headers={"If-None-Match": etag}).status_code == 304
        for other in ({"If-None-Match": '"another"'}, {}):
            assert client.get(live, headers=other).content == b"resolved"


def test_a_published_answer_reaches_a_poll_that_holds_the_old_version(client, callout, expert, editor):
    live = reverse("public:live", args=[callout.slug])
    before = client.get(live)
    published(callout, expert, editor, "Is the ferry running?")
    after = client.get(live, headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200 and "Is the ferry running?" in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_a_poll_for_no_such_call_out_is_still_a_404(client, db):
    assert client.get("/answers/no-such-callout/live/", headers={"If-None-Match": '"x"'}).status_code == 404
