"""Closing the loop with readers. Email goes through an outbox: each message once, retried, decrypted only here.

A message is a row of ``OutgoingEmail`` with a unique key ("answered:q:12"): queuing it twice
queues it once. The worker (``readers.tasks.send_email``) renders it, then moves it
``pending`` -> ``sending`` with a conditional update (only one worker wins), hands it to the
mail server, and marks it ``sent``. A failure the server reports puts it back to ``pending``
and the task is retried later. A worker that dies between handing it over and marking it sent
leaves it ``sending``: the sweep marks it ``interrupted`` and it is not sent again by itself,
since it may have gone; an operator may send it again from the admin (``outbox_requeue``).
Every message carries its own Message-ID, the same on any retry.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_variables

from askdesk.accounts.models import Role
from askdesk.audit.services import audit_record
from askdesk.callouts.models import Callout
from askdesk.questions.crypto import lookup_digest
from askdesk.questions.links import hash_token, new_token
from askdesk.questions.models import Question, QuestionGroup, ReaderContact
from askdesk.questions.services import QuestionRefused, current_legal, desk_changed, insert_once
from askdesk.readers.models import (
    AlsoAsked,
    EditorAlert,
    EditorAlertSettings,
    OutgoingEmail,
    PrivateReply,
    Unsubscribed,
    Vote,
    VotingRound,
)
from askdesk.readers.selectors import JOINABLE

logger = logging.getLogger(__name__)

Kind = OutgoingEmail.Kind
State = OutgoingEmail.State

MAX_ATTEMPTS = 6
# A message still "sending" after this long was being sent by a worker that stopped.
SENDING_LEASE = timedelta(minutes=10)
UNSUBSCRIBE_SALT = "askdesk.readers.unsubscribe"


class EmailNotSent(Exception):
    """The mail server refused the message or could not be reached. The text holds no address."""


def public_url(path: str) -> str:
    return settings.ASKDESK_PUBLIC_BASE_URL.rstrip("/") + path


def unsubscribe_token(email_digest: str) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(email_digest)


def digest_from_unsubscribe_token(token: str) -> str | None:
    try:
        return signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None


def _message_id() -> str:
    domain = urlsplit(settings.ASKDESK_PUBLIC_BASE_URL).hostname or "askdesk.invalid"
    return make_msgid(idstring="askdesk", domain=domain)


def outbox_add(
    *,
    key: str,
    kind: str,
    question_id: int | None = None,
    also_asked_id: int | None = None,
    vote_id: int | None = None,
    staff_id: int | None = None,
    context: dict[str, Any] | None = None,
    secret: str = "",
    language: str = "",
) -> OutgoingEmail | None:
    """Queue one message (call inside the writing transaction); None when that key was queued before."""
    from askdesk.ops.tasks import enqueue_on_commit
    from askdesk.readers.tasks import send_email

    if OutgoingEmail.objects.filter(key=key).exists():
        return None
    try:
        with transaction.atomic():
            row = OutgoingEmail.objects.create(
                key=key,
                kind=kind,
                question_id=question_id,
                also_asked_id=also_asked_id,
                vote_id=vote_id,
                staff_id=staff_id,
                context=context or {},
                secret=secret,
                language=language,
                message_id=_message_id(),
            )
    except IntegrityError:
        return None  # queued at the same moment by another transaction
    enqueue_on_commit(send_email, outbox_id=row.pk)
    return row


# --- sending (worker only) -------------------------------------------------------------------


@dataclass
class _Recipient:
    address: str
    target: Any  # the row the address was decrypted from, for the audit trail


@sensitive_variables("address", "contact")
def _recipient(row: OutgoingEmail) -> _Recipient | None:
    """Decrypt the address the message goes to (only ever called by the worker)."""
    if row.question_id is not None:
        contact = ReaderContact.objects.filter(question_id=row.question_id).first()
        address = contact.email if contact is not None else ""
        return _Recipient(address, row.question) if address else None
    if row.also_asked is not None:
        return _Recipient(row.also_asked.email, row.also_asked) if row.also_asked.email else None
    if row.vote is not None:
        return _Recipient(row.vote.email, row.vote) if row.vote.email else None
    if row.staff is not None and row.staff.is_active and row.staff.email:
        return _Recipient(row.staff.email, row.staff)
    return None


def _set_state(row: OutgoingEmail, state: str, **fields: Any) -> None:
    OutgoingEmail.objects.filter(pk=row.pk).update(state=state, **fields)


@sensitive_variables("recipient", "message")
def outbox_send(*, outbox_id: int) -> str:
    """Send one queued message; returns its state. Raises EmailNotSent when it should be retried."""
    from askdesk.readers.emails import render_email

    row = OutgoingEmail.objects.select_related("question", "also_asked", "vote", "staff").filter(pk=outbox_id).first()
    if row is None:
        return "gone"  # its reader deleted their data before it was sent
    if row.state != State.PENDING:
        return str(row.state)
    recipient = _recipient(row)
    if recipient is None:
        _set_state(row, State.SKIPPED, secret="", last_error="no address")
        return State.SKIPPED
    digest = lookup_digest(recipient.address)
    if Unsubscribed.objects.filter(email_digest=digest).exists():
        _set_state(row, State.SKIPPED, secret="", last_error="unsubscribed")
        return State.SKIPPED
    rendered = render_email(
        row, unsubscribe_url=public_url(reverse("readers:unsubscribe", args=[unsubscribe_token(digest)]))
    )
    if rendered is None:
        _set_state(row, State.SKIPPED, secret="", last_error="nothing to say any more")
        return State.SKIPPED
    message = EmailMultiAlternatives(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.address],
        headers=rendered.headers,
    )
    message.attach_alternative(rendered.html, "text/html")
    # Claimed by one worker only; from here on the message is never handed over twice.
    claimed = OutgoingEmail.objects.filter(pk=row.pk, state=State.PENDING).update(
        state=State.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        return "taken"
    try:
        get_connection(fail_silently=False).send_messages([message])
    except (smtplib.SMTPException, OSError) as error:
        reason = _describe(error)
        with transaction.atomic():
            attempts = OutgoingEmail.objects.get(pk=row.pk).attempts
            final = attempts >= MAX_ATTEMPTS
            _set_state(row, State.FAILED if final else State.PENDING, last_error=reason)
            audit_record(actor=None, action="contact.email_failed", target=recipient.target, kind=row.kind)
        logger.warning("email %s (%s) not sent on attempt %d: %s", row.pk, row.kind, attempts, reason)
        if final:
            return State.FAILED
        raise EmailNotSent(reason) from None
    with transaction.atomic():
        _set_state(row, State.SENT, sent_at=timezone.now(), secret="", last_error="")
        _forget_what_was_only_for_this(row)
        audit_record(actor=None, action="contact.emailed", target=recipient.target, kind=row.kind, message=row.pk)
    logger.info("email %s (%s) sent", row.pk, row.kind)
    return State.SENT


def _forget_what_was_only_for_this(row: OutgoingEmail) -> None:
    """The last message a detail was kept for is sent: the detail goes (docs/privacy.md)."""
    if row.kind == Kind.ANSWERED and row.question_id is not None:
        ReaderContact.objects.filter(question_id=row.question_id).update(private_link="")
    if row.kind == Kind.ANSWERED and row.also_asked_id is not None:
        AlsoAsked.objects.filter(pk=row.also_asked_id).update(private_link="", email="", email_digest="")
    if row.kind == Kind.ROUND_RESULT and row.vote_id is not None:
        Vote.objects.filter(pk=row.vote_id).update(email="", email_digest="")


def _describe(error: BaseException) -> str:
    """What went wrong, without the recipient's address (SMTP errors can carry it)."""
    code = getattr(error, "smtp_code", None)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(c) for c, _ in error.recipients.values()})
        return f"{type(error).__name__} {','.join(codes)}"
    return f"{type(error).__name__}{f' {code}' if code else ''}"


