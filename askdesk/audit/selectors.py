from __future__ import annotations

from django.db import models

from askdesk.audit.models import AuditEvent


def audit_for(*, target: models.Model, limit: int = 20) -> list[AuditEvent]:
    """The most recent events about one object, newest first."""
    return list(
        AuditEvent.objects.filter(object_type=target._meta.label_lower, object_id=str(target.pk))
        .select_related("actor")
        .order_by("-at", "-id")[:limit]
    )
