from django.db import models
from django.db.models import Q
from django.utils import timezone

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
            models.Index(fields=["callout", "-size"], name="group_largest"),
            models.Index(fields=["theme", "-size"], name="group_theme_largest"),
        ]

    def __str__(self) -> str:
        return f"{self.display_label or 'group'} ({self.size})"

    @property
    def display_label(self) -> str:
        return self.title or self.label


class Question(models.Model):
    """A reader's question. The reader's own words in ``text`` are never changed."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        SHORTLISTED = "shortlisted", "Shortlisted"
        ASSIGNED = "assigned", "Assigned"
        ANSWERED = "answered", "Answered"
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
    # A form carries a random key: submitting it twice finds the first question.
    submission_key = models.UUIDField(unique=True)
    # Only a hash of the reader's private link is stored, so a database copy opens no link.
    access_token_hash = models.CharField(max_length=64, unique=True)

    assigned_to = models.ForeignKey(Expert, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions")
    assigned_at = models.DateTimeField(null=True, blank=True)
    byline = models.CharField(
        max_length=200, blank=True, help_text="Built at publication from what the reader allowed."
    )
    published_at = models.DateTimeField(null=True, blank=True)
    group = models.ForeignKey(QuestionGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    # An editor placed it in its group by hand: regrouping leaves it there.
    group_locked = models.BooleanField(default=False)
    # ISO 639-1 code guessed from the wording (askdesk.nlp.language); "" until analysed.
    language = models.CharField(max_length=8, blank=True)
    # Answered by the published question of its group.
    covered_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="covered")

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["callout", "status", "-submitted_at"], name="question_triage"),
            models.Index(fields=["callout", "-submitted_at"], name="question_callout_recent"),
            models.Index(fields=["assigned_to", "status"], name="question_expert"),
            models.Index(fields=["group", "status"], name="question_group"),
            models.Index(
                fields=["callout", "-published_at"], name="question_published", condition=Q(status="published")
            ),
        ]

    def __str__(self) -> str:
        return self.display_text[:80]

    @property
    def display_text(self) -> str:
        return self.public_text or self.text

    @property
    def has_contact_in_text(self) -> bool:
        return bool(self.contact_spans)


class ReaderContact(models.Model):
    """How to reach the reader: kept apart from everything that can be published, encrypted at rest."""

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="contact")
    email = EncryptedTextField(blank=True)
    phone = EncryptedTextField(blank=True)
    email_digest = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        permissions = [("reveal_readercontact", "Can reveal readers' contact details")]

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
