from __future__ import annotations

import datetime as dt
import functools
import random
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, NullIf, TruncHour
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from askdesk.accounts.models import Expert, Membership
from askdesk.audit.services import audit_record
from askdesk.callouts.models import Callout
from askdesk.callouts.services import callout_public_changed
from askdesk.newsrooms.models import LegalDocument
from askdesk.newsrooms.selectors import legal_document_ids_current
from askdesk.nlp.invisible import visible_strip
from askdesk.nlp.scrub import find_contact_details, scrub
from askdesk.questions import links
from askdesk.questions.crypto import lookup_digest
from askdesk.questions.links import hash_token
from askdesk.questions.models import (
    CalloutChangeCount,
    CalloutHourCount,
    CalloutStateCount,
    GroupStateCount,
    Question,
    QuestionGroup,
    ReaderContact,
    Theme,
)
from askdesk.questions.signals import group_sizes_changed, question_changed, question_deleted, question_submitted
from askdesk.search.schema import purge_deleted
from askdesk.search.selectors import search_questions

Status = Question.Status

# Which states each editorial action may start from.
TRANSITIONS: dict[str, tuple[str, set[str]]] = {
    "shortlist": (Status.SHORTLISTED, {Status.NEW, Status.REJECTED, Status.SPAM}),
    "reject": (Status.REJECTED, {Status.NEW, Status.SHORTLISTED, Status.ASSIGNED, Status.ANSWERED, Status.SPAM}),
    "spam": (Status.SPAM, {Status.NEW, Status.SHORTLISTED, Status.REJECTED}),
    "restore": (Status.NEW, {Status.REJECTED, Status.SPAM, Status.SHORTLISTED}),
}


# Group labels are shown in one line of triage.
LABEL_LENGTH = 80


# Reaching one of these starts the question's contact clock: its reader's contact details are
# deleted ASKDESK_RETAIN_CONTACT_AFTER_DECISION_DAYS later (privacy.services.retention_apply).
DECIDED = frozenset({Status.ANSWERED, Status.PUBLISHED, Status.COVERED, Status.REJECTED, Status.SPAM})


def set_status(question: Question, status: str) -> list[str]:
    """Set a question's state, starting or stopping its contact clock; returns the fields to save.

    The call-out's and the group's state counts move with it, in the caller's transaction.
    """
    state_counts_move(
        callout_id=question.callout_id, previous=question.status, status=status, group_id=question.group_id
    )
    question.status = status
    question.decided_at = (question.decided_at or timezone.now()) if status in DECIDED else None
    return ["status", "decided_at"]


STATE_COUNT_SLOTS = 8


def _counter_add(
    model: type[CalloutStateCount | CalloutHourCount | CalloutChangeCount | GroupStateCount],
    delta: int | Mapping[str, int],
    **key: Any,
) -> None:
    """Add to a counter (``delta``: to ``count``, or to each named field), creating its row when it
    is the first; safe when transactions race to create it.

    The call-out's counters are split over slot rows, each locked until its transaction commits.
    Where the database can skip locked rows (PostgreSQL), the addition goes to a slot row no
    other transaction holds, so concurrent submissions never wait for each other's commit; only
    when every existing slot is held does it make a new slot row, or, when all slots exist, pick
    one at random and wait for it. SQLite, whose writers wait for each other in any case, keeps
    slot 0 only. A group's counts (``GroupStateCount``, changed by editors, not by a crowd) are
    one row each.
    """
    deltas = {"count": delta} if isinstance(delta, int) else dict(delta)
    increments = {name: F(name) + value for name, value in deltas.items()}
    if model is GroupStateCount:
        _add_or_create(model, model.objects.filter(**key), deltas, increments, key)
        return
    slotted = cast("type[CalloutStateCount | CalloutHourCount | CalloutChangeCount]", model)
    rows = slotted.objects.filter(**key)
    candidates: Sequence[int] = range(STATE_COUNT_SLOTS)
    if connection.features.has_select_for_update_skip_locked:
        if _add_to_free_slot(slotted, deltas, key):
            return
        # Every slot row there is is held by another transaction: a new one, if slots are left.
        candidates = sorted(set(candidates) - set(rows.values_list("slot", flat=True))) or candidates
    elif not connection.features.has_select_for_update:
        candidates = [0]  # SQLite: one writer at a time anyway, so one row (and the same queries each time)
    slot = random.choice(candidates)  # noqa: S311 - spreads writes, not a secret
    _add_or_create(model, rows.filter(slot=slot), deltas, increments, {**key, "slot": slot})


