from django.conf import settings
from django.db import models
from django.utils import timezone

# How each action reads in a history list.
ACTION_LABELS = {
    "story.import": "imported the story",
    "callout.create": "opened the call-out",
    "callout.open": "reopened the call-out",
    "callout.closed": "closed the call-out",
    "question.shortlist": "shortlisted",
    "question.reject": "rejected",
    "question.spam": "marked as spam",
    "question.restore": "restored",
    "question.assign": "assigned to an expert",
    "question.edit_wording": "edited the wording",
    "question.redact": "removed contact details from the wording",
    "question.publish": "published",
    "question.unpublish": "unpublished",
    "question.cover": "answered by another reader's published question",
    "question.cover_declined": "the reader said the published answer does not answer their question",
    "question.reader_delete": "deleted by the reader",
    "question.welfare_flag": "flagged as welfare or urgent",
    "question.welfare_clear": "cleared the welfare flag",
    "question.private_reply": "replied privately to the reader by email",
    "answer.draft": "saved a draft answer",
    "answer.submit": "sent the answer for approval",
    "answer.return": "sent the answer back",
    "answer.edit": "edited the answer before approval",
    "answer.approve": "approved the answer",
    "answer.from_story": "chose the passage of the story to publish as the answer",
    "contact.view": "viewed the contact details",
    "reader.export": "exported the reader's data",
    "account.locked_out": "sign-in locked out after repeated failures",
    "account.second_factor_on": "turned on two-step sign-in",
}


class AuditEvent(models.Model):
    """One editorial action or view of personal data: who, when, what, on which object."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    # Kept apart from the foreign key so the trail still names the actor after an account is deleted.
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_label or 'system'} {self.action} {self.object_type}#{self.object_id}"
        )

    @property
    def label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)
