"""Readers' personal data: revealing contact details, retention, data-subject exports, key rotation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from askdesk.audit.services import audit_record
from askdesk.callouts.models import Callout
from askdesk.questions.crypto import lookup_digest, rotate
from askdesk.questions.models import Question, ReaderContact
from askdesk.questions.services import QuestionRefused, state_counts_add

REVEAL_PERMISSION = "questions.reveal_readercontact"


def can_reveal_contacts(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm(REVEAL_PERMISSION))


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


@transaction.atomic
def retention_apply(*, now: dt.datetime | None = None) -> RetentionReport:
    """Delete contact details, then unpublished questions, of call-outs closed long enough ago."""
    now = now or timezone.now()
    contact_cutoff = now - dt.timedelta(days=settings.ASKDESK_RETAIN_CONTACT_DAYS)
    question_cutoff = now - dt.timedelta(days=settings.ASKDESK_RETAIN_UNPUBLISHED_DAYS)
    closed = Callout.objects.filter(status=Callout.Status.CLOSED)
    contacts_deleted = questions_deleted = 0
    for callout in closed.filter(closed_at__lte=contact_cutoff):
        number, _ = ReaderContact.objects.filter(question__callout=callout).delete()
        if number:
            contacts_deleted += number
            audit_record(actor=None, action="retention.delete_contacts", target=callout, count=number)
    for callout in closed.filter(closed_at__lte=question_cutoff):
        unpublished = Question.objects.filter(callout=callout).exclude(status=Question.Status.PUBLISHED)
        by_state = dict(unpublished.values_list("status").annotate(n=Count("id")).order_by())
        number = sum(by_state.values())
        if number:
            unpublished.delete()
            state_counts_add(callout_id=callout.pk, deltas={status: -n for status, n in by_state.items()})
            questions_deleted += number
            audit_record(actor=None, action="retention.delete_questions", target=callout, count=number)
    return RetentionReport(contacts_deleted=contacts_deleted, questions_deleted=questions_deleted)


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
    return {"email": email.strip(), "exported_at": timezone.now().isoformat(), "questions": questions}


def contact_keys_rotate(*, batch_size: int = 500) -> int:
    """Re-encrypt every stored contact detail with the newest key; returns the rows rewritten."""
    table = ReaderContact._meta.db_table
    rewritten = 0
    last_id = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            # Raw rows: the model would hand back clear text, and rotation works on the tokens.
            cursor.execute(
                f"SELECT id, email, phone FROM {table} WHERE id > %s ORDER BY id LIMIT %s",  # noqa: S608
                [last_id, batch_size],
            )
            rows = cursor.fetchall()
            if not rows:
                return rewritten
            for row_id, email, phone in rows:
                cursor.execute(
                    f"UPDATE {table} SET email = %s, phone = %s WHERE id = %s",  # noqa: S608
                    [rotate(email or ""), rotate(phone or ""), row_id],
                )
            rewritten += len(rows)
            last_id = rows[-1][0]
