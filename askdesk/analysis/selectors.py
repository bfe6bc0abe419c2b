"""Reads of question intelligence."""

from __future__ import annotations

from datetime import datetime

from askdesk.questions.models import Question, QuestionEvidence


def questions_without_analysis(*, submitted_before: datetime, limit: int) -> list[int]:
    """Ids of questions submitted before a time that the worker has not analysed (no evidence row).

    Spam is left aside: it is never grouped, so that a flood of one text cannot make a "group".
    """
    analysed = QuestionEvidence.objects.values("question_id")
    rows = (
        Question.objects.filter(submitted_at__lt=submitted_before)
        .exclude(status=Question.Status.SPAM)
        .exclude(pk__in=analysed)
        .order_by("submitted_at")
        .values_list("pk", flat=True)[:limit]
    )
    return list(rows)
