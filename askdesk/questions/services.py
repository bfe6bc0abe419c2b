from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import random
import uuid
from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, QuerySet
from django.db.models.functions import TruncHour
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from askdesk.accounts.models import Expert, Membership
from askdesk.audit.services import audit_record
from askdesk.callouts.models import Callout
from askdesk.newsrooms.models import LegalDocument
from askdesk.newsrooms.selectors import legal_document_current
from askdesk.nlp.scrub import find_contact_details, scrub
from askdesk.questions.crypto import lookup_digest
from askdesk.questions.models import CalloutHourCount, CalloutStateCount, Question, QuestionGroup, ReaderContact
from askdesk.questions.signals import question_changed

Status = Question.Status

# Which states each editorial action may start from.
TRANSITIONS: dict[str, tuple[str, set[str]]] = {
    "shortlist": (Status.SHORTLISTED, {Status.NEW, Status.REJECTED, Status.SPAM}),
    "reject": (Status.REJECTED, {Status.NEW, Status.SHORTLISTED, Status.ASSIGNED, Status.ANSWERED, Status.SPAM}),
    "spam": (Status.SPAM, {Status.NEW, Status.SHORTLISTED, Status.REJECTED}),
    "restore": (Status.NEW, {Status.REJECTED, Status.SPAM, Status.SHORTLISTED}),
}


STATE_COUNT_SLOTS = 8


def _counter_add(model: type[CalloutStateCount | CalloutHourCount], delta: int, **key: Any) -> None:
    """Add to one counter row, creating it when it is the first; safe when transactions race to create it."""
    counter = model.objects.filter(**key)
    if counter.update(count=F("count") + delta):
        return
    try:
        with transaction.atomic():
            model.objects.create(count=delta, **key)
    except IntegrityError:
        # Another transaction created this slot's row first: add to it.
        counter.update(count=F("count") + delta)


def state_counts_add(*, callout_id: int, deltas: Mapping[str, int]) -> None:
    """Add to the call-out's per-state question counts; call it in the transaction that changes the states.

    Every change of a question's state (or its deletion) goes through here, so triage reads
    counts that cost the same at a thousand questions and at a million.
    """
    slot = random.randrange(STATE_COUNT_SLOTS)  # noqa: S311 - spreads writes, not a secret
    for status, delta in deltas.items():
        if delta:
            _counter_add(CalloutStateCount, delta, callout_id=callout_id, status=status, slot=slot)


def arrival_count_add(*, callout_id: int, at: dt.datetime) -> None:
    """Count one question arriving at a call-out in the hour of ``at`` (UTC)."""
    hour = at.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    slot = random.randrange(STATE_COUNT_SLOTS)  # noqa: S311 - spreads writes, not a secret
    _counter_add(CalloutHourCount, 1, callout_id=callout_id, hour=hour, slot=slot)


def state_counts_move(*, callout_id: int, previous: str, status: str, number: int = 1) -> None:
    """``number`` questions of the call-out went from state ``previous`` to ``status``."""
    if previous != status and number:
        state_counts_add(callout_id=callout_id, deltas={previous: -number, status: number})


def questions_set_status(*, callout_id: int, questions: QuerySet[Question], status: str, **fields: Any) -> int:
    """Put many questions of one call-out in one state, keeping its state counts; returns how many.

    The rows are locked first, so the counts move by exactly what changed.
    """
    rows = list(questions.select_for_update().values_list("pk", "status"))
    if not rows:
        return 0
    Question.objects.filter(pk__in=[pk for pk, _ in rows]).update(status=status, **fields)
    deltas: Counter[str] = Counter()
    for _, previous in rows:
        deltas[previous] -= 1
        deltas[status] += 1
    state_counts_add(callout_id=callout_id, deltas=deltas)
    return len(rows)


@transaction.atomic
def state_counts_rebuild(*, callout: Callout) -> dict[str, int]:
    """Count the call-out's questions by state and by hour of arrival once, and store the result.

    A repair, and the start for questions loaded in bulk; the services keep the counts after that.
    """
    counts = dict(Question.objects.filter(callout=callout).values_list("status").annotate(n=Count("id")).order_by())
    CalloutStateCount.objects.filter(callout=callout).delete()
    CalloutStateCount.objects.bulk_create(
        [CalloutStateCount(callout=callout, status=status, slot=0, count=n) for status, n in counts.items()]
    )
    hours = (
        Question.objects.filter(callout=callout)
        .annotate(hour=TruncHour("submitted_at", tzinfo=dt.UTC))
        .values_list("hour")
        .annotate(n=Count("id"))
        .order_by()
    )
    CalloutHourCount.objects.filter(callout=callout).delete()
    CalloutHourCount.objects.bulk_create([CalloutHourCount(callout=callout, hour=h, slot=0, count=n) for h, n in hours])
    return counts


