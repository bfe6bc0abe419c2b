from django.db import models
from django.db.models import Q
from django.utils import timezone

from askdesk.accounts.access import REVEAL_CONTACT_CODENAME
from askdesk.accounts.models import Expert
from askdesk.callouts.models import Callout
from askdesk.newsrooms.models import LegalDocument
from askdesk.questions.crypto import EncryptedTextField


class Theme(models.Model):
    """Groups of one call-out about the same subject: an overview and a filter, one level above groups."""

    callout = models.ForeignKey(Callout, on_delete=models.CASCADE, related_name="themes")
    # The representative question of its largest group.
    label = models.CharField(max_length=200, blank=True)
    # Questions in all its groups; kept up to date with the groups' sizes.
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["callout", "-size"], name="theme_largest")]

    def __str__(self) -> str:
        return f"{self.label or 'theme'} ({self.size})"


class QuestionGroup(models.Model):
    """Questions of one call-out that ask the same thing, so one answer serves all: "N readers asked this"."""

    callout = models.ForeignKey(Callout, on_delete=models.CASCADE, related_name="groups")
    # The representative question's wording, kept for lists; ``title`` when an editor gave one wins.
    label = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True, help_text="An editor's name for the group.")
    # The member nearest the group's mean vector: the question shown for the group.
    representative = models.ForeignKey("Question", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Kept up to date by the services that move questions, so triage can sort without counting.
    size = models.PositiveIntegerField(default=0)
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="groups")
    # An editor put the group in its theme by hand: regrouping leaves it there.
    theme_locked = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # Lists of groups order by (-size, id): the id in the index spares a sort (and the
            # parallel workers PostgreSQL started for it on a call-out of 200,000 groups).
            models.Index(fields=["callout", "-size", "id"], name="group_largest_first"),
            models.Index(fields=["theme", "-size", "id"], name="group_theme_largest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.display_label or 'group'} ({self.size})"

    @property
    def display_label(self) -> str:
        return self.title or self.label


class Question(models.Model):
    """A reader's question. The reader's own words in ``text`` are never changed, except that
    retention redacts the contact details typed into them (docs/privacy.md)."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        SHORTLISTED = "shortlisted", "Shortlisted"
        ASSIGNED = "assigned", "Assigned"
        ANSWERED = "answered", "Waiting for approval"
        PUBLISHED = "published", "Published"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"
        COVERED = "covered", "Answered with its group"

    callout = models.ForeignKey(Callout, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField()
    public_text = models.TextField(blank=True, help_text="The wording to publish, when an editor changed it.")
    # Contact details found typed into the wording that would be published: [[kind, start, end], ...].
    contact_spans = models.JSONField(default=list, blank=True)
    # The byline parts exactly as the reader typed them, and whether each may be published.
    name = models.CharField(max_length=100, blank=True)
    age = models.PositiveSmallIntegerField(null=True, blank=True)
    location = models.CharField(max_length=100, blank=True)
    publish_name = models.BooleanField(default=True)
    publish_age = models.BooleanField(default=True)
    publish_location = models.BooleanField(default=True)
    # Consent: which versions of the terms and policy the reader accepted, and when.
    terms = models.ForeignKey(LegalDocument, on_delete=models.PROTECT, related_name="+")
    privacy_policy = models.ForeignKey(LegalDocument, on_delete=models.PROTECT, related_name="+")
    consented_at = models.DateTimeField()

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    submitted_at = models.DateTimeField(default=timezone.now)
    # The form's idempotency key, kept only as a keyed digest of (call-out, key, content), and
    # the link secret sealed for that same submission: sending it again finds this question and
    # its link, nothing else does (askdesk/questions/links.py). Both are cleared after a day.
    submission_fingerprint = models.CharField(max_length=64, unique=True, null=True, blank=True)
    access_token_sealed = models.TextField(blank=True)
    # Only a hash of the reader's private link is stored, so a database copy opens no link.
    access_token_hash = models.CharField(max_length=64, unique=True)

    assigned_to = models.ForeignKey(Expert, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions")
    assigned_at = models.DateTimeField(null=True, blank=True)
    byline = models.CharField(
        max_length=200, blank=True, help_text="Built at publication from what the reader allowed."
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # When it was answered, covered, rejected or marked spam (None while undecided): the contact
    # clock. contact_erased_at: when retention deleted its contact details and their copies in the text.
    decided_at = models.DateTimeField(null=True, blank=True)
    contact_erased_at = models.DateTimeField(null=True, blank=True)
    group = models.ForeignKey(QuestionGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    # An editor placed it in its group by hand: regrouping leaves it there.
    group_locked = models.BooleanField(default=False)
    # ISO 639-1 code of the wording, guessed by the worker (askdesk.nlp.language); "" until analysed.
    text_language = models.CharField(max_length=8, blank=True)
    # Answered by the published question of its group.
    covered_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="covered")
    # The language of the page the reader asked from: emails to them are written in it.
    language = models.CharField(max_length=16, blank=True)
    # The state it was in when an editor ticked it to be covered, restored when the cover is undone.
    status_before_cover = models.CharField(max_length=16, choices=Status.choices, blank=True)
    # The reader said this published question's answer does not answer theirs.
    cover_declined_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="cover_declined"
    )
    # Welfare or urgent ("my son is in Tehran, please call me"): set and cleared by an editor.
    # A flagged question is listed first in triage, never published and never ticked to be
    # covered by another answer; its reader can be replied to privately by email (readers app).
    welfare = models.BooleanField(default=False)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            # Triage lists order by (-submitted_at, -id): the id in the index spares a sort.
            models.Index(fields=["callout", "status", "-submitted_at", "-id"], name="question_triage_state"),
            models.Index(fields=["callout", "-submitted_at", "-id"], name="question_triage_recent"),
            models.Index(fields=["assigned_to", "status"], name="question_expert"),
            models.Index(fields=["group", "status"], name="question_group"),
            # One group's list, newest first, without sorting the whole group.
            models.Index(fields=["group", "-submitted_at", "-id"], name="question_group_recent"),
            models.Index(
                fields=["callout", "-published_at"], name="question_published", condition=Q(status="published")
            ),
            models.Index(
                fields=["decided_at"], name="question_contact_clock", condition=Q(contact_erased_at__isnull=True)
            ),
            models.Index(
                fields=["callout", "-submitted_at", "-id"], name="question_welfare", condition=Q(welfare=True)
            ),
        ]

    def __str__(self) -> str:
        return self.display_text[:80]

    @property
    def display_text(self) -> str:
        return self.public_text or self.text

    @property
    def state_label_for_reader(self) -> str:
        """The state's one name, as the desk shows it; only "rejected" and "spam" are not said to the reader."""
        if self.status in {self.Status.REJECTED, self.Status.SPAM}:
            return "Not selected for an answer"
        return self.get_status_display()

    @property
    def has_contact_in_text(self) -> bool:
        return bool(self.contact_spans)


class CalloutStateCount(models.Model):
    """How many of a call-out's questions are in one state, so triage never counts rows.

    Kept by the services, in the transaction that changes a state (``state_counts_add``). A
    state's count is the sum over a few slots: concurrent submissions add to different rows
    instead of queueing on one.
    """

    callout = models.ForeignKey(Callout, on_delete=models.CASCADE, related_name="state_counts")
    status = models.CharField(max_length=16, choices=Question.Status.choices)
    slot = models.PositiveSmallIntegerField(default=0)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["callout", "status", "slot"], name="state_count_slot")]

    def __str__(self) -> str:
        return f"{self.status} of call-out {self.callout_id} (slot {self.slot}): {self.count}"


