"""Published Q&As as RSS, Atom and JSON Feed, read with a real feed parser."""

from __future__ import annotations

import json

import feedparser
from django.urls import reverse

from tests.public.helpers import published


def test_callout_and_newsroom_feeds_list_published_questions_with_the_public_byline(
    client, callout, newsroom, expert, editor
):
    published(
        callout, expert, editor, "Will oil prices rise?", name="Sara", age=34, location="Leeds", publish_age=False
    )
    urls = [
        reverse("public:feed_rss", args=[callout.slug]),
        reverse("public:feed_atom", args=[callout.slug]),
        reverse("public:newsroom_rss", args=[newsroom.slug]),
        reverse("public:newsroom_atom", args=[newsroom.slug]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200 and "public" in response["Cache-Control"]
        feed = feedparser.parse(response.content)
        assert not feed.bozo, (url, feed.get("bozo_exception"))
        assert feed.version in {"rss20", "atom10"}
        (entry,) = feed.entries
        assert entry.title == "Will oil prices rise?"
        assert entry.author == "Sara, Leeds"
        assert "Officials say not yet." in entry.summary
        assert entry.link.endswith(f"/answers/{callout.slug}/#q{callout.questions.get().pk}")
    for name, args in (("public:feed_json", [callout.slug]), ("public:newsroom_json", [newsroom.slug])):
        response = client.get(reverse(name, args=args))
        assert response["Content-Type"] == "application/feed+json"
        data = json.loads(response.content)
        assert data["version"] == "https://jsonfeed.org/version/1.1"
        (item,) = data["items"]
        assert item["title"] == "Will oil prices rise?" and item["authors"] == [{"name": "Sara, Leeds"}]


def test_pages_link_their_feeds(client, callout):
    for url in (reverse("questions:story", args=[callout.story.slug]), reverse("answers:public", args=[callout.slug])):
        page = client.get(url).content.decode()
        for kind in ("application/rss+xml", "application/atom+xml", "application/feed+json"):
            assert f'rel="alternate" type="{kind}"' in page


def test_a_feed_shows_a_new_answer_at_once(client, callout, expert, editor):
    url = reverse("public:feed_rss", args=[callout.slug])
    assert feedparser.parse(client.get(url).content).entries == []
    published(callout, expert, editor, "Is the airport open?")
    assert [e.title for e in feedparser.parse(client.get(url).content).entries] == ["Is the airport open?"]
