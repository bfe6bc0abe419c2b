from django.conf import settings
from django.db import models
from django.utils import timezone

from askdesk.callouts.models import Callout
from askdesk.newsrooms.models import Newsroom


class Export(models.Model):
    """One download of a call-out's questions, by whom and when; it belongs to the call-out's newsroom."""

    class Kind(models.TextChoices):
        QUESTIONS = "questions", "Questions and answers"
        CONTACTS = "contacts", "Readers' contact details"

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (XLSX)"

    newsroom = models.ForeignKey(Newsroom, on_delete=models.CASCADE, related_name="exports")
    callout = models.ForeignKey(Callout, on_delete=models.CASCADE, related_name="exports")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    format = models.CharField(max_length=8, choices=Format.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of call-out {self.callout_id} as {self.format}"