def _add_to_free_slot(
    model: type[CalloutStateCount | CalloutHourCount | CalloutChangeCount],
    deltas: Mapping[str, int],
    key: Mapping[str, Any],
) -> bool:
    """Add ``deltas`` to one slot row of ``key`` that no other transaction holds; False when there is none.

    The statement the ORM would make (``filter(pk=Subquery(rows.select_for_update(skip_locked=True)
    .values("pk")[:1])).update(...)``), written once per counter: building it took about 1.4 ms
    of CPU each time, three times in every reader's submission.
    """
    with connection.cursor() as cursor:
        cursor.execute(_free_slot_update(model, tuple(deltas), tuple(key)), [*deltas.values(), *key.values()])
        return bool(cursor.rowcount)


@functools.cache
def _free_slot_update(model: type[Any], fields: tuple[str, ...], keys: tuple[str, ...]) -> str:
    quote, meta = connection.ops.quote_name, model._meta
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    columns = {name: quote(meta.get_field(name).column) for name in (*fields, *keys)}
    increments = ", ".join(f"{columns[name]} = {columns[name]} + %s" for name in fields)
    where = " AND ".join(f"{columns[name]} = %s" for name in keys)
    # Names come from the model's metadata, quoted; every value is a parameter.
    return (
        f"UPDATE {table} SET {increments} WHERE {pk} = "  # noqa: S608
        f"(SELECT {pk} FROM {table} WHERE {where} LIMIT 1 FOR UPDATE SKIP LOCKED)"
    )


def _add_or_create(
    model: type[CalloutStateCount | CalloutHourCount | CalloutChangeCount | GroupStateCount],
    counter: QuerySet[Any],
    deltas: Mapping[str, int],
    increments: Mapping[str, Any],
    key: Mapping[str, Any],
) -> None:
    """Add to the one row of ``counter``, or make it (with ``key``) if it is not there yet."""
    if counter.update(**increments):
        return
    try:
        with transaction.atomic():
            model.objects.create(**deltas, **key)
    except IntegrityError:
        # Another transaction created this row first: add to it.
        counter.update(**increments)


def state_counts_add(*, callout_id: int, deltas: Mapping[str, int], arrived: int = 0) -> None:
    """Add to the call-out's per-state question counts; call it in the transaction that changes the states.

    Every change of a question's state (or its deletion) goes through here, so triage reads
    counts that cost the same at a thousand questions and at a million. ``arrived``: questions
    just stored, for the desk's "new questions" count.
    """
    for status, delta in deltas.items():
        if delta:
            _counter_add(CalloutStateCount, delta, callout_id=callout_id, status=status)
    desk_changed(callout_id=callout_id, arrived=arrived)


def desk_changed(*, callout_id: int, arrived: int = 0) -> None:
    """Count a change that editors' open triage pages should learn of (``selectors.desk_version``).

    Called in the transaction of the change: by ``state_counts_add`` (every arrival and change of
    state), ``groups_refresh`` (groups grew or moved) and the services that change what a list
    row shows without a change of state.
    """
    _counter_add(CalloutChangeCount, {"changes": 1, "arrivals": arrived}, callout_id=callout_id)


def arrival_count_add(*, callout_id: int, at: dt.datetime) -> None:
    """Count one question arriving at a call-out in the hour of ``at`` (UTC)."""
    hour = at.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    _counter_add(CalloutHourCount, 1, callout_id=callout_id, hour=hour)


def state_counts_move(
    *, callout_id: int, previous: str, status: str, number: int = 1, group_id: int | None = None
) -> None:
    """``number`` questions of the call-out (and of group ``group_id``) went from state ``previous`` to ``status``."""
    if previous != status and number:
        state_counts_add(callout_id=callout_id, deltas={previous: -number, status: number})
        if group_id is not None:
            group_state_counts_add(deltas={(group_id, previous): -number, (group_id, status): number})


