from __future__ import annotations

from django.db.models import QuerySet

from askdesk.accounts.models import Expert
from askdesk.api.keys import key_matches, prefix_of
from askdesk.api.models import ApiKey
from askdesk.callouts.models import Callout
from askdesk.newsrooms.models import Newsroom


def api_key_for(*, plain: str) -> ApiKey | None:
    """The active key behind a plain key, or None; a known prefix with a wrong secret is None too."""
    prefix = prefix_of(plain.strip())
    if prefix is None:
        return None
    key = ApiKey.objects.select_related("newsroom").filter(prefix=prefix, revoked_at__isnull=True).first()
    if key is None or not key_matches(plain.strip(), key.digest):
        return None
    return key


def api_keys_of(*, newsrooms: QuerySet[Newsroom]) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(newsroom__in=newsrooms).select_related("newsroom", "created_by")


def open_callouts() -> QuerySet[Callout]:
    return Callout.objects.filter(status=Callout.Status.OPEN).select_related("story")


def newsroom_callouts(*, newsroom: Newsroom) -> QuerySet[Callout]:
    return Callout.objects.filter(story__newsroom=newsroom).select_related("story")


def newsroom_experts(*, newsroom: Newsroom) -> QuerySet[Expert]:
    return Expert.objects.filter(newsroom=newsroom).order_by("name", "id")
