"""Background tasks of question intelligence (run by `manage.py worker`)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from askdesk.analysis import services
from askdesk.analysis.selectors import questions_without_analysis
from askdesk.ops.tasks import pending_task_kwargs, retrying_task

# A sweep queues at most this many questions; the next sweep takes the rest.
SWEEP_BATCH = 1000


@retrying_task(attempts=5, backoff=timedelta(seconds=10))
def analyse_question(question_id: int) -> None:
    services.question_analyse(question_id=question_id)


@retrying_task(attempts=3, backoff=timedelta(minutes=1))
def regroup_callout(callout_id: int) -> int:
    return services.callout_regroup(callout_id=callout_id)


@retrying_task(attempts=1)
def analyse_missed_questions() -> int:
    """Periodic: queue analysis for questions left without it for a while (a task lost or failed for good).

    Questions whose analysis is still queued or running are skipped, so a long backlog is not doubled.
    """
    cutoff = timezone.now() - timedelta(seconds=settings.ASKDESK_ANALYSIS_SWEEP_AFTER_SECONDS)
    missing = questions_without_analysis(submitted_before=cutoff, limit=SWEEP_BATCH)
    if not missing:
        return 0
    pending = {kwargs.get("question_id") for kwargs in pending_task_kwargs(analyse_question)}
    queued = 0
    for question_id in missing:
        if question_id not in pending:
            analyse_question.enqueue(question_id=question_id)
            queued += 1
    return queued
