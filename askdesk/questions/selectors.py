from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet

from askdesk.accounts.models import Expert
from askdesk.audit.models import AuditEvent
from askdesk.audit.selectors import audit_for
from askdesk.callouts.models import Callout
from askdesk.questions.models import Question
from askdesk.questions.services import hash_token
from askdesk.search.selectors import search_questions


def question_by_token(*, token: str) -> Question | None:
    """The question behind a reader's private link, if any."""
    if not token or len(token) > 100:
        return None
    return Question.objects.select_related("callout__story").filter(access_token_hash=hash_token(token)).first()


def triage_counts(*, callout: Callout) -> dict[str, int]:
    """Number of questions in each state (every state present, zeros included)."""
    counts = dict.fromkeys(Question.Status.values, 0)
    rows = Question.objects.filter(callout=callout).values_list("status").annotate(n=Count("id")).order_by()
    for status, number in rows:
        counts[status] = number
    return counts


def triage_questions(*, callout: Callout, status: str = "", search: str = "") -> QuerySet[Question]:
    questions = Question.objects.filter(callout=callout).select_related("assigned_to", "answer")
    if status:
        questions = questions.filter(status=status)
    if search.strip():
        questions = search_questions(questions, search)
    return questions.order_by("-submitted_at", "-id")


def triage_page(
    *, callout: Callout, status: str = "", search: str = "", page: int | str = 1, per_page: int = 50
) -> Page:
    paginator = Paginator(triage_questions(callout=callout, status=status, search=search), per_page)
    return paginator.get_page(page)


def expert_queue(*, expert: Expert) -> QuerySet[Question]:
    """Questions assigned to an expert that still need or have their answer, oldest first."""
    return (
        Question.objects.filter(assigned_to=expert, status__in=[Question.Status.ASSIGNED, Question.Status.ANSWERED])
        .select_related("callout__story", "answer")
        .order_by("assigned_at", "id")
    )


def question_history(question: Question) -> list[AuditEvent]:
    """What happened to a question and its answer, newest first."""
    events = audit_for(target=question)
    answer = getattr(question, "answer", None)
    if answer is not None:
        events += audit_for(target=answer)
    return sorted(events, key=lambda event: (event.at, event.pk), reverse=True)[:20]
