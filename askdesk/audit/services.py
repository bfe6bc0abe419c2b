from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import models

from askdesk.audit.models import AuditEvent


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    target: models.Model,
    **detail: Any,
) -> AuditEvent:
    """Append one event to the audit trail (inside the caller's transaction)."""
    user = actor if actor is not None and actor.is_authenticated else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=user.get_username() if user is not None else "",
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        detail=detail,
    )
