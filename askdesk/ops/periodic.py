"""Periodic tasks: workers enqueue each one when its interval has passed, once across all workers.

The tasks and their intervals (seconds) come from ``settings.ASKDESK_PERIODIC_TASKS``, as
dotted paths, so this module imports no other app.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from askdesk.ops.models import PeriodicRun

logger = logging.getLogger(__name__)


def _claim(task_path: str, interval: timedelta, now: datetime) -> bool:
    """True for the one worker whose conditional update (or first insert) wins this run."""
    claimed = PeriodicRun.objects.filter(task_path=task_path, last_enqueued_at__lte=now - interval).update(
        last_enqueued_at=now
    )
    if claimed:
        return True
    if PeriodicRun.objects.filter(task_path=task_path).exists():
        return False
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(task_path=task_path, last_enqueued_at=now)
    except IntegrityError:
        return False  # another worker created it first
    return True


def periodic_enqueue_due(*, now: datetime | None = None) -> list[str]:
    """Enqueue every periodic task whose interval has passed; returns the paths enqueued."""
    now = now or timezone.now()
    enqueued = []
    for task_path, seconds in settings.ASKDESK_PERIODIC_TASKS.items():
        if _claim(task_path, timedelta(seconds=seconds), now):
            import_string(task_path).enqueue()
            enqueued.append(task_path)
            logger.info("enqueued periodic task %s", task_path)
    return enqueued
