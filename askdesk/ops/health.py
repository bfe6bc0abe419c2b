"""Readiness checks: is the database reachable, is a background worker alive?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from askdesk.ops.heartbeat import latest_heartbeat


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return Check(False, f"database unreachable: {type(error).__name__}")
    return Check(True, f"{connection.vendor} reachable")


def check_worker() -> Check:
    if not settings.ASKDESK_READY_REQUIRES_WORKER:
        return Check(True, "no worker required (tasks run in the web process)")
    max_age = timedelta(seconds=settings.ASKDESK_WORKER_STALE_SECONDS)
    try:
        beat = latest_heartbeat()
    except DatabaseError as error:
        return Check(False, f"worker heartbeat unreadable: {type(error).__name__}")
    if beat is None:
        return Check(False, "no worker has ever reported")
    age = timezone.now() - beat.seen_at
    if age > max_age:
        return Check(
            False, f"last worker heartbeat {int(age.total_seconds())} s ago (limit {int(max_age.total_seconds())} s)"
        )
    return Check(True, f"worker {beat.worker_id} seen {int(age.total_seconds())} s ago")


def readiness() -> dict[str, Check]:
    """Every check by name; askdesk is ready when all are ok."""
    database = check_database()
    worker = check_worker() if database.ok else Check(False, "not checked: database unreachable")
    return {"database": database, "worker": worker}