class QuestionRefused(ValidationError):
    """The action cannot be done on this question now; nothing was changed."""


def access_token_for(submission_key: uuid.UUID) -> str:
    """The reader's private link token: unguessable without the server's secret."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"question-access:{submission_key}".encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def contact_spans_in(text: str) -> list[list[Any]]:
    """Contact details typed into a text, as [kind, start, end] triples."""
    return [[span.kind, span.start, span.end] for span in find_contact_details(text)]


def _current_legal(callout: Callout) -> tuple[LegalDocument, LegalDocument]:
    newsroom = callout.story.newsroom
    terms = legal_document_current(newsroom=newsroom, kind=LegalDocument.Kind.TERMS)
    privacy = legal_document_current(newsroom=newsroom, kind=LegalDocument.Kind.PRIVACY)
    if terms is None or privacy is None:
        raise QuestionRefused("This newsroom has not published its terms and privacy policy yet.")
    return terms, privacy


@sensitive_variables("email", "phone", "name", "age", "location")
def question_submit(
    *,
    callout: Callout,
    submission_key: uuid.UUID,
    text: str,
    consent: bool,
    name: str = "",
    age: int | None = None,
    location: str = "",
    publish_name: bool = True,
    publish_age: bool = True,
    publish_location: bool = True,
    email: str = "",
    phone: str = "",
) -> tuple[Question, str, bool]:
    """Store a reader's question durably; returns (question, private token, created).

    Submitting the same form twice (same ``submission_key``) returns the first question.
    """
    existing = Question.objects.filter(submission_key=submission_key).first()
    if existing is not None:
        return existing, access_token_for(submission_key), False
    if not callout.is_open:
        raise QuestionRefused("This call-out is closed and no longer takes questions.")
    if not consent:
        raise QuestionRefused("Consent to the terms and privacy policy is required.")
    if not text.strip():
        raise QuestionRefused("The question is empty.")
    if callout.require_contact and not (email.strip() or phone.strip()):
        raise QuestionRefused("This call-out needs an email address or a phone number.")
    terms, privacy = _current_legal(callout)
    token = access_token_for(submission_key)
    now = timezone.now()
    try:
        with transaction.atomic():
            question = Question.objects.create(
                callout=callout,
                text=text.strip(),
                name=name.strip(),
                age=age,
                location=location.strip(),
                publish_name=publish_name,
                publish_age=publish_age,
                publish_location=publish_location,
                terms=terms,
                privacy_policy=privacy,
                consented_at=now,
                submitted_at=now,
                submission_key=submission_key,
                access_token_hash=hash_token(token),
                contact_spans=contact_spans_in(text.strip()),
            )
            state_counts_add(callout_id=callout.pk, deltas={Status.NEW: 1})
            arrival_count_add(callout_id=callout.pk, at=now)
            question_changed.send(sender=Question, question_id=question.pk)
            if email.strip() or phone.strip():
                ReaderContact.objects.create(
                    question=question, email=email.strip(), phone=phone.strip(), email_digest=lookup_digest(email)
                )
    except IntegrityError:
        # The same form, submitted twice at once: the other request stored it first.
        return Question.objects.get(submission_key=submission_key), token, False
    return question, token, True


def _check_callout_scope(question: Question, expert: Expert | None) -> None:
    if expert is None:
        return
    newsroom_id = question.callout.story.newsroom_id
    if not Membership.objects.filter(user_id=expert.user_id, newsroom_id=newsroom_id).exists():
        raise QuestionRefused("This expert does not answer for this newsroom.")


@transaction.atomic
def question_transition(*, question: Question, action: str, actor: Any) -> Question:
    """Shortlist, reject, mark as spam or restore a question."""
    if action not in TRANSITIONS:
        raise QuestionRefused(f"Unknown action {action!r}.")
    target, allowed_from = TRANSITIONS[action]
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.status == target:
        return question
    if question.status not in allowed_from:
        raise QuestionRefused(f"A {question.get_status_display().lower()} question cannot be {action_label(action)}.")
    previous = question.status
    question.status = target
    update = ["status"]
    if target in {Status.NEW, Status.REJECTED, Status.SPAM} and question.assigned_to_id is not None:
        question.assigned_to = None
        question.assigned_at = None
        update += ["assigned_to", "assigned_at"]
    question.save(update_fields=update)
    state_counts_move(callout_id=question.callout_id, previous=previous, status=target)
    audit_record(actor=actor, action=f"question.{action}", target=question, previous=previous)
    return question


def action_label(action: str) -> str:
    return {"shortlist": "shortlisted", "reject": "rejected", "spam": "marked as spam", "restore": "restored"}[action]


@transaction.atomic
def question_assign(*, question: Question, expert: Expert, actor: Any) -> Question:
    """Give a question to an expert to answer."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.status not in {Status.NEW, Status.SHORTLISTED, Status.ASSIGNED}:
        raise QuestionRefused(f"A {question.get_status_display().lower()} question cannot be assigned.")
    _check_callout_scope(question, expert)
    state_counts_move(callout_id=question.callout_id, previous=question.status, status=Status.ASSIGNED)
    question.status = Status.ASSIGNED
    question.assigned_to = expert
    question.assigned_at = timezone.now()
    question.save(update_fields=["status", "assigned_to", "assigned_at"])
    audit_record(actor=actor, action="question.assign", target=question, expert=expert.pk)
    return question