def group_state_counts_add(*, deltas: Mapping[tuple[int, str], int]) -> None:
    """Add to groups' per-state question counts (``deltas`` by (group id, state)); call it in the
    transaction that changes the states. Moves between groups are counted by ``groups_refresh``."""
    for (group_id, status), delta in sorted(deltas.items()):  # one order, so transactions lock rows alike
        if delta:
            _counter_add(GroupStateCount, delta, group_id=group_id, status=status)


def group_deltas(rows: Iterable[tuple[int | None, str]], status: str) -> dict[tuple[int, str], int]:
    """The change to groups' state counts when questions (their group id, their state) all go to ``status``."""
    deltas: Counter[tuple[int, str]] = Counter()
    for group_id, previous in rows:
        if group_id is not None and previous != status:
            deltas[group_id, previous] -= 1
            deltas[group_id, status] += 1
    return dict(deltas)


def questions_set_status(*, callout_id: int, questions: QuerySet[Question], status: str, **fields: Any) -> int:
    """Put many questions of one call-out in one state, keeping its state counts; returns how many.

    The rows are locked first, so the counts move by exactly what changed.
    """
    rows = list(questions.select_for_update().values_list("pk", "status", "group_id"))
    if not rows:
        return 0
    # The contact clock, as set_status keeps it for one question.
    decided = Coalesce(F("decided_at"), Value(timezone.now())) if status in DECIDED else None
    Question.objects.filter(pk__in=[pk for pk, _, _ in rows]).update(status=status, decided_at=decided, **fields)
    deltas: Counter[str] = Counter()
    for _, previous, _ in rows:
        deltas[previous] -= 1
        deltas[status] += 1
    state_counts_add(callout_id=callout_id, deltas=deltas)
    group_state_counts_add(deltas=group_deltas(((group_id, previous) for _, previous, group_id in rows), status))
    return len(rows)


