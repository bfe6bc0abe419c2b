"""Readers' personal data: revealing contact details, retention, data-subject exports, key rotation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from askdesk.accounts.access import REVEAL_CONTACT_PERMISSION, second_factor_missing
from askdesk.audit.services import audit_record
from askdesk.callouts.models import Callout
from askdesk.callouts.services import callouts_close_due
from askdesk.nlp.scrub import scrub
from askdesk.questions.crypto import EncryptedTextField, lookup_digest, rotate
from askdesk.questions.models import Question, QuestionGroup, ReaderContact
from askdesk.questions.services import QuestionRefused, questions_erase
from askdesk.readers.selectors import reader_data_elsewhere
from askdesk.search.schema import purge_deleted


def can_reveal_contacts(user: Any) -> bool:
    """Has the permission, and (where required) signed in with a second factor in this session."""
    allowed = getattr(user, "is_authenticated", False) and user.has_perm(REVEAL_CONTACT_PERMISSION)
    return bool(allowed) and not second_factor_missing(user)


@transaction.atomic
def contact_reveal(*, question: Question, actor: Any) -> ReaderContact | None:
    """The reader's contact details, for staff allowed to see them; every look is audited."""
    if not can_reveal_contacts(actor):
        raise QuestionRefused("Your role does not allow you to see readers' contact details.")
    contact = ReaderContact.objects.filter(question=question).first()
    audit_record(actor=actor, action="contact.view", target=question, found=contact is not None)
    return contact


@dataclass(frozen=True)
class RetentionReport:
    contacts_deleted: int
    questions_deleted: int
    callouts_closed: int = 0
    texts_redacted: int = 0


# How long a form's idempotency fingerprint and sealed link are kept: a resubmission after this
# is a new question, and nothing in the database relates to the link any more.
RESUBMISSION_WINDOW = dt.timedelta(days=1)
BATCH = 500


def retention_apply(*, now: dt.datetime | None = None) -> RetentionReport:
    """Carry out the retention clocks (docs/privacy.md), as the daily task does.

    1. Open call-outs whose closing time has come are closed.
    2. Contact details go ASKDESK_RETAIN_CONTACT_DAYS after the call-out closed, or
       ASKDESK_RETAIN_CONTACT_AFTER_DECISION_DAYS after the question was answered, covered,
       rejected or marked spam, whichever comes first; contact details typed into the question
       (its original wording, the wording to publish, group labels) are redacted with them.
    3. Unpublished questions go ASKDESK_RETAIN_UNPUBLISHED_DAYS after the call-out closed.

    Each step commits in batches, so a long run never holds the database for long; a run cut
    short leaves nothing half done, and the next run carries on.
    """
    now = now or timezone.now()
    callouts_closed = callouts_close_due(now=now)
    contact_cutoff = now - dt.timedelta(days=settings.ASKDESK_RETAIN_CONTACT_DAYS)
    decision_cutoff = now - dt.timedelta(days=settings.ASKDESK_RETAIN_CONTACT_AFTER_DECISION_DAYS)
    question_cutoff = now - dt.timedelta(days=settings.ASKDESK_RETAIN_UNPUBLISHED_DAYS)
    due = Question.objects.filter(contact_erased_at__isnull=True).filter(
        Q(callout__status=Callout.Status.CLOSED, callout__closed_at__lte=contact_cutoff)
        | Q(decided_at__lte=decision_cutoff)
    )
    contacts_deleted, texts_redacted = _erase_contact_details(questions=due, now=now)
    questions_deleted = 0
    closed = Callout.objects.filter(status=Callout.Status.CLOSED)
    for callout in closed.filter(closed_at__lte=question_cutoff):
        unpublished = Question.objects.filter(callout=callout).exclude(status=Question.Status.PUBLISHED)
        number = questions_erase(questions=unpublished)
        if number:
            questions_deleted += number
            audit_record(actor=None, action="retention.delete_questions", target=callout, count=number)
    Question.objects.filter(submitted_at__lte=now - RESUBMISSION_WINDOW, submission_fingerprint__isnull=False).update(
        submission_fingerprint=None, access_token_sealed=""
    )
    return RetentionReport(
        contacts_deleted=contacts_deleted,
        questions_deleted=questions_deleted,
        callouts_closed=callouts_closed,
        texts_redacted=texts_redacted,
    )


def _erase_contact_details(*, questions: QuerySet[Question], now: dt.datetime) -> tuple[int, int]:
    """Delete the questions' contact details and redact those typed into their words; (deleted, redacted)."""
    by_callout: dict[int, list[int]] = {}
    for pk, callout_id in questions.values_list("pk", "callout_id").order_by("pk"):
        by_callout.setdefault(callout_id, []).append(pk)
    contacts_deleted = texts_redacted = 0
    for callout_id, ids in by_callout.items():
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            with transaction.atomic():
                deleted, _ = ReaderContact.objects.filter(question_id__in=batch).delete()
                redacted = 0
                for question in Question.objects.filter(pk__in=batch).only("text", "public_text", "contact_spans"):
                    redacted += _redact(question, now)
                labels = _redact_labels(callout_id) if start + BATCH >= len(ids) else 0
                if redacted:
                    purge_deleted(connection)  # the search index would keep the words it replaced
                audit_record(
                    actor=None,
                    action="retention.delete_contacts",
                    target=Callout(pk=callout_id),
                    count=deleted,
                    questions=len(batch),
                    texts_redacted=redacted,
                    labels_redacted=labels,
                )
            contacts_deleted += deleted
            texts_redacted += redacted
    return contacts_deleted, texts_redacted