@transaction.atomic
def question_edit_wording(*, question: Question, public_text: str, actor: Any) -> Question:
    """Set the wording to publish; the reader's original stays as it was."""
    wording = public_text.strip()
    if not wording:
        raise QuestionRefused("The wording for publication cannot be empty.")
    if len(wording) > settings.ASKDESK_QUESTION_MAX_LENGTH:
        raise QuestionRefused(f"The wording is longer than {settings.ASKDESK_QUESTION_MAX_LENGTH} characters.")
    if wording == question.text:
        wording = ""
    if wording == question.public_text:
        return question
    question.public_text = wording
    question.contact_spans = contact_spans_in(question.display_text)
    question.save(update_fields=["public_text", "contact_spans"])
    audit_record(actor=actor, action="question.edit_wording", target=question, reverted=not wording)
    return question


@transaction.atomic
def question_redact_contact_details(*, question: Question, actor: Any) -> Question:
    """Replace contact details typed into the question with placeholders in the wording to publish."""
    result = scrub(question.display_text)
    if not result.spans:
        return question
    question.public_text = result.text
    question.contact_spans = []
    question.save(update_fields=["public_text", "contact_spans"])
    audit_record(
        actor=actor, action="question.redact", target=question, kinds=sorted({span.kind for span in result.spans})
    )
    return question


