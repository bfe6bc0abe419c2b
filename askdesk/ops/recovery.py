"""Work left behind by a worker that died: tasks it was running are queued again, and readiness says so.

A worker killed mid-task (``kill -9``, out of memory, a lost machine) leaves its task RUNNING
for ever: django-tasks-db only moves a task on when its worker finishes it. Each worker's
heartbeat (``askdesk.ops.heartbeat``) says which workers are alive, so a RUNNING task whose
worker stopped beating is abandoned. It is set READY again, and a live worker runs it again:
tasks must therefore be idempotent (``analysis.services.question_analyse`` is). A task
abandoned ``MAX_RUNS`` times (one that kills every worker that runs it) is failed instead.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from askdesk.ops.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

MAX_RUNS = 3


class WorkerLost(Exception):
    """Recorded as the error of a task whose workers died under it ``MAX_RUNS`` times."""


def _stale_after() -> timedelta:
    return timedelta(seconds=settings.ASKDESK_WORKER_STALE_SECONDS)


def _abandoned(now: datetime) -> list[DBTaskResult[Any, Any]]:
    """RUNNING tasks, started longer ago than a heartbeat may lag, whose worker has no fresh heartbeat."""
    stale = _stale_after()
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=now - stale).values_list("worker_id", flat=True))
    running: QuerySet[DBTaskResult[Any, Any]] = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - stale
    ).only("id", "worker_ids", "started_at", "task_path")
    return [row for row in running if not (row.worker_ids and row.worker_ids[-1] in alive)]


def tasks_requeue_abandoned(*, now: datetime | None = None) -> tuple[int, int]:
    """Queue again the tasks of dead workers (fail those that died ``MAX_RUNS`` times); returns (requeued, failed)."""
    now = now or timezone.now()
    requeued = failed = 0
    for row in _abandoned(now):
        # Conditional on the row as read: a worker that claimed it meanwhile keeps it.
        same = DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at)
        if len(row.worker_ids) >= MAX_RUNS:
            done = same.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=f"WorkerLost: the workers running this task died {len(row.worker_ids)} times: "
                + ", ".join(row.worker_ids),
            )
            failed += done
            if done:
                logger.error("task %s (%s) failed: its workers died %d times", row.pk, row.task_path, MAX_RUNS)
        else:
            done = same.update(status=TaskResultStatus.READY, started_at=None)
            requeued += done
            if done:
                logger.warning(
                    "task %s (%s) queued again: worker %s stopped beating",
                    row.pk,
                    row.task_path,
                    row.worker_ids[-1] if row.worker_ids else "?",
                )
    return requeued, failed


@dataclass(frozen=True)
class StuckWork:
    abandoned: int  # RUNNING under a dead worker, waiting to be queued again
    overdue: int  # READY for longer than ASKDESK_STUCK_WORK_SECONDS: no worker is keeping up

    @property
    def any(self) -> bool:
        return bool(self.abandoned or self.overdue)


def stuck_work(*, now: datetime | None = None) -> StuckWork:
    now = now or timezone.now()
    overdue_before = now - timedelta(seconds=settings.ASKDESK_STUCK_WORK_SECONDS)
    # Tasks queued without a run_after carry django-tasks-db's far-future marker: their clock is enqueued_at.
    overdue = (
        DBTaskResult.objects.ready()
        .filter(Q(run_after=get_date_max(), enqueued_at__lt=overdue_before) | Q(run_after__lt=overdue_before))
        .count()
    )
    return StuckWork(abandoned=len(_abandoned(now)), overdue=overdue)