def _redact_labels(callout_id: int) -> int:
    """Group labels of the call-out without the contact details copied into them."""
    redacted = 0
    for group in QuestionGroup.objects.filter(callout_id=callout_id).only("label"):
        label = scrub(group.label)
        if label.spans:
            QuestionGroup.objects.filter(pk=group.pk).update(label=label.text)
            redacted += 1
    return redacted


def _redact(question: Question, now: dt.datetime) -> int:
    """Replace contact details typed into the question by "[phone number removed]" etc.; 1 if any."""
    update = ["contact_erased_at"]
    for field in ("text", "public_text"):
        found = scrub(getattr(question, field))
        if found.spans:
            setattr(question, field, found.text)
            update.append(field)
    redacted = len(update) > 1
    if redacted:
        question.contact_spans = []
        update.append("contact_spans")
    question.contact_erased_at = now
    question.save(update_fields=update)
    return int(redacted)


def reader_data_export(*, email: str, actor: Any, newsroom_ids: Collection[int] | None = None) -> dict[str, Any]:
    """Everything held about the reader who gave this email address (a data-subject request).

    ``newsroom_ids`` limits it to the newsrooms the person exporting works for.
    """
    digest = lookup_digest(email)
    if not digest:
        raise QuestionRefused("Give the email address the reader used.")
    contacts = ReaderContact.objects.filter(email_digest=digest)
    if newsroom_ids is not None:
        contacts = contacts.filter(question__callout__story__newsroom_id__in=newsroom_ids)
    contacts = contacts.select_related(
        "question__callout__story", "question__terms", "question__privacy_policy"
    ).order_by("question__submitted_at")
    questions = []
    for contact in contacts:
        question = contact.question
        answer = getattr(question, "answer", None)
        questions.append(
            {
                "question_id": question.pk,
                "call_out": question.callout.prompt,
                "story": question.callout.story.title,
                "question": question.text,
                "wording_for_publication": question.public_text or None,
                "name": question.name,
                "age": question.age,
                "location": question.location,
                "publish_name": question.publish_name,
                "publish_age": question.publish_age,
                "publish_location": question.publish_location,
                "email": contact.email,
                "phone": contact.phone,
                "status": question.status,
                "submitted_at": question.submitted_at.isoformat(),
                "consent": {
                    "terms_version": question.terms.version,
                    "privacy_policy_version": question.privacy_policy.version,
                    "accepted_at": question.consented_at.isoformat(),
                },
                "published_byline": question.byline or None,
                "published_at": question.published_at.isoformat() if question.published_at else None,
                "answer": answer.body if answer is not None and question.status == Question.Status.PUBLISHED else None,
            }
        )
    with transaction.atomic():
        for contact in contacts:
            audit_record(actor=actor, action="reader.export", target=contact.question)
    return {
        "email": email.strip(),
        "exported_at": timezone.now().isoformat(),
        "questions": questions,
        **reader_data_elsewhere(email_digest=digest),
    }


def _encrypted_columns() -> list[tuple[str, list[str]]]:
    """Every table with Fernet-encrypted columns: contact details, and what other apps keep encrypted."""
    found = []
    for model in apps.get_models():
        columns = [f.column for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if columns:
            found.append((model._meta.db_table, columns))
    return found


def _rotate_table(table: str, columns: list[str], batch_size: int) -> int:
    rewritten = 0
    last_id = 0
    selected = ", ".join(columns)
    assignments = ", ".join(f"{column} = %s" for column in columns)
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            # Raw rows: the model would hand back clear text, and rotation works on the tokens.
            cursor.execute(
                f"SELECT id, {selected} FROM {table} WHERE id > %s ORDER BY id LIMIT %s",  # noqa: S608
                [last_id, batch_size],
            )
            rows = cursor.fetchall()
            if not rows:
                return rewritten
            for row_id, *values in rows:
                cursor.execute(
                    f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608
                    [*(rotate(value or "") for value in values), row_id],
                )
            rewritten += len(rows)
            last_id = rows[-1][0]


def contact_keys_rotate(*, batch_size: int = 500) -> int:
    """Re-encrypt every encrypted column with the newest key; returns the questions' contact rows rewritten."""
    rewritten = 0
    for table, columns in _encrypted_columns():
        count = _rotate_table(table, columns, batch_size)
        if table == ReaderContact._meta.db_table:
            rewritten = count
    return rewritten