def outbox_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Mark messages a stopped worker left "sending" as interrupted; requeue pending ones left behind."""
    from askdesk.readers.tasks import send_email

    now = now or timezone.now()
    interrupted = OutgoingEmail.objects.filter(state=State.SENDING, claimed_at__lt=now - SENDING_LEASE).update(
        state=State.INTERRUPTED, secret=""
    )
    if interrupted:
        logger.error("%d email(s) interrupted while being sent: not resent, see the admin", interrupted)
    # A pending message older than the longest backoff lost its task (a worker died mid-task).
    stale = OutgoingEmail.objects.filter(state=State.PENDING, created_at__lt=now - timedelta(hours=6))
    requeued = 0
    for pk in stale.values_list("pk", flat=True)[:500]:
        send_email.enqueue(outbox_id=pk)
        requeued += 1
    return {"interrupted": interrupted, "requeued": requeued}


@dataclass(frozen=True)
class Requeued:
    requeued: int
    # Still "sending" within the lease: a worker may be handing them over right now.
    in_flight: int


@transaction.atomic
def outbox_requeue(*, outbox_ids: list[int], actor: User, now: datetime | None = None) -> Requeued:
    """An operator sends again messages a stopped worker left "sending" (or the sweep marked interrupted).

    They may have reached the reader already: the operator decides, and each requeue is audited.
    A message claimed less than ``SENDING_LEASE`` ago is left alone, since a live worker may
    still be sending it.
    """
    from askdesk.ops.tasks import enqueue_on_commit
    from askdesk.readers.tasks import send_email

    now = now or timezone.now()
    chosen = OutgoingEmail.objects.select_for_update(of=("self",)).filter(pk__in=outbox_ids)
    stopped = Q(state=State.INTERRUPTED) | Q(state=State.SENDING, claimed_at__lt=now - SENDING_LEASE)
    in_flight = chosen.filter(state=State.SENDING, claimed_at__gte=now - SENDING_LEASE).count()
    requeued = 0
    for row in chosen.filter(stopped).select_related("also_asked"):
        OutgoingEmail.objects.filter(pk=row.pk).update(
            state=State.PENDING, claimed_at=None, secret=row.secret or _kept_private_link(row), last_error=""
        )
        audit_record(actor=actor, action="email.requeue", target=row, kind=row.kind, was=row.state)
        enqueue_on_commit(send_email, outbox_id=row.pk)
        requeued += 1
    return Requeued(requeued=requeued, in_flight=in_flight)


def _kept_private_link(row: OutgoingEmail) -> str:
    """A confirmation's private link, emptied from the row by the sweep, from where it is kept for the reader."""
    if row.kind != Kind.CONFIRMATION:
        return ""
    if row.question_id is not None:
        contact = ReaderContact.objects.filter(question_id=row.question_id).first()
        return contact.private_link if contact is not None else ""
    return row.also_asked.private_link if row.also_asked is not None else ""


