from __future__ import annotations

from django.http import Http404, HttpRequest

from askdesk.accounts.access import expert_for, is_editor, works_for
from askdesk.questions.models import Question


def get_question_for_staff(request: HttpRequest, pk: int) -> Question:
    """A question an editor of its newsroom may act on, or one assigned to the expert asking."""
    question = Question.objects.select_related("callout__story", "assigned_to").filter(pk=pk).first()
    if question is None or not works_for(request.user, question.callout.story.newsroom_id):
        raise Http404("No such question.")
    if is_editor(request.user):
        return question
    expert = expert_for(request.user)
    if expert is not None and question.assigned_to_id == expert.pk:
        return question
    raise Http404("No such question.")
