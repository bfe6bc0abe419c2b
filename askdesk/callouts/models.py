from django.db import models
from django.utils import timezone

from askdesk.stories.models import Story

DEFAULT_PUBLICATION_NOTE = (
    "Our experts will be answering your questions. In some cases your question will be published, "
    "displaying your name, age and location as you provide it, unless you state otherwise. "
    "Your contact details will never be published."
)


class Callout(models.Model):
    """An invitation under a story: "What do you want to understand better about ...?"."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="callouts")
    slug = models.SlugField(max_length=120, unique=True)
    prompt = models.CharField(max_length=300)
    publication_note = models.TextField(default=DEFAULT_PUBLICATION_NOTE)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    require_contact = models.BooleanField(
        default=False, help_text="Readers must give an email address or a phone number."
    )
    languages = models.CharField(
        max_length=100, blank=True, help_text="Languages readers may ask in, as codes: 'en, fa'. Empty: any."
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    # When it stops taking questions: set on opening from the newsroom's callout_open_days, and
    # closed then by the daily retention run, so no call-out keeps readers' details for ever.
    closes_at = models.DateTimeField(null=True, blank=True)
    # Bumped whenever groups change by hand or by a regroup, so background workers can tell
    # that the grouping they hold in memory is stale.
    groups_version = models.PositiveIntegerField(default=0)
    questions_at_last_regroup = models.PositiveIntegerField(default=0)
    # Bumped (callouts.services.callout_public_changed) whenever anything a reader sees on the
    # public pages changes: publish, unpublish, close, a wording edit. Public pages are rendered
    # once per version and kept in the cache under it.
    public_version = models.PositiveIntegerField(default=0)
    public_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.prompt

    @property
    def is_open(self) -> bool:
        """Taking questions: open, and its closing time (if any) not yet come."""
        return self.status == self.Status.OPEN and (self.closes_at is None or self.closes_at > timezone.now())

    @property
    def state_label(self) -> str:
        if self.status == self.Status.OPEN and not self.is_open:
            return "Closed at its closing time"
        return self.get_status_display()

    @property
    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]
