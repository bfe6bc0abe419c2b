from django.conf import settings
from django.db import models
from django.utils import timezone

from askdesk.newsrooms.models import Newsroom


class Story(models.Model):
    newsroom = models.ForeignKey(Newsroom, on_delete=models.CASCADE, related_name="stories")
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    source_format = models.CharField(max_length=16)
    source_text = models.TextField(help_text="The text as imported, kept for reprocessing.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title


class Sentence(models.Model):
    """A sentence of a story with a stable key ("s12") that questions and answers point to."""

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="sentences")
    position = models.PositiveIntegerField()
    paragraph = models.PositiveIntegerField()
    key = models.CharField(max_length=16)
    text = models.TextField()

    class Meta:
        ordering = ["story", "position"]
        constraints = [
            models.UniqueConstraint(fields=["story", "key"], name="sentence_key"),
            models.UniqueConstraint(fields=["story", "position"], name="sentence_position"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.text[:60]}"
