from django.conf import settings
from django.db import models
from django.utils import timezone

from askdesk.newsrooms.models import Newsroom


class Scope(models.TextChoices):
    """What a key may do. Each API operation names the one scope it needs."""

    READ = "read", "Read call-outs, questions, groups and experts; export questions"
    TRIAGE = "triage", "Shortlist, reject, assign questions and groups"
    PUBLISH = "publish", "Import stories, open and close call-outs, publish and unpublish answers"
    WEBHOOKS = "webhooks", "Register and remove webhook endpoints"


class ApiKey(models.Model):
    """A newsroom's key to the API. Only an HMAC of the key is stored; its prefix finds it."""

    newsroom = models.ForeignKey(Newsroom, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100, help_text="What uses it, e.g. 'CMS' or 'live page'.")
    # The public part of the key ("askd_" + 8 characters), shown in the desk and in the audit trail.
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    # Space-separated scope names (SQLite has no array column).
    scopes = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()

    def has_scope(self, scope: str) -> bool:
        return scope in self.scope_list

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def audit_label(self) -> str:
        """How the audit trail names the key as the actor of an action."""
        return f"API key {self.prefix} ({self.name})"