class GroupStateCount(models.Model):
    """How many of a group's questions are in one state, so one group's list and tabs never count rows.

    Kept by the services in the transaction of the change: a change of state adds to it
    (``group_state_counts_add``), and ``groups_refresh``, which every move of questions into or
    out of a group calls, sets it from the group's members.
    """

    group = models.ForeignKey(QuestionGroup, on_delete=models.CASCADE, related_name="state_counts")
    status = models.CharField(max_length=16, choices=Question.Status.choices)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "status"], name="group_state_count")]

    def __str__(self) -> str:
        return f"{self.status} of group {self.group_id}: {self.count}"


class CalloutHourCount(models.Model):
    """How many questions reached a call-out in one hour (UTC), kept by ``question_submit``.

    A history of arrivals: deleting a question later does not change it. Split over slots
    like ``CalloutStateCount``.
    """

    callout = models.ForeignKey(Callout, on_delete=models.CASCADE, related_name="hour_counts")
    hour = models.DateTimeField()
    slot = models.PositiveSmallIntegerField(default=0)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["callout", "hour", "slot"], name="hour_count_slot")]

    def __str__(self) -> str:
        return f"{self.count} questions to call-out {self.callout_id} at {self.hour:%Y-%m-%d %H}h"


class CalloutChangeCount(models.Model):
    """The version of a call-out's triage, for editors' pages to notice changes without a reload.

    ``changes`` grows with every change the triage shows (a question arriving or changing state,
    groups recounted, an assignment, a wording edit), ``arrivals`` with every question stored. Kept
    by the services in the same transaction (``questions.services.desk_changed``) and split over
    slots like ``CalloutStateCount``; read as sums, from a handful of rows, never from questions.
    """

    callout = models.ForeignKey(Callout, on_delete=models.CASCADE, related_name="change_counts")
    slot = models.PositiveSmallIntegerField(default=0)
    changes = models.BigIntegerField(default=0)
    arrivals = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["callout", "slot"], name="change_count_slot")]

    def __str__(self) -> str:
        return f"changes of call-out {self.callout_id} (slot {self.slot}): {self.changes}"


class ReaderContact(models.Model):
    """How to reach the reader: kept apart from everything that can be published, encrypted at rest."""

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="contact")
    email = EncryptedTextField(blank=True)
    phone = EncryptedTextField(blank=True)
    email_digest = models.CharField(max_length=64, blank=True, db_index=True)
    # The reader's private link token, encrypted, kept only to put it in the "answered" email
    # (emptied once that is sent; deleted with the contact). See docs/privacy.md.
    private_link = EncryptedTextField(blank=True)

    class Meta:
        permissions = [(REVEAL_CONTACT_CODENAME, "Can reveal readers' contact details")]

    def __str__(self) -> str:
        return f"contact for question {self.question_id}"


class QuestionEvidence(models.Model):
    """The story sentences that may answer a question, computed in the background."""

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="evidence")

    class Verdict(models.TextChoices):
        YES = "yes", "The story answers this"
        MAYBE = "maybe", "The story may answer this"
        NO = "no", "The story does not answer this"

    answered = models.BooleanField(help_text="The story answers this question (verdict is yes).")
    # Three levels: "maybe" where the model is unsure, shown as a pointer, never as a verdict.
    verdict = models.CharField(max_length=8, choices=Verdict.choices, default=Verdict.NO)
    confidence = models.FloatField()
    # [[sentence key, score], ...], best first.
    sentences = models.JSONField(default=list)
    embedder = models.CharField(max_length=64)
    computed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"evidence for question {self.question_id}"

    @property
    def keys(self) -> list[str]:
        return [key for key, _ in self.sentences]
