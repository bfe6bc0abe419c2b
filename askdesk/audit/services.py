from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from django.contrib.auth.models import AnonymousUser, User
from django.db import models

from askdesk.audit.models import AuditEvent
from askdesk.audit.signals import audit_recorded


@runtime_checkable
class MachineActor(Protocol):
    """An actor that is not a person, such as an API key: named in the trail by its label."""

    @property
    def audit_label(self) -> str: ...


Actor = User | AnonymousUser | MachineActor | None


def actor_user(actor: Any) -> User | None:
    """The staff account behind an actor, if the actor is one (an API key is not)."""
    return actor if isinstance(actor, User) and actor.is_authenticated else None


def audit_record(
    *,
    actor: Actor,
    action: str,
    target: models.Model,
    **detail: Any,
) -> AuditEvent:
    """Append one event to the audit trail (inside the caller's transaction)."""
    user = actor_user(actor)
    if user is not None:
        label = user.get_username()
    elif isinstance(actor, MachineActor):
        label = actor.audit_label
    else:
        label = ""
    event = AuditEvent.objects.create(
        actor=user,
        actor_label=label[:150],
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        detail=detail,
    )
    audit_recorded.send(sender=AuditEvent, event=event, target=target)
    return event
