from django.conf import settings
from django.db import models
from django.utils import timezone

from askdesk.newsrooms.models import Newsroom
from askdesk.questions.crypto import EncryptedTextField
from askdesk.questions.models import QuestionGroup


class Event(models.TextChoices):
    QUESTION_RECEIVED = "question.received", "A reader's question arrived"
    GROUP_GREW = "group.grew", "A group passed the newsroom's size"
    ANSWER_PUBLISHED = "answer.published", "An answer was published"
    ANSWER_UNPUBLISHED = "answer.unpublished", "An answer was taken off the public page"
    CALLOUT_CLOSED = "callout.closed", "A call-out closed"
    QUESTION_DELETED = "question.deleted", "A reader deleted their question"


class WebhookEndpoint(models.Model):
    """A URL of the newsroom's systems that hears the events it subscribed to, signed with its secret."""

    newsroom = models.ForeignKey(Newsroom, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=500)
    # Space-separated event names.
    events = models.CharField(max_length=200)
    # "whsec_" + base64 of random bytes, encrypted at rest like readers' contact details.
    secret = EncryptedTextField()
    # During a rotation the previous secret still signs until it expires.
    previous_secret = EncryptedTextField(blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.url

    @property
    def event_list(self) -> list[str]:
        return self.events.split()

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None


class WebhookDelivery(models.Model):
    """One event for one endpoint: the exact bytes sent, and how its attempts went."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Delivered"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=32, choices=Event.choices)
    # The webhook-id header: the same for every attempt, the receiver's idempotency key.
    message_id = models.CharField(max_length=40, unique=True)
    payload = models.TextField(help_text="The JSON body exactly as signed and sent.")
    # Deliveries of one call-out go out in order (ids only: the call-out may be deleted).
    callout_id = models.BigIntegerField(null=True, blank=True)
    # The question whose words the payload carries, so that its deletion can erase them here too.
    question_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["endpoint", "callout_id", "status"], name="delivery_order")]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event} to {self.endpoint_id} ({self.status})"


class WebhookSettings(models.Model):
    """A newsroom's choices for its webhooks."""

    newsroom = models.OneToOneField(Newsroom, on_delete=models.CASCADE, related_name="webhook_settings")
    group_grew_size = models.PositiveIntegerField(
        default=25, help_text="group.grew is sent once when a group reaches this many questions."
    )

    def __str__(self) -> str:
        return f"webhook settings of {self.newsroom}"


class GroupGrewSent(models.Model):
    """group.grew went out for this group, so it is sent once."""

    group = models.OneToOneField(QuestionGroup, on_delete=models.CASCADE, related_name="+")
    size = models.PositiveIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"group {self.group_id} grew to {self.size}"
