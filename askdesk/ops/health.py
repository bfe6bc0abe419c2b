"""Readiness checks: is the database reachable, is a background worker alive?"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from askdesk.ops.heartbeat import latest_heartbeat
from askdesk.ops.recovery import stuck_work


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str
    # A failing check that is not critical leaves askdesk serving ("degraded", HTTP 200): a
    # load balancer must not take web processes out because background work is stuck.
    critical: bool = True


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


def check_work() -> Check:
    """Background work that is stuck: tasks of dead workers, or tasks waiting far too long."""
    if not settings.ASKDESK_READY_REQUIRES_WORKER:
        return Check(True, "no queue (tasks run in the web process)", critical=False)
    try:
        stuck = stuck_work()
    except DatabaseError as error:
        return Check(False, f"task queue unreadable: {type(error).__name__}", critical=False)
    if not stuck.any:
        return Check(True, "no stuck tasks", critical=False)
    limit = int(settings.ASKDESK_STUCK_WORK_SECONDS)
    return Check(
        False,
        f"{stuck.abandoned} tasks held by dead workers, {stuck.overdue} tasks waiting over {limit} s",
        critical=False,
    )


def readiness() -> dict[str, Check]:
    """Every check by name; askdesk is ready when all are ok."""
    database = check_database()
    if not database.ok:
        skipped = "not checked: database unreachable"
        return {"database": database, "worker": Check(False, skipped), "work": Check(False, skipped, critical=False)}
    return {"database": database, "worker": check_worker(), "work": check_work()}


def readiness_status(checks: dict[str, Check]) -> tuple[str, int]:
    """("ok", 200) when every check passes; ("degraded", 200) when only non-critical ones fail; else ("fail", 503)."""
    if all(check.ok for check in checks.values()):
        return "ok", 200
    if all(check.ok or not check.critical for check in checks.values()):
        return "degraded", 200
    return "fail", 503
