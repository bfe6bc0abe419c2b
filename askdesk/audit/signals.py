"""Sent by ``audit_record`` inside the writing transaction, after the event is stored.

Every editorial action goes through ``audit_record``, so an app that must react to actions
(webhooks) listens here and keeps working whatever the services change around it.
Receivers only schedule work (``transaction.on_commit`` or ``ops.tasks.enqueue_on_commit``).
"""

from django.dispatch import Signal

# event: the AuditEvent just stored; target: the model instance it is about.
audit_recorded = Signal()