@transaction.atomic
def state_counts_rebuild(*, callout: Callout) -> dict[str, int]:
    """Count the call-out's questions by state (in all and per group) and by hour of arrival once, and store the result.

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
    grouped = Question.objects.filter(callout=callout, group__isnull=False)
    GroupStateCount.objects.filter(group__callout=callout).delete()
    GroupStateCount.objects.bulk_create(
        (
            GroupStateCount(group_id=group_id, status=status, count=n)
            for group_id, status, n in grouped.values_list("group_id", "status").annotate(n=Count("id")).order_by()
        ),
        batch_size=5000,
    )
    return counts


T = TypeVar("T")


class QuestionRefused(ValidationError):
    """The action cannot be done on this question now; nothing was changed."""


def insert_once(insert: Callable[[], T], *, stored: Callable[[], T | None]) -> tuple[T, bool]:
    """An idempotent insert: ``insert`` runs in a savepoint; if a unique constraint says another
    transaction stored the same thing first, what it stored is returned instead (``created`` False).

    Re-raises the conflict when ``stored`` finds nothing (another constraint failed).
    """
    try:
        with transaction.atomic():
            return insert(), True
    except IntegrityError:
        found = stored()
        if found is None:
            raise
        return found, False


def contact_spans_in(text: str) -> list[list[Any]]:
    """Contact details typed into a text, as [kind, start, end] triples."""
    return [[span.kind, span.start, span.end] for span in find_contact_details(text)]


def current_legal(callout: Callout) -> tuple[int, int]:
    """The ids of the terms and privacy policy a reader consents to now; refused while either is missing."""
    current = legal_document_ids_current(newsroom=callout.story.newsroom)
    terms, privacy = current.get(LegalDocument.Kind.TERMS), current.get(LegalDocument.Kind.PRIVACY)
    if terms is None or privacy is None:
        raise QuestionRefused(gettext_lazy("This newsroom has not published its terms and privacy policy yet."))
    return terms, privacy


@sensitive_variables("email", "phone", "name", "age", "location", "content")
def question_submit(
    *,
    callout: Callout,
    submission_key: uuid.UUID | str,
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
    language: str = "",
    spam: bool = False,
) -> tuple[Question, str, bool]:
    """Store a reader's question durably; returns (question, private link secret, created).

    Sending the very same submission again (same ``submission_key`` and same content, on the
    same call-out) returns the first question and its link. The same key with other content is
    another reader's question: it is stored, with a link of its own (see ``questions.links``).
    ``spam`` (the same text again from the same client) stores it set aside as spam, without
    analysis, so a flood of one text makes no "group"; an editor can restore it.
    """
    text, name, location = visible_strip(text), visible_strip(name), visible_strip(location)
    email, phone = email.strip(), phone.strip()
    content = {
        "text": text,
        "name": name,
        "age": age,
        "location": location,
        "publish": [publish_name, publish_age, publish_location],
        "email": email,
        "phone": phone,
    }
    submission = links.Submission(callout_id=callout.pk, key=str(submission_key), digest=links.content_digest(content))
    # A submission sent again is found by its unique fingerprint when it is stored a second time
    # (insert_once below), which saves every first submission a query; one refused now (the
    # call-out closed since) still gets the question it stored before.
    try:
        _submission_refused(callout, consent=consent, text=text, contact=bool(email or phone))
        terms, privacy = current_legal(callout)
    except QuestionRefused:
        existing = _resubmitted(submission)
        if existing is not None:
            return existing[0], existing[1], False
        raise
    token = links.new_token()
    now = timezone.now()

    @sensitive_variables("email", "phone", "name", "age", "location")
    def store() -> tuple[Question, str]:
        question = Question.objects.create(
            callout=callout,
            text=text,
            name=name,
            age=age,
            location=location,
            publish_name=publish_name,
            publish_age=publish_age,
            publish_location=publish_location,
            terms_id=terms,
            privacy_policy_id=privacy,
            consented_at=now,
            submitted_at=now,
            submission_fingerprint=submission.fingerprint(),
            access_token_hash=hash_token(token),
            access_token_sealed=submission.seal(token),
            contact_spans=contact_spans_in(text),
            language=language[:16],
            status=Status.SPAM if spam else Status.NEW,
            decided_at=now if spam else None,
        )
        if not spam:
            question_changed.send(sender=Question, question_id=question.pk)
        if email or phone:
            ReaderContact.objects.create(question=question, email=email, phone=phone, email_digest=lookup_digest(email))
        question_submitted.send(sender=Question, question_id=question.pk, token=token, emailed=bool(email))
        # The counters last: their rows stay locked from here to the commit.
        state_counts_add(callout_id=callout.pk, deltas={question.status: 1}, arrived=1)
        arrival_count_add(callout_id=callout.pk, at=now)
        return question, token

    # The same submission, sent twice at once: the request that stored it first wins.
    (question, token), created = insert_once(store, stored=lambda: _resubmitted(submission))
    return question, token, created


def _submission_refused(callout: Callout, *, consent: bool, text: str, contact: bool) -> None:
    """Raises ``QuestionRefused`` when the call-out cannot take this question."""
    if not callout.is_open:
        raise QuestionRefused(gettext_lazy("This call-out is closed and no longer takes questions."))
    if not consent:
        raise QuestionRefused(gettext_lazy("Consent to the terms and privacy policy is required."))
    if not text:
        raise QuestionRefused(gettext_lazy("The question is empty."))
    if len(text) > settings.ASKDESK_QUESTION_MAX_LENGTH:
        raise QuestionRefused(
            gettext_lazy("The question is longer than %(limit)s characters."),
            params={"limit": settings.ASKDESK_QUESTION_MAX_LENGTH},
        )
    if callout.require_contact and not contact:
        raise QuestionRefused(gettext_lazy("This call-out needs an email address or a phone number."))


def _resubmitted(submission: links.Submission) -> tuple[Question, str] | None:
    """The question stored by this exact submission before, and its link secret, if any."""
    question = Question.objects.filter(submission_fingerprint=submission.fingerprint()).first()
    if question is None:
        return None
    token = submission.unseal(question.access_token_sealed)
    if token is None or hash_token(token) != question.access_token_hash:
        return None
    return question, token


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
    update = set_status(question, target)
    if target in {Status.NEW, Status.REJECTED, Status.SPAM} and question.assigned_to_id is not None:
        question.assigned_to = None
        question.assigned_at = None
        update += ["assigned_to", "assigned_at"]
    question.save(update_fields=update)
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
    update = set_status(question, Status.ASSIGNED)
    question.assigned_to = expert
    question.assigned_at = timezone.now()
    question.save(update_fields=[*update, "assigned_to", "assigned_at"])
    desk_changed(callout_id=question.callout_id)  # a new expert shows even when the state stays
    audit_record(actor=actor, action="question.assign", target=question, expert=expert.pk)
    return question


@transaction.atomic
def question_set_welfare(*, question: Question, flagged: bool, actor: Any) -> Question:
    """Flag a question as welfare or urgent, or clear the flag.

    A flagged question is listed first in triage and is neither published nor covered by
    another answer unless an editor clears the flag; its reader may get a private reply.
    """
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.welfare == flagged:
        return question
    question.welfare = flagged
    question.save(update_fields=["welfare"])
    audit_record(actor=actor, action="question.welfare_flag" if flagged else "question.welfare_clear", target=question)
    return question


@transaction.atomic
def question_edit_wording(*, question: Question, public_text: str, actor: Any) -> Question:
    """Set the wording to publish; the reader's original stays as it was."""
    wording = visible_strip(public_text)
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
    _public_changed_if_shown(question)
    desk_changed(callout_id=question.callout_id)
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
    _public_changed_if_shown(question)
    desk_changed(callout_id=question.callout_id)
    audit_record(
        actor=actor, action="question.redact", target=question, kinds=sorted({span.kind for span in result.spans})
    )
    return question