@transaction.atomic
def reader_unsubscribe(*, email_digest: str) -> bool:
    """Stop every message to an address (one click); True when it was not stopped already."""
    _, created = Unsubscribed.objects.get_or_create(email_digest=email_digest)
    if created:
        OutgoingEmail.objects.filter(state=State.PENDING).filter(_pending_to(email_digest)).update(
            state=State.SKIPPED, secret="", last_error="unsubscribed"
        )
        audit_record(
            actor=None, action="reader.unsubscribe", target=Unsubscribed.objects.get(email_digest=email_digest)
        )
    return created


def _pending_to(email_digest: str) -> Q:
    return (
        Q(question__contact__email_digest=email_digest)
        | Q(also_asked__email_digest=email_digest)
        | Q(vote__email_digest=email_digest)
    )


# --- messages to queue ------------------------------------------------------------------------


@transaction.atomic
def reader_confirmation_queue(*, question_id: int, token: str) -> OutgoingEmail | None:
    """After a question is stored: a reader who left an email gets their private link by email.

    The token travels only encrypted: in the outbox row (emptied once sent) and with the
    contact (kept for the "answered" email, deleted with the contact).
    """
    contact = ReaderContact.objects.filter(question_id=question_id).exclude(email_digest="").only("pk").first()
    if contact is None:
        return None
    ReaderContact.objects.filter(pk=contact.pk).update(private_link=token)
    language = Question.objects.filter(pk=question_id).values_list("language", flat=True).first() or ""
    return outbox_add(
        key=f"confirmation:q:{question_id}",
        kind=Kind.CONFIRMATION,
        question_id=question_id,
        secret=token,
        language=language,
    )


