"""Background tasks of closing the loop with readers (run by `manage.py worker`)."""

from __future__ import annotations

from datetime import timedelta

from askdesk.ops.tasks import retrying_task
from askdesk.readers import services, voting
from askdesk.readers.services import MAX_ATTEMPTS, EmailNotSent


# Backoff 1, 2, 4, 8, 16 minutes: a mail server down for half an hour loses nothing.
@retrying_task(
    attempts=MAX_ATTEMPTS, backoff=timedelta(minutes=1), max_backoff=timedelta(hours=1), retry_on=(EmailNotSent,)
)
def send_email(outbox_id: int) -> str:
    return services.outbox_send(outbox_id=outbox_id)


@retrying_task(attempts=5, backoff=timedelta(minutes=1))
def announce_answered(question_ids: list[int], answered_by: int) -> int:
    """Queue the "answered" email of every reader these questions (and joins) belong to."""
    return services.readers_answered_queue(question_ids=question_ids, answered_by=answered_by)


@retrying_task(attempts=3, backoff=timedelta(minutes=1))
def sweep_outbox() -> dict[str, int]:
    return services.outbox_sweep()


@retrying_task(attempts=3, backoff=timedelta(seconds=30))
def close_due_rounds() -> int:
    return len(voting.rounds_close_due())


@retrying_task(attempts=3, backoff=timedelta(minutes=1))
def check_group_alerts() -> int:
    return services.editor_alerts_check_groups()


@retrying_task(attempts=5, backoff=timedelta(minutes=5))
def apply_readers_retention() -> dict[str, int]:
    return services.readers_retention_apply()
