from django.db import models
from django.utils import timezone


class Newsroom(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    callout_open_days = models.PositiveSmallIntegerField(
        default=30, help_text="A new call-out closes this many days after it opens (readers are told when)."
    )

    def __str__(self) -> str:
        return self.name


class LegalDocument(models.Model):
    """A version of a newsroom's terms and conditions or privacy policy, as readers accept it."""

    class Kind(models.TextChoices):
        TERMS = "terms", "Terms and conditions"
        PRIVACY = "privacy", "Privacy policy"

    newsroom = models.ForeignKey(Newsroom, on_delete=models.CASCADE, related_name="legal_documents")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    version = models.CharField(max_length=32)
    body = models.TextField()
    effective_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["newsroom", "kind", "version"], name="legal_document_version")]
        ordering = ["newsroom", "kind", "-effective_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"
