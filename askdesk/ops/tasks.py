"""Background tasks that retry with backoff, on top of the Django Tasks API (django-tasks).

django-tasks runs a task once. ``retrying_task`` adds what askdesk's tasks need: a failed
attempt is enqueued again after a growing delay, up to ``attempts`` runs; the last failure
raises, so the task stays FAILED with its traceback in the admin ("Task results").

    from askdesk.ops.tasks import enqueue_on_commit, retrying_task

    @retrying_task(attempts=5, backoff=timedelta(seconds=30), retry_on=(SMTPException,))
    def notify_reader(question_id: int) -> None:
        ...

    enqueue_on_commit(notify_reader, question_id=question.pk)  # inside a service

Arguments must be JSON values (ids, not model instances), and the task must be defined at
module level. Tasks run in ``manage.py worker`` (``make run`` starts one); tests run them
immediately.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any, ParamSpec, TypedDict, TypeVar

from django.db import transaction
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME, TaskResultStatus, task
from django_tasks.base import DEFAULT_TASK_PRIORITY, Task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

# The attempt number travels with the task's own arguments, so it is visible in the admin.
ATTEMPT_KWARG = "askdesk_attempt"


class RetryScheduled(TypedDict):
    """What an attempt that failed but will be retried returns (shown as its result in the admin)."""

    retry_scheduled: bool
    failed_attempt: int
    next_attempt: int
    run_after: str | None
    error: str


def backoff_delay(attempt: int, *, backoff: timedelta, max_backoff: timedelta) -> timedelta:
    """Delay before the attempt after ``attempt`` (1-based): backoff, 2x, 4x, ... capped at max_backoff."""
    delay: timedelta = backoff * (2 ** (attempt - 1))
    return min(delay, max_backoff)


def retrying_task(
    *,
    attempts: int = 5,
    backoff: timedelta = timedelta(seconds=30),
    max_backoff: timedelta = timedelta(hours=1),
    retry_on: tuple[type[BaseException], ...] = (Exception,),
    priority: int = DEFAULT_TASK_PRIORITY,
    queue_name: str = DEFAULT_TASK_QUEUE_NAME,
    backend: str = DEFAULT_TASK_BACKEND_ALIAS,
) -> Callable[[Callable[P, T]], Task[P, T | RetryScheduled]]:
    """Make a module-level function a task that is retried on ``retry_on`` errors, up to ``attempts`` runs.

    On a backend that can defer work (the database backend), each retry is a new task run after
    the backoff delay. On one that cannot (the immediate backend of tests), retries follow at once.
    Errors outside ``retry_on`` fail the task at once.
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")

    def decorate(func: Callable[P, T]) -> Task[P, T | RetryScheduled]:
        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> T | RetryScheduled:
            attempt = int(kwargs.pop(ATTEMPT_KWARG, 1))
            while True:
                try:
                    return func(*args, **kwargs)
                except retry_on as error:
                    if attempt >= attempts:
                        logger.error("task %s failed for good on attempt %d/%d", created.name, attempt, attempts)
                        raise
                    described = f"{type(error).__name__}: {error}"[:500]
                    if not created.get_backend().supports_defer:
                        logger.warning(
                            "task %s attempt %d/%d failed (%s); retrying now",
                            created.name,
                            attempt,
                            attempts,
                            described,
                        )
                        attempt += 1
                        continue
                    run_after = timezone.now() + backoff_delay(attempt, backoff=backoff, max_backoff=max_backoff)
                    created.using(run_after=run_after).enqueue(*args, **{**kwargs, ATTEMPT_KWARG: attempt + 1})
                    logger.warning(
                        "task %s attempt %d/%d failed (%s); retry after %s",
                        created.name,
                        attempt,
                        attempts,
                        described,
                        run_after.isoformat(),
                    )
                    return RetryScheduled(
                        retry_scheduled=True,
                        failed_attempt=attempt,
                        next_attempt=attempt + 1,
                        run_after=run_after.isoformat(),
                        error=described,
                    )

        created: Task[P, T | RetryScheduled] = task(priority=priority, queue_name=queue_name, backend=backend)(run)
        return created

    return decorate


def enqueue_on_commit(the_task: Task[P, Any], *args: P.args, **kwargs: P.kwargs) -> None:
    """Enqueue a task that exists only if the current transaction commits (outside one: at once).

    With the database backend the task row is written inside the transaction, so the write and
    its task commit together or not at all: a crash just after the commit loses no task. Other
    backends enqueue after the commit.
    """
    if isinstance(the_task.get_backend(), DatabaseBackend):
        the_task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(functools.partial(the_task.enqueue, *args, **kwargs), robust=True)


def pending_task_kwargs(the_task: Task[P, Any]) -> list[dict[str, Any]]:
    """The keyword arguments of every run of ``the_task`` still waiting or running in the database queue.

    Lets a sweep skip work that is already queued. Other backends keep no queue: nothing is pending.
    """
    if not isinstance(the_task.get_backend(), DatabaseBackend):
        return []
    rows = DBTaskResult.objects.filter(
        task_path=the_task.module_path, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
    ).values_list("args_kwargs", flat=True)
    return [dict(row.get("kwargs", {})) for row in rows]
