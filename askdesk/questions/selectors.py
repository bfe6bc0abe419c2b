from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet

from askdesk.accounts.models import Expert
from askdesk.audit.models import AuditEvent
from askdesk.audit.selectors import audit_for
from askdesk.callouts.models import Callout
from askdesk.questions.links import hash_token
from askdesk.questions.models import Question, QuestionEvidence, QuestionGroup, ReaderContact
from askdesk.search.selectors import search_questions
from askdesk.stories.models import Sentence


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


def triage_questions(
    *, callout: Callout, status: str = "", search: str = "", group: int | None = None
) -> QuerySet[Question]:
    questions = Question.objects.filter(callout=callout).select_related("assigned_to", "answer", "evidence", "group")
    # Spam is set aside: shown only when asked for by its state.
    spam = Question.Status.SPAM
    questions = questions.filter(status=status) if status else questions.exclude(status=spam)
    if group is not None:
        questions = questions.filter(group_id=group)
    if search.strip():
        questions = search_questions(questions, search)
    return questions.order_by("-submitted_at", "-id")


def triage_page(
    *,
    callout: Callout,
    status: str = "",
    search: str = "",
    group: int | None = None,
    page: int | str = 1,
    per_page: int = 50,
) -> Page[Question]:
    paginator = Paginator(triage_questions(callout=callout, status=status, search=search, group=group), per_page)
    return paginator.get_page(page)


def triage_groups_page(*, callout: Callout, page: int | str = 1, per_page: int = 50) -> Page[QuestionGroup]:
    """The call-out's groups, largest first, each with its representative question."""
    groups = (
        QuestionGroup.objects.filter(callout=callout, size__gt=0)
        .select_related("representative")
        .order_by("-size", "id")
    )
    return Paginator(groups, per_page).get_page(page)


def ungrouped_count(*, callout: Callout) -> int:
    """Questions the background worker has not grouped yet."""
    return Question.objects.filter(callout=callout, group__isnull=True).count()


def groups_for_moving(*, question: Question, limit: int = 30) -> list[QuestionGroup]:
    """The largest other groups of the question's call-out, to offer as places to move it."""
    groups = QuestionGroup.objects.filter(callout_id=question.callout_id, size__gt=0)
    if question.group_id is not None:
        groups = groups.exclude(pk=question.group_id)
    return list(groups.order_by("-size", "id")[:limit])


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


def question_evidence(*, question: Question) -> tuple[QuestionEvidence | None, list[tuple[Sentence, float]]]:
    """The question's stored evidence (None until the worker computed it) and its sentences, best first."""
    evidence = QuestionEvidence.objects.filter(question=question).first()
    return evidence, evidence_sentences(question=question, evidence=evidence)


def evidence_sentences(*, question: Question, evidence: QuestionEvidence | None) -> list[tuple[Sentence, float]]:
    """The story sentences that may answer the question, best first, with their scores."""
    if evidence is None or not evidence.sentences:
        return []
    by_key = {s.key: s for s in Sentence.objects.filter(story_id=question.callout.story_id, key__in=evidence.keys)}
    return [(by_key[key], score) for key, score in evidence.sentences if key in by_key]


def story_may_answer(evidence: QuestionEvidence | None) -> bool:
    """Whether to point the reader to the story: only when the answered decision is yes (or maybe).

    The decision is a model's guess, so pages word it as a pointer ("may already answer"),
    never as a verdict.
    """
    return evidence is not None and says_may_answer(evidence.answered) and bool(evidence.sentences)


def says_may_answer(decision: object) -> bool:
    """An answered decision of yes or maybe: True today, "yes" or "maybe" once it has three levels."""
    return decision is True or decision in {"yes", "maybe"}


def reader_answer(*, question: Question) -> Any:
    """The published answer that answers this reader: their own question's, or its group's."""
    answered = question
    if question.status == Question.Status.COVERED and question.covered_by_id is not None:
        answered = question.covered_by  # type: ignore[assignment]
    if answered.status != Question.Status.PUBLISHED:
        return None
    return getattr(answered, "answer", None)


def published_count(*, callout: Callout) -> int:
    """How many of the call-out's questions are answered on its public page."""
    return Question.objects.filter(callout=callout, status=Question.Status.PUBLISHED).count()


def reader_has_email(*, question: Question) -> bool:
    """Whether the reader left an email address (found without decrypting it)."""
    return ReaderContact.objects.filter(question=question).exclude(email_digest="").exists()
