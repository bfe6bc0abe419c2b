"""Published Q&As as RSS 2.0, Atom and JSON Feed 1.1, per call-out and per newsroom.

Feeds carry the public byline only: the byline built at publication from what the reader
allowed. They are cached per version like the pages.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import Max, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed

from askdesk.answers.models import Answer
from askdesk.answers.selectors import PUBLIC_FIELDS, published_questions, published_questions_of_newsroom
from askdesk.callouts.models import Callout
from askdesk.callouts.pages import newsroom_scope
from askdesk.callouts.selectors import PublicState, callout_public_state
from askdesk.newsrooms.models import Newsroom
from askdesk.public.pagecache import Rendered, serve
from askdesk.questions.models import Question

FEED_ITEMS = 50


def _site(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _answer_text(question: Question) -> str:
    answer: Answer = question.answer
    if answer.source == Answer.Source.STORY:
        return f"From our story: {answer.body}"
    assert answer.expert is not None
    return f"{answer.body}\n\nAnswered by {answer.expert.name}, {answer.expert.title}."


def _item_url(site: str, question: Question) -> str:
    return site + reverse("answers:public", args=[question.callout.slug]) + f"#q{question.pk}"


def newsroom_questions(newsroom: Newsroom) -> list[Question]:
    return list(published_questions_of_newsroom(newsroom=newsroom).only(*PUBLIC_FIELDS, "callout__slug")[:FEED_ITEMS])


def newsroom_state(newsroom: Newsroom) -> PublicState:
    """All call-outs of the newsroom as one version, for its feeds."""
    found = Callout.objects.filter(story__newsroom=newsroom).aggregate(
        versions=Sum("public_version"), changed=Max("public_changed_at")
    )
    version = f"{found['versions'] or 0}.{newsroom.public_version}"
    return PublicState(0, newsroom.slug, "", newsroom.pk, version, found["changed"] or timezone.now())


class _QuestionFeed(Feed):  # type: ignore[type-arg]
    """What the call-out and newsroom feeds share: items are published questions with their answers."""

    feed_type: type[SyndicationFeed] = Rss201rev2Feed
    kind = "rss"

    def __init__(self) -> None:
        self.request: HttpRequest | None = None

    def item_title(self, item: Question) -> str:
        return item.display_text

    def item_description(self, item: Question) -> str:
        return _answer_text(item)

    def item_link(self, item: Question) -> str:
        assert self.request is not None
        return _item_url(_site(self.request), item)

    def item_author_name(self, item: Question) -> str:
        return item.byline

    def item_pubdate(self, item: Question) -> datetime | None:
        return item.published_at

    def render_feed(self, request: HttpRequest, **kwargs: Any) -> Rendered:
        self.request = request
        response = super().__call__(request, **kwargs)
        return Rendered(body=response.content, content_type=response["Content-Type"])


class CalloutRssFeed(_QuestionFeed):
    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        state = callout_public_state(slug=kwargs["callout_slug"])
        if state is None:
            raise Http404("No such call-out.")
        return serve(request, kind=f"feed-{self.kind}", state=state, render=lambda: self.render_feed(request, **kwargs))

    def get_object(self, request: HttpRequest, callout_slug: str) -> Callout:
        return get_object_or_404(Callout.objects.select_related("story__newsroom"), slug=callout_slug)

    def title(self, obj: Callout) -> str:
        return f"{obj.story.newsroom.name}: {obj.prompt}"

    def link(self, obj: Callout) -> str:
        return reverse("answers:public", args=[obj.slug])

    def description(self, obj: Callout) -> str:
        return f"Readers' questions about {obj.story.title}, answered."

    def items(self, obj: Callout) -> Iterable[Question]:
        return published_questions(callout=obj)[:FEED_ITEMS]


class CalloutAtomFeed(CalloutRssFeed):
    feed_type = Atom1Feed
    kind = "atom"

    def subtitle(self, obj: Callout) -> str:
        return self.description(obj)


class NewsroomRssFeed(_QuestionFeed):
    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        newsroom = get_object_or_404(Newsroom, slug=kwargs["newsroom_slug"])
        return serve(
            request,
            kind=f"newsroom-{self.kind}",
            state=newsroom_state(newsroom),
            variant=newsroom.slug,
            scope=newsroom_scope(newsroom.pk),
            render=lambda: self.render_feed(request, **kwargs),
        )

    def get_object(self, request: HttpRequest, newsroom_slug: str) -> Newsroom:
        return get_object_or_404(Newsroom, slug=newsroom_slug)

    def title(self, obj: Newsroom) -> str:
        return f"{obj.name}: your questions answered"

    def link(self, obj: Newsroom) -> str:
        return obj.home_url or "/"

    def description(self, obj: Newsroom) -> str:
        return f"Readers' questions answered by {obj.name}."

    def items(self, obj: Newsroom) -> Iterable[Question]:
        return newsroom_questions(obj)


class NewsroomAtomFeed(NewsroomRssFeed):
    feed_type = Atom1Feed
    kind = "atom"

    def subtitle(self, obj: Newsroom) -> str:
        return self.description(obj)


def _json_feed(request: HttpRequest, *, title: str, home: str, description: str, items: list[Question]) -> Rendered:
    site = _site(request)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": title,
        "home_page_url": home if home.startswith("http") else site + home,
        "feed_url": request.build_absolute_uri(request.path),
        "description": description,
        "items": [
            {
                "id": _item_url(site, question),
                "url": _item_url(site, question),
                "title": question.display_text,
                "content_text": _answer_text(question),
                "date_published": question.published_at.isoformat() if question.published_at else None,
                "authors": [{"name": question.byline}],
            }
            for question in items
        ],
    }
    return Rendered(body=json.dumps(feed, ensure_ascii=False).encode(), content_type="application/feed+json")


def callout_json_feed(request: HttpRequest, callout_slug: str) -> HttpResponse:
    state = callout_public_state(slug=callout_slug)
    if state is None:
        raise Http404("No such call-out.")
    feed = CalloutRssFeed()

    def render() -> Rendered:
        callout = feed.get_object(request, callout_slug)
        return _json_feed(
            request,
            title=feed.title(callout),
            home=feed.link(callout),
            description=feed.description(callout),
            items=list(feed.items(callout)),
        )

    return serve(request, kind="feed-json", state=state, render=render)


def newsroom_json_feed(request: HttpRequest, newsroom_slug: str) -> HttpResponse:
    newsroom = get_object_or_404(Newsroom, slug=newsroom_slug)
    feed = NewsroomRssFeed()

    def render() -> Rendered:
        return _json_feed(
            request,
            title=feed.title(newsroom),
            home=feed.link(newsroom),
            description=feed.description(newsroom),
            items=newsroom_questions(newsroom),
        )

    return serve(
        request,
        kind="newsroom-json",
        state=newsroom_state(newsroom),
        variant=newsroom.slug,
        scope=newsroom_scope(newsroom.pk),
        render=render,
    )