@transaction.atomic
def question_delete_by_reader(*, question: Question) -> None:
    """The reader's own deletion: the question, its contact details and any answer go at once.

    A published question is taken off the public page, and the questions it answered go back
    to the shortlist, as unpublishing does. No trace of the words is left (see ``questions_erase``).
    """
    question = Question.objects.select_for_update().get(pk=question.pk)
    audit_record(
        actor=None, action="question.reader_delete", target=question, was_published=question.status == Status.PUBLISHED
    )
    questions_erase(questions=Question.objects.filter(pk=question.pk))


def release_covered(question: Question) -> int:
    """The questions a published question answered go back where they were before it covered them
    (the shortlist when that is unknown): unpublish, deletion."""
    covered = Question.objects.filter(covered_by=question, status=Status.COVERED)
    rows = list(covered.select_for_update().values_list("pk", "callout_id", "status_before_cover", "group_id"))
    ids = [pk for pk, _, _, _ in rows]
    for _, callout_id, before, group_id in rows:
        state_counts_move(
            callout_id=callout_id, previous=Status.COVERED, status=before or Status.SHORTLISTED, group_id=group_id
        )
    released = covered.update(
        status=Coalesce(NullIf(F("status_before_cover"), Value("")), Value(Status.SHORTLISTED)),
        status_before_cover="",
        covered_by=None,
    )
    # Back in triage, their contact clock stops (it runs on for one that was already answered).
    Question.objects.filter(pk__in=ids).exclude(status__in=DECIDED).update(decided_at=None)
    return released


@transaction.atomic
def questions_erase(*, questions: QuerySet[Question]) -> int:
    """Delete questions and every copy of their words in the database; returns how many went.

    Contact details, answers, vectors and evidence go with them (cascade). Group labels that
    came from their words are made again from the questions that remain; the search index drops
    their words at once; the groups' version is bumped so workers reload the groups they hold in
    memory; ``question_deleted`` tells caches. Audit events hold no words. Task rows carry ids only.
    """
    rows = list(questions.values_list("pk", "callout_id", "group_id", "status", "text", "public_text"))
    if not rows:
        return 0
    for pk, _, _, status, _, _ in rows:
        if status == Status.PUBLISHED:
            release_covered(Question(pk=pk))
    going = Question.objects.filter(pk__in=[row[0] for row in rows])
    # Counted from the states they have now: releasing a cover above may have changed some.
    gone: dict[int, Counter[str]] = {}
    for callout_id, status in going.values_list("callout_id", "status"):
        gone.setdefault(callout_id, Counter())[status] -= 1
    going.delete()
    for callout_id, deltas in gone.items():
        state_counts_add(callout_id=callout_id, deltas=deltas)
    texts_by_callout: dict[int, list[str]] = {}
    for _, callout_id, _, _, text, public_text in rows:
        texts_by_callout.setdefault(callout_id, []).extend([text, public_text])
    for group in QuestionGroup.objects.filter(pk__in={row[2] for row in rows if row[2] is not None}):
        groups_refresh(callout_id=group.callout_id, group_ids=[group.pk])
    for callout_id, texts in texts_by_callout.items():
        _forget_in_labels(callout_id=callout_id, texts=texts)
        _groups_changed(callout_id)
    purge_deleted(connection)
    for callout_id in {row[1] for row in rows if row[3] in {Status.PUBLISHED, Status.COVERED}}:
        callout_public_changed(callout_id=callout_id)  # the public pages showed or counted them
    for pk, callout_id, _, status, _, _ in rows:
        question_deleted.send(
            sender=Question, question_id=pk, callout_id=callout_id, was_published=status == Status.PUBLISHED
        )
    return len(rows)


