"""API keys: created (the plain key is returned once), revoked, and their use recorded."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from askdesk.api.keys import key_digest, new_key
from askdesk.api.models import ApiKey, Scope
from askdesk.audit.services import actor_user, audit_record
from askdesk.callouts.models import Callout
from askdesk.newsrooms.models import Newsroom

# last_used_at is written at most this often per key, so reads stay reads.
TOUCH_EVERY = timedelta(minutes=1)


class ApiKeyRefused(ValueError):
    """The key cannot be created as asked."""


def parse_scopes(raw: str | list[str]) -> list[str]:
    """Scope names from 'read,triage' or a list; unknown names raise ApiKeyRefused."""
    names = raw.replace(",", " ").split() if isinstance(raw, str) else [n.strip() for n in raw]
    unknown = sorted(set(names) - set(Scope.values))
    if unknown:
        raise ApiKeyRefused(f"Unknown scope(s): {', '.join(unknown)}. Choose from {', '.join(Scope.values)}.")
    if not names:
        raise ApiKeyRefused("Choose at least one scope.")
    return [scope for scope in Scope.values if scope in names]


@transaction.atomic
def api_key_create(*, newsroom: Newsroom, name: str, scopes: list[str], actor: Any) -> tuple[ApiKey, str]:
    """A new key of ``newsroom``; returns the row and the plain key, which is never stored."""
    chosen = parse_scopes(scopes)
    plain, prefix = new_key()
    key = ApiKey.objects.create(
        newsroom=newsroom,
        name=name.strip()[:100] or "API key",
        prefix=prefix,
        digest=key_digest(plain),
        scopes=" ".join(chosen),
        created_by=actor_user(actor),
    )
    audit_record(actor=actor, action="api_key.create", target=key, prefix=prefix, scopes=chosen)
    return key, plain


@transaction.atomic
def api_key_revoke(*, key: ApiKey, actor: Any) -> ApiKey:
    if key.revoked_at is not None:
        return key
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="api_key.revoke", target=key, prefix=key.prefix)
    return key


def api_key_touch(*, key: ApiKey) -> None:
    """Note that the key was used (at most once a minute: a queryset update, no audit event)."""
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= TOUCH_EVERY:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        key.last_used_at = now


@transaction.atomic
def questions_export_record(*, callout: Callout, key: ApiKey, rows: int) -> None:
    """An export of a call-out's questions through the API, in the audit trail."""
    audit_record(actor=key, action="questions.export", target=callout, rows=rows)