@transaction.atomic
def question_delete_by_reader(*, question: Question) -> None:
    """The reader's own deletion: the question, its contact details and any answer go at once."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    audit_record(
        actor=None, action="question.reader_delete", target=question, was_published=question.status == Status.PUBLISHED
    )
    state_counts_add(callout_id=question.callout_id, deltas={question.status: -1})
    question.delete()


# Groups ------------------------------------------------------------------------------------


def _groups_changed(callout_id: int) -> None:
    Callout.objects.filter(pk=callout_id).update(groups_version=F("groups_version") + 1)


def _refresh_group(group: QuestionGroup) -> None:
    """Size and representative after members moved; an emptied group is deleted."""
    members = Question.objects.filter(group=group)
    size = members.count()
    if size == 0:
        group.delete()
        return
    group.size = size
    if group.representative_id is None or not members.filter(pk=group.representative_id).exists():
        group.representative = members.order_by("submitted_at", "id").first()
    group.save(update_fields=["size", "representative"])


@transaction.atomic
def group_apply(*, group: QuestionGroup, action: str, actor: Any, expert: Expert | None = None) -> tuple[int, int]:
    """Shortlist, reject, mark as spam or assign every question of a group; returns (done, skipped)."""
    done = skipped = 0
    for question in Question.objects.filter(group=group).order_by("id"):
        try:
            if action == "assign":
                if expert is None:
                    raise QuestionRefused("Choose an expert.")
                question_assign(question=question, expert=expert, actor=actor)
            else:
                question_transition(question=question, action=action, actor=actor)
        except QuestionRefused:
            skipped += 1
        else:
            done += 1
    audit_record(actor=actor, action=f"group.{action}", target=group, done=done, skipped=skipped)
    return done, skipped


@transaction.atomic
def group_merge(*, target: QuestionGroup, others: list[QuestionGroup], actor: Any) -> QuestionGroup:
    """Move every question of ``others`` into ``target``; the emptied groups go."""
    others = [g for g in others if g.pk != target.pk]
    if any(g.callout_id != target.callout_id for g in others):
        raise QuestionRefused("Only groups of the same call-out can be merged.")
    if not others:
        raise QuestionRefused("Choose at least two groups to merge.")
    moved = Question.objects.filter(group__in=others).update(group=target, group_locked=True)
    for group in others:
        group.delete()
    _refresh_group(target)
    _groups_changed(target.callout_id)
    audit_record(actor=actor, action="group.merge", target=target, merged=[g.pk for g in others], moved=moved)
    return target


@transaction.atomic
def question_move(*, question: Question, target: QuestionGroup | None, actor: Any) -> QuestionGroup:
    """Move a question to another group of its call-out, or to a new group of its own."""
    if target is not None and target.callout_id != question.callout_id:
        raise QuestionRefused("A question can only move to a group of its own call-out.")
    previous = question.group
    if target is None:
        target = QuestionGroup.objects.create(
            callout_id=question.callout_id, label=question.display_text[:80], representative=question, size=0
        )
    question.group = target
    question.group_locked = True
    question.save(update_fields=["group", "group_locked"])
    _refresh_group(target)
    if previous is not None and previous.pk != target.pk:
        _refresh_group(previous)
    _groups_changed(question.callout_id)
    audit_record(actor=actor, action="question.move", target=question, group=target.pk)
    return target


BULK_LIMIT = 500


@transaction.atomic
def questions_apply(
    *, callout: Callout, question_ids: list[int], action: str, actor: Any, expert: Expert | None = None
) -> tuple[int, int]:
    """One editorial action on many questions of a call-out, in one transaction; returns (done, skipped).

    Each question is audited as if acted on alone; a question the action cannot apply to now
    is left as it was and counted as skipped.
    """
    if action not in {*TRANSITIONS, "assign"}:
        raise QuestionRefused(f"Unknown action {action!r}.")
    if action == "assign" and expert is None:
        raise QuestionRefused("Choose an expert to assign the questions to.")
    if len(question_ids) > BULK_LIMIT:
        raise QuestionRefused(f"Choose at most {BULK_LIMIT} questions at a time.")
    chosen = list(Question.objects.filter(callout=callout, pk__in=question_ids).order_by("id"))
    if not chosen:
        raise QuestionRefused("Tick the questions to act on first.")
    outcomes = [_try(question, action, actor, expert) for question in chosen]
    done = sum(outcomes)
    return done, len(outcomes) - done


def _try(question: Question, action: str, actor: Any, expert: Expert | None) -> bool:
    try:
        with transaction.atomic():
            if expert is not None and action == "assign":
                question_assign(question=question, expert=expert, actor=actor)
            else:
                question_transition(question=question, action=action, actor=actor)
    except QuestionRefused:
        return False
    return True


# States an undo can return a question to: none of them holds an assignment to restore.
UNDOABLE_FROM = {Status.NEW, Status.SHORTLISTED, Status.REJECTED, Status.SPAM}


@transaction.atomic
def questions_undo(*, callout: Callout, action: str, previous: Mapping[int, str], actor: Any) -> int:
    """Put questions back in the states they had before ``action``; returns how many went back.

    A question that changed again since (another editor acted on it) is left as it is now.
    """
    if action not in TRANSITIONS:
        raise QuestionRefused("This action cannot be undone.")
    target = TRANSITIONS[action][0]
    undone = 0
    for status in sorted(set(previous.values()) & UNDOABLE_FROM):
        ids = [pk for pk, was in previous.items() if was == status]
        still = list(
            Question.objects.select_for_update().filter(callout=callout, pk__in=ids, status=target).order_by("id")
        )
        for question in still:
            audit_record(actor=actor, action="question.undo", target=question, undid=action, back_to=status)
        undone += questions_set_status(
            callout_id=callout.pk, questions=Question.objects.filter(pk__in=[q.pk for q in still]), status=status
        )
    return undone