@transaction.atomic
def readers_answered_queue(*, question_ids: list[int], answered_by: int) -> int:
    """Questions now answered: each reader who left an email (and each who also asked) is told, once."""
    queued = 0
    emailed = (
        Question.objects.filter(pk__in=question_ids, contact__isnull=False)
        .exclude(contact__email_digest="")
        .values_list("pk", "language")
    )
    for question_id, language in emailed:
        row = outbox_add(
            key=f"answered:q:{question_id}",
            kind=Kind.ANSWERED,
            question_id=question_id,
            context={"answered_by": answered_by},
            language=language,
        )
        queued += row is not None
    joined = AlsoAsked.objects.filter(question_id__in=question_ids).exclude(email_digest="")
    for also_asked_id, language in joined.values_list("pk", "language"):
        row = outbox_add(
            key=f"answered:a:{also_asked_id}",
            kind=Kind.ANSWERED,
            also_asked_id=also_asked_id,
            context={"answered_by": answered_by},
            language=language,
        )
        queued += row is not None
    return queued


# --- private replies to readers -----------------------------------------------------------------

PRIVATE_REPLY_MAX_LENGTH = 5000


def private_reply_refusal(*, question: Question) -> str:
    """Why this question's reader cannot get a private reply now ("" when they can).

    Tells the editor whether the reader left an email, never what it is.
    """
    if not question.welfare:
        return "Only a question flagged as welfare or urgent can be replied to privately."
    digest = ReaderContact.objects.filter(question_id=question.pk).values_list("email_digest", flat=True).first() or ""
    if not digest:
        return "This reader left no email address, so askdesk cannot reply to them."
    if Unsubscribed.objects.filter(email_digest=digest).exists():
        return "This reader asked for no more emails from askdesk."
    return ""


@transaction.atomic
def reader_private_reply(*, question: Question, body: str, actor: Any) -> PrivateReply:
    """Write privately to the reader of a question flagged as welfare or urgent, by email.

    The reply is never published and the editor never sees the address: the outbox's worker
    decrypts it when it sends, after this transaction commits. The audit trail records that a
    reply was sent and by whom, not the address and not the words.
    """
    question = Question.objects.select_for_update().get(pk=question.pk)
    text = body.strip()
    if not text:
        raise QuestionRefused("Write the reply first.")
    if len(text) > PRIVATE_REPLY_MAX_LENGTH:
        raise QuestionRefused(f"The reply is longer than {PRIVATE_REPLY_MAX_LENGTH} characters.")
    refusal = private_reply_refusal(question=question)
    if refusal:
        raise QuestionRefused(refusal)
    author = actor if isinstance(actor, User) and actor.is_authenticated else None
    reply = PrivateReply.objects.create(question=question, author=author, body=text)
    reply.outbox = outbox_add(
        key=f"private_reply:{reply.pk}",
        kind=Kind.PRIVATE_REPLY,
        question_id=question.pk,
        context={"reply": reply.pk},
        language=question.language,
    )
    reply.save(update_fields=["outbox"])
    audit_record(actor=actor, action="question.private_reply", target=question, reply=reply.pk)
    return reply


# --- "I want to know too" -----------------------------------------------------------------------


