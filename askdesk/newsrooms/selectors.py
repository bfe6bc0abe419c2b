from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.utils import timezone

from askdesk.newsrooms.models import LegalDocument, Newsroom


def legal_document_current(*, newsroom: Newsroom, kind: str) -> LegalDocument | None:
    """The version of the terms or privacy policy in force now."""
    return (
        LegalDocument.objects.filter(newsroom=newsroom, kind=kind, effective_at__lte=timezone.now())
        .order_by("-effective_at", "-id")
        .first()
    )


def legal_document_ids_current(*, newsroom: Newsroom, now: dt.datetime | None = None) -> dict[str, int]:
    """The ids of the versions of the terms and privacy policy in force ``now`` (by kind; a kind
    the newsroom never published is missing), as ``legal_document_current`` picks them.

    Every reader's submission needs them, so the newsroom's versions (kind, date, id; not their
    text) are read in one query and kept in the cache under the newsroom's ``public_version``,
    which every new version moves (``newsrooms.services.newsroom_public_changed``): a newsroom
    read after the change never finds the list from before it. The dates are kept, so a version
    dated later comes into force on its date.
    """
    key = f"askdesk:legal-versions:{newsroom.pk}:{newsroom.public_version}"
    versions: list[tuple[str, dt.datetime, int]] | None = cache.get(key)
    if versions is None:
        versions = list(
            LegalDocument.objects.filter(newsroom=newsroom)
            .order_by("-effective_at", "-id")
            .values_list("kind", "effective_at", "id")
        )
        cache.set(key, versions, 24 * 3600)
    now = timezone.now() if now is None else now
    current: dict[str, int] = {}
    for kind, effective_at, pk in versions:  # newest first: the first in force of each kind
        if effective_at <= now:
            current.setdefault(kind, pk)
    return current
