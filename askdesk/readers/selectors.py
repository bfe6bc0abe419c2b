from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, F, Func, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from askdesk.analysis.models import QuestionVector
from askdesk.callouts.models import Callout
from askdesk.questions.links import hash_token
from askdesk.questions.models import Question
from askdesk.readers.models import AlsoAsked, EditorAlert, PrivateReply, RoundOption, Vote, VotingRound

# The states in which a reader can still join a question: it is not answered, rejected or spam.
JOINABLE = {Question.Status.NEW, Question.Status.SHORTLISTED, Question.Status.ASSIGNED, Question.Status.ANSWERED}


def also_asked_by_token(*, token: str) -> AlsoAsked | None:
    """The join behind a reader's private link, if any."""
    if not token or len(token) > 100:
        return None
    return (
        AlsoAsked.objects.select_related("question__callout__story", "question__covered_by")
        .filter(access_token_hash=hash_token(token))
        .first()
    )


def _joined_in_group() -> Subquery:
    return Subquery(
        AlsoAsked.objects.filter(question__group=OuterRef("group"))
        .order_by()
        .values("question__group")
        .annotate(n=Count("id"))
        .values("n"),
        output_field=IntegerField(),
    )


def readers_asking(*, question: Question) -> int:
    """ "N readers asked this": the question's group, and the readers who joined it."""
    if question.group_id is None:
        return 1 + AlsoAsked.objects.filter(question=question).count()
    size = question.group.size if question.group is not None else 1
    return size + AlsoAsked.objects.filter(question__group_id=question.group_id).count()


def joined_for_answer() -> Subquery:
    """For a query of published questions: readers who joined ("I want to know too") each one, or a
    question it covered. A subquery, so a page lists any number of answers in one query."""
    joined = AlsoAsked.objects.filter(
        Q(question_id=OuterRef("pk"))
        | Q(question__status=Question.Status.COVERED, question__covered_by_id=OuterRef("pk"))
    )
    return Subquery(
        joined.order_by().annotate(n=Func(F("id"), function="COUNT")).values("n"), output_field=IntegerField()
    )


def joinable_questions(*, callout: Callout, limit: int = 20) -> list[Question]:
    """Questions editors shortlisted and not answered yet, one per group, most asked first (one query).

    Only wording without contact details in it is shown. Each has ``asked``: its group's
    readers plus those who joined.
    """
    rows = (
        Question.objects.filter(callout=callout, status=Question.Status.SHORTLISTED, group__isnull=False)
        .filter(contact_spans=[])
        .annotate(asked=Coalesce("group__size", Value(1)) + Coalesce(_joined_in_group(), Value(0)))
        .only("id", "text", "public_text", "group_id", "callout_id", "status")
        .order_by("-asked", "submitted_at", "id")[: limit * 5]
    )
    seen: set[int | None] = set()
    found: list[Question] = []
    for question in rows:
        if question.group_id in seen:
            continue
        seen.add(question.group_id)
        found.append(question)
    return found[:limit]


def wording_shown_to_join(question: Question) -> bool:
    """Whether the "I want to know too" page may show this question's wording: only what the
    answers page lists (shortlisted by an editor, in a group, no contact details in it)."""
    shortlisted = question.status == Question.Status.SHORTLISTED
    return shortlisted and question.group_id is not None and not question.contact_spans


def joinable_question(*, pk: int) -> Question | None:
    """The question behind an "I want to know too" link, if a reader can still join it and see its wording.

    As the answers page: shortlisted, in a group, the call-out open, and no contact details
    in its wording. Any other question's page does not exist: a reader's words are public
    only once an editor chose them.
    """
    question = Question.objects.select_related("callout__story__newsroom", "group").filter(pk=pk).first()
    if question is None or not wording_shown_to_join(question) or not question.callout.is_open:
        return None
    return question


def joinable_group_vectors(*, questions: list[Question], embedder: str) -> list[tuple[int, bytes]]:
    """(group id, stored vector) of every member of these questions' groups still waiting for an answer.

    What a draft is matched on to suggest joining: a reader may word it as any member did,
    while only the question shown for the group is ever sent back (one query).
    """
    rows = QuestionVector.objects.filter(
        embedder=embedder,
        question__group_id__in={question.group_id for question in questions},
        question__status__in=JOINABLE,
    ).values_list("question__group_id", "vector")
    return [(group_id, bytes(vector)) for group_id, vector in rows]


@dataclass(frozen=True)
class OptionResult:
    pk: int
    label: str
    votes: int
    percent: int


def round_results(*, voting_round: VotingRound) -> list[OptionResult]:
    options = list(RoundOption.objects.filter(round=voting_round).order_by("position", "id"))
    total = sum(option.votes for option in options)
    return [
        OptionResult(option.pk, option.label, option.votes, round(100 * option.votes / total) if total else 0)
        for option in options
    ]


def round_results_json(*, voting_round: VotingRound) -> dict[str, Any]:
    results = round_results(voting_round=voting_round)
    return {
        "open": voting_round.is_open,
        "closes_at": voting_round.closes_at.isoformat(),
        "total": sum(r.votes for r in results),
        "winner": voting_round.winner_id,
        "options": [{"id": r.pk, "label": r.label, "votes": r.votes, "percent": r.percent} for r in results],
    }


def open_rounds(*, callout: Callout) -> list[VotingRound]:
    return list(
        VotingRound.objects.filter(callout=callout, closed_at__isnull=True, closes_at__gt=timezone.now()).order_by(
            "closes_at"
        )
    )


def rounds_of(*, callout: Callout) -> list[VotingRound]:
    return list(VotingRound.objects.filter(callout=callout).select_related("winner").order_by("-created_at"))


def unseen_alert_count(*, user: User) -> int:
    return EditorAlert.objects.filter(user=user, seen_at__isnull=True).count()


def alerts_for(*, user: User, limit: int = 50) -> list[EditorAlert]:
    return list(EditorAlert.objects.filter(user=user).select_related("group").order_by("-created_at", "-id")[:limit])


def reader_data_elsewhere(*, email_digest: str) -> dict[str, list[dict[str, Any]]]:
    """What this app holds about the reader with this email (for a data-subject export)."""
    joined = AlsoAsked.objects.filter(email_digest=email_digest).select_related("question", "terms", "privacy_policy")
    votes = Vote.objects.filter(email_digest=email_digest).select_related("round", "option")
    replies = PrivateReply.objects.filter(question__contact__email_digest=email_digest).order_by("created_at", "id")
    return {
        "private_replies": [
            {"question_id": reply.question_id, "reply": reply.body, "written_at": reply.created_at.isoformat()}
            for reply in replies
        ],
        "also_asked": [
            {
                "question_id": row.question_id,
                "question": row.question.display_text,
                "joined_at": row.created_at.isoformat(),
                "consent": {
                    "terms_version": row.terms.version,
                    "privacy_policy_version": row.privacy_policy.version,
                    "accepted_at": row.consented_at.isoformat(),
                },
            }
            for row in joined
        ],
        "votes": [
            {"round": vote.round.title, "voted_for": vote.option.label, "voted_at": vote.created_at.isoformat()}
            for vote in votes
        ],
    }


def private_replies(*, question: Question) -> list[PrivateReply]:
    """The private replies sent to a question's reader, oldest first, each with its email's state."""
    return list(PrivateReply.objects.filter(question=question).select_related("author", "outbox"))
