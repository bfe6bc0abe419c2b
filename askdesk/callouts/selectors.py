"""What public pages need to know before rendering: a call-out's version, cheaply.

A public page is rendered once per version of its call-out (and of its newsroom). Every web
process asks here on each request, so the answer is kept in the cache for
``ASKDESK_PUBLIC_STATE_SECONDS``; the process that changes a call-out forgets it at once
(``callouts.services.callout_public_changed``), and with a shared cache (Redis) so does every
other process.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache

from askdesk.callouts.models import Callout


@dataclass(frozen=True)
class PublicState:
    callout_id: int
    slug: str
    story_slug: str
    newsroom_id: int
    version: str
    changed_at: datetime
    language: str = "en"


def state_key_for_callout(slug: str) -> str:
    return f"askdesk:public-state:callout:{slug}"


def state_key_for_story(story_slug: str) -> str:
    return f"askdesk:public-state:story:{story_slug}"


FIELDS = (
    "pk",
    "slug",
    "story__slug",
    "story__newsroom_id",
    "public_version",
    "story__newsroom__public_version",
    "public_changed_at",
    "story__newsroom__language",
)


def _state(row: tuple[int, str, str, int, int, int, datetime, str]) -> PublicState:
    pk, slug, story_slug, newsroom_id, version, newsroom_version, changed_at, language = row
    return PublicState(pk, slug, story_slug, newsroom_id, f"{version}.{newsroom_version}", changed_at, language)


def _lookup(key: str, **filters: str) -> PublicState | None:
    found = cache.get(key)
    if isinstance(found, PublicState):
        return found
    row = Callout.objects.filter(**filters).order_by("-created_at", "-id").values_list(*FIELDS)
    first = row.first()
    if first is None:
        return None
    state = _state(first)
    cache.set(key, state, settings.ASKDESK_PUBLIC_STATE_SECONDS)
    return state


def callout_public_state(*, slug: str) -> PublicState | None:
    """The version of the call-out's public pages, or None when there is no such call-out."""
    return _lookup(state_key_for_callout(slug), slug=slug)


def story_public_state(*, story_slug: str) -> PublicState | None:
    """The version of the story's current call-out (the newest), or None when it has none."""
    return _lookup(state_key_for_story(story_slug), story__slug=story_slug)
