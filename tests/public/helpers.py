from __future__ import annotations

from askdesk.answers.services import answer_publish, answer_save
from askdesk.questions.models import Question
from askdesk.questions.services import question_assign
from tests.conftest import submit


def published(callout, expert, editor, text="Will Iran retaliate?", **fields) -> Question:
    question, _ = submit(callout, text, **fields)
    question_assign(question=question, expert=expert, actor=editor)
    answer_save(question=question, expert=expert, body="Officials say not yet.", submit=True)
    return answer_publish(question=question, actor=editor)
