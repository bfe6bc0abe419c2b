"""Answers the live answers list's polls early: most of them only ask "still the same?"."""

from __future__ import annotations

import re

from django.http import HttpRequest, HttpResponseBase
from django.utils.decorators import sync_and_async_middleware

from askdesk.callouts.selectors import callout_public_state
from askdesk.ops.middleware import Handler, answering_early
from askdesk.public.pagecache import not_modified

# config/urls.py's "public:live" (answers/<slug:callout_slug>/live/); a test holds the two together.
LIVE_ANSWERS = re.compile(r"^/answers/(?P<slug>[-a-zA-Z0-9_]+)/live/$")


def _live_answers_not_modified(request: HttpRequest) -> HttpResponseBase | None:
    if "HTTP_IF_NONE_MATCH" not in request.META:
        return None
    found = LIVE_ANSWERS.match(request.path_info)
    if found is None:
        return None
    state = callout_public_state(slug=found["slug"])
    # Anything else (no such call-out, a changed list, a page not yet cached) goes to the view.
    return None if state is None else not_modified(request, kind="live", state=state)


@sync_and_async_middleware
def live_answers_not_modified(get_response: Handler) -> Handler:
    """A live answers poll whose ETag is still current: 304 before the URL is resolved.

    Every open answers page and embed polls every few seconds (askdesk/live.js), so an
    unchanged list is answered with what ``public.views.answers_live`` would send (the same
    304 and headers, from the same cached page) without the sessions, sign-in and CSRF
    middleware that a public, cookie-less list never needs.
    """
    return answering_early(get_response, _live_answers_not_modified)