@sensitive_variables("email")
def also_asked_join(
    *,
    question: Question,
    reader_id: str,
    consent: bool,
    email: str = "",
    language: str = "",
) -> tuple[AlsoAsked, str, bool]:
    """A reader asks the same as ``question`` without writing it again; returns (row, private token, created).

    ``reader_id`` is the random id in the reader's signed cookie, or the key their browser keeps
    where cookies are blocked: the same browser joining the same question again gets its first
    join back, without its token (only its hash is kept).
    The form itself carries nothing per reader, so the pages that show it can be cached.
    """
    reader = reader_hash(reader_id)
    existing = AlsoAsked.objects.filter(question=question, reader=reader).first()
    if existing is not None:
        return existing, "", False
    callout = question.callout
    if not callout.is_open:
        raise QuestionRefused(gettext_lazy("This call-out is closed and no longer takes questions."))
    if question.status not in JOINABLE or question.group_id is None:
        raise QuestionRefused(gettext_lazy("This question can no longer be joined."))
    if not consent:
        raise QuestionRefused(gettext_lazy("Consent to the terms and privacy policy is required."))
    terms, privacy = current_legal(callout)
    token = new_token()
    email = email.strip()
    now = timezone.now()

    @sensitive_variables("email")
    def store() -> AlsoAsked:
        row = AlsoAsked.objects.create(
            question=question,
            terms_id=terms,
            privacy_policy_id=privacy,
            consented_at=now,
            created_at=now,
            reader=reader,
            access_token_hash=hash_token(token),
            email=email,
            email_digest=lookup_digest(email),
            private_link=token if email else "",
            language=language[:16],
        )
        audit_record(actor=None, action="question.also_asked", target=question, joined=row.pk)
        # "N readers asked this" grew: editors' open triage pages learn of it.
        desk_changed(callout_id=question.callout_id)
        if email:
            outbox_add(
                key=f"confirmation:a:{row.pk}",
                kind=Kind.CONFIRMATION,
                also_asked_id=row.pk,
                secret=token,
                language=row.language,
            )
        return row

    # The same browser joining twice at once: the first join is kept, and only it has a link.
    row, created = insert_once(store, stored=AlsoAsked.objects.filter(question=question, reader=reader).first)
    return row, token if created else "", created


def reader_hash(reader_id: str) -> str:
    """What is stored of the random id in a reader's cookie."""
    return hashlib.sha256(f"askdesk-reader:{reader_id}".encode()).hexdigest()


@transaction.atomic
def also_asked_delete_by_reader(*, also_asked: AlsoAsked) -> None:
    """The reader's own deletion: their join, consent record and email go at once."""
    audit_record(actor=None, action="question.also_asked_delete", target=also_asked.question)
    also_asked.delete()


# --- editors told when it matters ---------------------------------------------------------------


