"""What askdesk keeps to close the loop with readers (docs/privacy.md says for how long)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from askdesk.accounts.models import Expert
from askdesk.callouts.models import Callout
from askdesk.newsrooms.models import LegalDocument
from askdesk.questions.crypto import EncryptedTextField
from askdesk.questions.models import Question, QuestionGroup


class AlsoAsked(models.Model):
    """A reader who wants to know too: joined a question already asked instead of writing it again.

    Nothing else about them is kept: no wording, no byline, only consent, an optional email
    (encrypted) and the hash of their private link.
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="joined_readers")
    terms = models.ForeignKey(LegalDocument, on_delete=models.PROTECT, related_name="+")
    privacy_policy = models.ForeignKey(LegalDocument, on_delete=models.PROTECT, related_name="+")
    consented_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    # SHA-256 of the random id in the reader's signed cookie: the same browser joins a question once.
    reader = models.CharField(max_length=64)
    access_token_hash = models.CharField(max_length=64, unique=True)
    email = EncryptedTextField(blank=True)
    email_digest = models.CharField(max_length=64, blank=True, db_index=True)
    # The private link, encrypted, kept only to put it in the "answered" email (then emptied).
    private_link = EncryptedTextField(blank=True)
    language = models.CharField(max_length=16, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "reader"], name="join_once_per_reader")]

    def __str__(self) -> str:
        return f"reader who also asked question {self.question_id}"


class VotingRound(models.Model):
    """Readers choose which of 2-5 groups the experts answer first."""

    MIN_OPTIONS, MAX_OPTIONS = 2, 5

    callout = models.ForeignKey(Callout, on_delete=models.CASCADE, related_name="voting_rounds")
    title = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    winner = models.ForeignKey("RoundOption", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["closed_at", "closes_at"], name="round_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and timezone.now() < self.closes_at


class RoundOption(models.Model):
    """One group in a round, shown to readers in the wording an editor approved."""

    round = models.ForeignKey(VotingRound, on_delete=models.CASCADE, related_name="options")
    group = models.ForeignKey(QuestionGroup, null=True, on_delete=models.SET_NULL, related_name="+")
    label = models.CharField(max_length=300)
    # The question whose words the wording was offered from: if its reader deletes it, the
    # wording is replaced (``round_options_forget``), so a deleted question leaves no words here.
    source_question_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    expert = models.ForeignKey(Expert, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    # Kept by the vote service, so live results read one small table.
    votes = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class Vote(models.Model):
    """One reader's vote. No raw address is stored; see docs/privacy.md."""

    round = models.ForeignKey(VotingRound, on_delete=models.CASCADE, related_name="votes")
    option = models.ForeignKey(RoundOption, on_delete=models.CASCADE, related_name="+")
    # SHA-256 of the random id in the reader's signed cookie.
    voter = models.CharField(max_length=64)
    # Salted hash of address and user agent, with a salt that changes daily and is then deleted;
    # emptied when the round closes.
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    email = EncryptedTextField(blank=True)
    email_digest = models.CharField(max_length=64, blank=True)
    language = models.CharField(max_length=16, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "voter"], name="one_vote_per_reader")]

    def __str__(self) -> str:
        return f"vote in round {self.round_id}"


class VoteSalt(models.Model):
    """Today's random salt for vote fingerprints; older salts are deleted, so old hashes link to nobody."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"vote salt of {self.day}"


class Unsubscribed(models.Model):
    """An address that asked for no more messages: found by its lookup digest, never stored in clear."""

    email_digest = models.CharField(max_length=64, unique=True)
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"unsubscribed {self.email_digest[:8]}"


class OutgoingEmail(models.Model):
    """One message to send, exactly once: its ``key`` is unique, its state moves one way.

    The recipient is a reference (question, reader who also asked, vote, staff member); the
    worker decrypts the address only when it sends.
    """

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", "Confirmation with the private link"
        ANSWERED = "answered", "Question answered"
        ROUND_RESULT = "round_result", "Voting round result"
        EDITOR_ALERT = "editor_alert", "Editor alert"
        PRIVATE_REPLY = "private_reply", "Private reply to a reader"

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Not sent (no address, unsubscribed or deleted)"
        FAILED = "failed", "Failed for good"
        # The worker stopped while handing it to the mail server: it may have gone, so it is not resent.
        INTERRUPTED = "interrupted", "Interrupted while sending"

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    also_asked = models.ForeignKey(AlsoAsked, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    vote = models.ForeignKey(Vote, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE)
    # Ids and words that say what the message is about; never contact details.
    context = models.JSONField(default=dict, blank=True)
    # The reader's private link for the confirmation, encrypted; emptied once sent.
    secret = EncryptedTextField(blank=True)
    language = models.CharField(max_length=16, blank=True)
    message_id = models.CharField(max_length=255, unique=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "created_at"], name="outbox_state")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} ({self.state})"


class EditorAlertSettings(models.Model):
    """What an editor wants to be told, and how. Without a row the defaults apply."""

    DEFAULT_GROUP_SIZE = 10

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_settings")
    by_email = models.BooleanField(default=True)
    in_desk = models.BooleanField(default=True)
    group_size = models.PositiveIntegerField(
        default=DEFAULT_GROUP_SIZE, help_text="Tell me when a group passes this many readers (0: never)."
    )
    fast_growth = models.BooleanField(default=True)
    round_closed = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"alert settings of {self.user_id}"


class EditorAlert(models.Model):
    """Something an editor should know; shown as a badge in the desk until seen."""

    class Kind(models.TextChoices):
        GROUP_SIZE = "group_size", "A group passed its size"
        FAST_GROWTH = "fast_growth", "A group grows fast"
        ROUND_CLOSED = "round_closed", "A voting round closed"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="askdesk_alerts")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # What it is about, e.g. "group:12:size:10": an editor is told once per key.
    key = models.CharField(max_length=120)
    # Never a reader's words: the group's current label is shown beside it, so a deleted
    # question's words, dropped from the label, leave no copy here.
    text = models.CharField(max_length=300)
    group = models.ForeignKey(QuestionGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="alert_once_per_editor")]

    def __str__(self) -> str:
        return self.text


class PrivateReply(models.Model):
    """An editor's private answer to a reader whose question was flagged as welfare or urgent.

    Sent by email through the outbox, never published. The editor never sees the address: the
    worker decrypts it when it sends. Deleted with the question.
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="private_replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # What the editor wrote to one reader: private, so encrypted at rest like the contact.
    body = EncryptedTextField()
    outbox = models.OneToOneField(
        OutgoingEmail, null=True, blank=True, on_delete=models.SET_NULL, related_name="private_reply"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"private reply {self.pk} to question {self.question_id}"
