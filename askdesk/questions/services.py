from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.views.decorators.debug import sensitive_variables

from askdesk.accounts.models import Expert
from askdesk.audit.services import audit_record
from askdesk.callouts.models import Callout
from askdesk.newsrooms.models import LegalDocument
from askdesk.newsrooms.selectors import legal_document_current
from askdesk.nlp.scrub import find_contact_details, scrub
from askdesk.questions.crypto import lookup_digest
from askdesk.questions.models import Question, QuestionGroup, ReaderContact, Theme
from askdesk.questions.signals import question_changed

Status = Question.Status

# Which states each editorial action may start from.
TRANSITIONS: dict[str, tuple[str, set[str]]] = {
    "shortlist": (Status.SHORTLISTED, {Status.NEW, Status.REJECTED, Status.SPAM}),
    "reject": (Status.REJECTED, {Status.NEW, Status.SHORTLISTED, Status.ASSIGNED, Status.ANSWERED, Status.SPAM}),
    "spam": (Status.SPAM, {Status.NEW, Status.SHORTLISTED, Status.REJECTED}),
    "restore": (Status.NEW, {Status.REJECTED, Status.SPAM, Status.SHORTLISTED}),
}


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
    if expert is not None and expert.newsroom_id != question.callout.story.newsroom_id:
        raise QuestionRefused("This expert belongs to another newsroom.")


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
    audit_record(
        actor=None, action="question.reader_delete", target=question, was_published=question.status == Status.PUBLISHED
    )
    question.delete()


# Groups ------------------------------------------------------------------------------------


def _groups_changed(callout_id: int) -> None:
    Callout.objects.filter(pk=callout_id).update(groups_version=F("groups_version") + 1)


GROUP_LABEL_LENGTH = 200


def _short_label(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= GROUP_LABEL_LENGTH else text[: GROUP_LABEL_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def groups_refresh(
    *, callout_id: int, group_ids: Iterable[int] | None = None, representatives: dict[int, int] | None = None
) -> None:
    """Repair groups and themes after questions moved: the one place that recounts them.

    For the groups given (every group of the call-out if None): size from its members; an
    emptied group is deleted; the representative is the one given (the most central
    member, from the worker), else the stored one while it is still a member, else the
    earliest member; the label is the representative's wording. Then every theme of the
    call-out: its size, its label (the label of its largest group), and deleted once empty.
    """
    groups = QuestionGroup.objects.filter(callout_id=callout_id)
    if group_ids is not None:
        groups = groups.filter(pk__in=list(group_ids))
    chosen = representatives or {}
    for group in groups.select_related("representative"):
        members = Question.objects.filter(group=group)
        size = members.count()
        if size == 0:
            group.delete()
            continue
        representative_id = chosen.get(group.pk)
        if representative_id is None or not members.filter(pk=representative_id).exists():
            representative_id = group.representative_id
            if representative_id is None or not members.filter(pk=representative_id).exists():
                representative_id = members.order_by("submitted_at", "id").values_list("pk", flat=True).first()
        representative = members.get(pk=representative_id or 0)
        label = _short_label(representative.display_text)
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
    for theme in Theme.objects.filter(callout_id=callout_id):
        size = sizes.get(theme.pk) or 0
        if size == 0:
            theme.delete()
            continue
        largest = QuestionGroup.objects.filter(theme=theme).order_by("-size", "id").first()
        label = largest.display_label if largest else ""
        if (theme.size, theme.label) != (size, label):
            Theme.objects.filter(pk=theme.pk).update(size=size, label=label)


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
            label=_short_label(question.display_text),
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
