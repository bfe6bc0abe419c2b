"""Background tasks of question intelligence (run by `manage.py worker`)."""

from __future__ import annotations

from datetime import timedelta

from askdesk.analysis import services
from askdesk.ops.tasks import retrying_task


@retrying_task(attempts=5, backoff=timedelta(seconds=10))
def analyse_question(question_id: int) -> None:
    services.question_analyse(question_id=question_id)


@retrying_task(attempts=3, backoff=timedelta(minutes=1))
def regroup_callout(callout_id: int) -> int:
    return services.callout_regroup(callout_id=callout_id)