def _editors(newsroom_id: int) -> QuerySet[User]:
    """The newsroom's editors (and superusers, who work for every newsroom)."""
    return (
        User.objects.filter(
            Q(groups__name=Role.EDITOR, newsroom_memberships__newsroom_id=newsroom_id) | Q(is_superuser=True),
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def alert_settings_for(user: User) -> EditorAlertSettings:
    """An editor's alert choices (the defaults until they change them)."""
    found = EditorAlertSettings.objects.filter(user=user).first()
    return found if found is not None else EditorAlertSettings(user=user)


@transaction.atomic
def alert_settings_save(
    *, user: User, by_email: bool, in_desk: bool, group_size: int, fast_growth: bool, round_closed: bool
) -> EditorAlertSettings:
    found, _ = EditorAlertSettings.objects.update_or_create(
        user=user,
        defaults={
            "by_email": by_email,
            "in_desk": in_desk,
            "group_size": max(0, group_size),
            "fast_growth": fast_growth,
            "round_closed": round_closed,
        },
    )
    return found


def _wants(choice: EditorAlertSettings, kind: str) -> bool:
    if kind == EditorAlert.Kind.GROUP_SIZE:
        return choice.group_size > 0
    if kind == EditorAlert.Kind.FAST_GROWTH:
        return choice.fast_growth
    return choice.round_closed


@transaction.atomic
def editor_alert_raise(
    *,
    newsroom_id: int,
    kind: str,
    key: str,
    text: str,
    url: str,
    group: QuestionGroup | None = None,
    only: Callable[[EditorAlertSettings], bool] | None = None,
) -> int:
    """Tell every editor of the newsroom who wants this kind of alert (badge and/or email), once per editor and key."""
    told = 0
    for user in _editors(newsroom_id):
        choice = alert_settings_for(user)
        if not (choice.in_desk or choice.by_email) or not _wants(choice, kind):
            continue
        if only is not None and not only(choice):
            continue
        if EditorAlert.objects.filter(user=user, key=key).exists():
            continue
        if choice.in_desk:
            EditorAlert.objects.create(user=user, kind=kind, key=key, text=text[:300], url=url[:300], group=group)
        if choice.by_email:
            outbox_add(
                key=f"alert:{user.pk}:{key}"[:120],
                kind=Kind.EDITOR_ALERT,
                staff_id=user.pk,
                context={"text": text[:300], "url": url, "group": group.pk if group is not None else None},
            )
        told += 1
    return told


def editor_alerts_check_groups(*, now: datetime | None = None) -> int:
    """Alert editors about groups that passed their size, or that grow fast. Run every minute."""
    now = now or timezone.now()
    editors = User.objects.filter(Q(groups__name=Role.EDITOR) | Q(is_superuser=True), is_active=True).distinct()
    thresholds = {alert_settings_for(user).group_size for user in editors} - {0}
    raised = 0
    if thresholds:
        smallest = min(thresholds)
        for group in QuestionGroup.objects.filter(size__gte=smallest).select_related("callout__story"):
            size = group.size + AlsoAsked.objects.filter(question__group=group).count()
            for threshold in sorted(t for t in thresholds if t <= size):
                raised += editor_alert_raise(
                    newsroom_id=group.callout.story.newsroom_id,
                    kind=EditorAlert.Kind.GROUP_SIZE,
                    key=f"group:{group.pk}:size:{threshold}",
                    text=f"A group passed {threshold} readers: {size} asked",
                    url=_group_url(group),
                    group=group,
                    only=lambda choice, t=threshold: choice.group_size == t,  # type: ignore[misc]
                )
    window = timedelta(minutes=settings.ASKDESK_ALERT_FAST_MINUTES)
    fast = (
        Question.objects.filter(submitted_at__gte=now - window, group__isnull=False)
        .values("group")
        .annotate(n=Count("id"))
        .filter(n__gte=settings.ASKDESK_ALERT_FAST_QUESTIONS)
        .order_by()
    )
    for row in fast:
        growing = QuestionGroup.objects.select_related("callout__story").filter(pk=row["group"]).first()
        if growing is None:
            continue
        raised += editor_alert_raise(
            newsroom_id=growing.callout.story.newsroom_id,
            kind=EditorAlert.Kind.FAST_GROWTH,
            key=f"group:{growing.pk}:fast:{now:%Y-%m-%d}",
            text=f"Growing fast: {row['n']} readers in {window.seconds // 60} minutes",
            url=_group_url(growing),
            group=growing,
        )
    return raised


def _group_url(group: QuestionGroup) -> str:
    return reverse("questions:triage", args=[group.callout_id]) + f"?group={group.pk}"


@transaction.atomic
def editor_alerts_seen(*, user: User) -> int:
    return EditorAlert.objects.filter(user=user, seen_at__isnull=True).update(seen_at=timezone.now())


# --- retention -----------------------------------------------------------------------------------


@transaction.atomic
def readers_retention_apply(*, now: datetime | None = None) -> dict[str, int]:
    """Apply docs/privacy.md to what this app keeps; run daily with the other retention."""
    now = now or timezone.now()
    contact_cutoff = now - timedelta(days=settings.ASKDESK_RETAIN_CONTACT_DAYS)
    closed = Callout.objects.filter(status=Callout.Status.CLOSED, closed_at__lte=contact_cutoff)
    done = {"emails_deleted": 0, "votes_deleted": 0, "messages_deleted": 0}
    for callout in closed:
        number = (
            AlsoAsked.objects.filter(question__callout=callout)
            .exclude(email_digest="", private_link="")
            .update(email="", email_digest="", private_link="")
        )
        if number:
            done["emails_deleted"] += number
            audit_record(actor=None, action="retention.delete_joined_emails", target=callout, count=number)
    for voting_round in VotingRound.objects.filter(closed_at__lte=contact_cutoff):
        number, _ = Vote.objects.filter(round=voting_round).delete()
        if number:
            done["votes_deleted"] += number
            audit_record(actor=None, action="retention.delete_votes", target=voting_round, count=number)
    finished = [State.SENT, State.SKIPPED, State.FAILED, State.INTERRUPTED]
    done["messages_deleted"], _ = OutgoingEmail.objects.filter(
        state__in=finished, created_at__lte=contact_cutoff
    ).delete()
    return done