_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def group_label(text: str) -> str:
    """A group's label from a member's wording, without the contact details typed into it."""
    text = " ".join(scrub(text).text.split())
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def _plain(text: str) -> str:
    return " ".join(text.lower().rstrip("…").split())


def _forget_in_labels(*, callout_id: int, texts: list[str]) -> None:
    """Label again every group whose label copies a deleted wording, or has a word of one that no
    question left in the call-out has (a label may come from a question that has moved since)."""
    remaining = Question.objects.filter(callout_id=callout_id)
    words = set().union(*map(_words, texts))
    # One index lookup per word; a word that remains elsewhere is no trace of this reader.
    unique = {word for word in words if not search_questions(remaining, word).exists()}
    copies = {_plain(text) for text in texts if text}
    # Labels only, as plain rows: a call-out can have tens of thousands of groups.
    labels = QuestionGroup.objects.filter(callout_id=callout_id).exclude(label="").values_list("pk", "label")
    for pk, label in labels:
        plain = _plain(label)
        if _words(label) & unique or (plain and any(copy.startswith(plain) for copy in copies)):
            groups_refresh(callout_id=callout_id, group_ids=[pk])


def _public_changed_if_shown(question: Question) -> None:
    """A published question (or one counted under a published one) is on the public pages."""
    if question.status in {Status.PUBLISHED, Status.COVERED}:
        callout_public_changed(callout_id=question.callout_id)


@transaction.atomic
def question_decline_cover(*, question: Question) -> Question:
    """The reader says the answer published for another question does not answer theirs.

    Their question goes back to triage in the state it had before it was covered, and
    remembers which answer missed it, so editors see it and it is never ticked by default again.
    """
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.status != Status.COVERED:
        raise QuestionRefused(gettext_lazy("Your question is not answered by another reader's question."))
    published = question.covered_by_id
    update = set_status(question, question.status_before_cover or Status.NEW)
    question.status_before_cover = ""
    question.cover_declined_from_id = published
    question.covered_by = None
    question.save(update_fields=[*update, "status_before_cover", "cover_declined_from", "covered_by"])
    callout_public_changed(callout_id=question.callout_id)  # the "and N other readers" count
    audit_record(actor=None, action="question.cover_declined", target=question, published=published)
    return question


# Groups ------------------------------------------------------------------------------------


def _groups_changed(callout_id: int) -> None:
    Callout.objects.filter(pk=callout_id).update(groups_version=F("groups_version") + 1)
    group_sizes_changed.send(sender=QuestionGroup, callout_id=callout_id)


