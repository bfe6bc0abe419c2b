from django.conf import settings
from django.db import models
from django.utils import timezone

from askdesk.accounts.models import Expert
from askdesk.questions.models import Question


class Answer(models.Model):
    """An expert's answer to a question; published only once an editor approves it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Waiting for approval"
        APPROVED = "approved", "Approved"

    class Source(models.TextChoices):
        EXPERT = "expert", "An expert"
        STORY = "story", "The story"

    question = models.OneToOneField(Question, on_delete=models.CASCADE, related_name="answer")
    expert = models.ForeignKey(Expert, null=True, blank=True, on_delete=models.PROTECT, related_name="answers")
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.EXPERT)
    body = models.TextField()
    # An answer from the story: the editor's line of context, and the story sentences it quotes.
    context = models.CharField(max_length=300, blank=True)
    sentence_keys = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    approved_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"answer to question {self.question_id}"
