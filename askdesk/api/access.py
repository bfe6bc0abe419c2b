"""What a key may reach: its own newsroom's call-outs, questions and groups, and nothing else.

Objects of another newsroom answer 404, as if they did not exist, so ids and slugs reveal nothing.
"""

from __future__ import annotations

from askdesk.api.models import ApiKey
from askdesk.api.problems import ApiProblem
from askdesk.callouts.models import Callout
from askdesk.questions.models import Question, QuestionGroup


def not_found(what: str) -> ApiProblem:
    return ApiProblem(404, f"No such {what}.")


def get_callout_for_key(key: ApiKey, slug: str) -> Callout:
    callout = Callout.objects.select_related("story").filter(slug=slug, story__newsroom_id=key.newsroom_id).first()
    if callout is None:
        raise not_found("call-out")
    return callout


def get_question_for_key(key: ApiKey, pk: int) -> Question:
    question = (
        Question.objects.select_related("callout__story", "answer__expert", "group", "evidence")
        .filter(pk=pk, callout__story__newsroom_id=key.newsroom_id)
        .first()
    )
    if question is None:
        raise not_found("question")
    return question


def get_group_for_key(key: ApiKey, pk: int) -> QuestionGroup:
    group = (
        QuestionGroup.objects.select_related("callout")
        .filter(pk=pk, callout__story__newsroom_id=key.newsroom_id)
        .first()
    )
    if group is None:
        raise not_found("group")
    return group