def groups_refresh(
    *, callout_id: int, group_ids: Iterable[int] | None = None, representatives: dict[int, int] | None = None
) -> None:
    """Repair groups and themes after questions moved: the one place that recounts them.

    For the groups given (every group of the call-out if None): size from its members; an
    emptied group is deleted; the representative is the one given (the most central
    member, from the worker), else the stored one while it is still a member, else the
    earliest member; the label is the representative's wording (contact details scrubbed). Then the
    themes: each one's size, its label (the label of its largest group), and deleted once empty.
    """
    desk_changed(callout_id=callout_id)
    groups = QuestionGroup.objects.filter(callout_id=callout_id)
    if group_ids is not None:
        groups = groups.filter(pk__in=list(group_ids))
    chosen = representatives or {}
    touched: set[int] = set()  # the themes of the groups given
    for group in groups.select_related("representative"):
        if group.theme_id is not None:
            touched.add(group.theme_id)
        members = Question.objects.filter(group=group)
        size = _group_states_recount(group)
        if size == 0:
            group.delete()
            continue
        representative_id = chosen.get(group.pk)
        if representative_id is None or not members.filter(pk=representative_id).exists():
            representative_id = group.representative_id
            if representative_id is None or not members.filter(pk=representative_id).exists():
                representative_id = members.order_by("submitted_at", "id").values_list("pk", flat=True).first()
        representative = members.get(pk=representative_id or 0)
        label = group_label(representative.display_text)
        if (group.size, group.representative_id, group.label) != (size, representative_id, label):
            QuestionGroup.objects.filter(pk=group.pk).update(
                size=size, representative_id=representative_id, label=label
            )
    sizes = dict(
        QuestionGroup.objects.filter(callout_id=callout_id, theme__isnull=False)
        .values_list("theme_id")
        .annotate(n=Sum("size"))
        .order_by()
    )
    # With groups given, a theme is labelled again when one of them is in it or its size changed (a
    # group left it, was emptied or merged away); the others are as they were, so an arrival costs
    # a few queries however many themes the call-out has.
    emptied = []
    for theme_id, stored_size, stored_label in Theme.objects.filter(callout_id=callout_id).values_list(
        "pk", "size", "label"
    ):
        size = sizes.get(theme_id) or 0
        if size == 0:
            emptied.append(theme_id)
            continue
        if group_ids is not None and theme_id not in touched and stored_size == size:
            continue
        largest = QuestionGroup.objects.filter(theme_id=theme_id).order_by("-size", "id").first()
        label = largest.display_label if largest else ""
        if (stored_size, stored_label) != (size, label):
            Theme.objects.filter(pk=theme_id).update(size=size, label=label)
    if emptied:
        Theme.objects.filter(pk__in=emptied).delete()


def _group_states_recount(group: QuestionGroup) -> int:
    """Set the group's per-state counts from its members; returns its size.

    Its counter rows are locked before the members are counted: a change of state that already
    added to them has committed and is counted, one that has not waits and adds after this.
    """
    stored = dict(GroupStateCount.objects.select_for_update().filter(group=group).values_list("status", "count"))
    counts = dict(Question.objects.filter(group=group).values_list("status").annotate(n=Count("id")).order_by())
    for status, number in stored.items():
        if counts.get(status, 0) != number:
            GroupStateCount.objects.filter(group=group, status=status).update(count=counts.get(status, 0))
    for status, number in counts.items():
        if status not in stored:
            # Added, not set: a change of state that made this row meanwhile is not in ``counts``.
            _counter_add(GroupStateCount, number, group_id=group.pk, status=status)
    return sum(counts.values())


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
    groups_refresh(callout_id=target.callout_id, group_ids=[target.pk])
    _groups_changed(target.callout_id)
    audit_record(actor=actor, action="group.merge", target=target, merged=[g.pk for g in others], moved=moved)
    target.refresh_from_db(fields=["size", "representative", "label"])  # recounted by groups_refresh
    return target


@transaction.atomic
def question_move(*, question: Question, target: QuestionGroup | None, actor: Any) -> QuestionGroup:
    """Move a question to another group of its call-out, or to a new group of its own."""
    if target is not None and target.callout_id != question.callout_id:
        raise QuestionRefused("A question can only move to a group of its own call-out.")
    previous = question.group
    if target is None:
        target = QuestionGroup.objects.create(
            callout_id=question.callout_id,
            label=group_label(question.display_text),
            representative=question,
            size=0,
            theme_id=previous.theme_id if previous is not None else None,
        )
    question.group = target
    question.group_locked = True
    question.save(update_fields=["group", "group_locked"])
    moved = [target.pk] + ([previous.pk] if previous is not None and previous.pk != target.pk else [])
    groups_refresh(callout_id=question.callout_id, group_ids=moved)
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


@transaction.atomic
def group_move_to_theme(*, group: QuestionGroup, theme: Theme | None, actor: Any) -> Theme:
    """Put a group in another theme of its call-out, or in a new theme of its own; regrouping keeps it there."""
    if theme is not None and theme.callout_id != group.callout_id:
        raise QuestionRefused("A group can only move to a theme of its own call-out.")
    if theme is None:
        theme = Theme.objects.create(callout_id=group.callout_id)
    group.theme = theme
    group.theme_locked = True
    group.save(update_fields=["theme", "theme_locked"])
    groups_refresh(callout_id=group.callout_id, group_ids=[group.pk])
    _groups_changed(group.callout_id)
    audit_record(actor=actor, action="group.move_theme", target=group, theme=theme.pk)
    return theme
