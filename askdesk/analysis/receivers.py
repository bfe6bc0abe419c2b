from typing import Any

from askdesk.analysis.tasks import analyse_question
from askdesk.ops.tasks import enqueue_on_commit


def schedule_analysis(sender: Any, *, question_id: int, **kwargs: Any) -> None:
    enqueue_on_commit(analyse_question, question_id=question_id)
