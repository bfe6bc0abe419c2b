import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone

# Colours and fonts go into a stylesheet askdesk serves, so they are checked to be exactly a
# colour or a known font stack: nothing a newsroom types can become CSS of its own.
colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Give a colour as # and six hex digits, like #b4001e.")
FONT_STACKS = {
    "system": 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif',
    "serif": 'Georgia, "Times New Roman", "Noto Serif", serif',
    "humanist": '"Gill Sans", "Gill Sans MT", Calibri, "Noto Sans", sans-serif',
}

ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(:[0-9]{1,5})?$", re.IGNORECASE)


def validate_origins(value: str) -> None:
    """One origin a line: they go into a CSP header, so nothing else may pass."""
    for line in value.splitlines():
        if line.strip() and not ORIGIN.match(line.strip().rstrip("/")):
            raise ValidationError(f"{line.strip()!r} is not an origin like https://www.example.com.")


class Newsroom(models.Model):
    class Font(models.TextChoices):
        SYSTEM = "system", "The reader's system font"
        SERIF = "serif", "Serif (Georgia)"
        HUMANIST = "humanist", "Humanist sans (Gill Sans)"

    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    # Public pages and embeds: how they look and who may frame them.
    embed_origins = models.TextField(
        blank=True,
        validators=[validate_origins],
        help_text="Sites allowed to embed the call-outs, one origin a line, like https://www.example.com. "
        "Readers' forms are also accepted from these origins.",
    )
    accent_colour = models.CharField(max_length=7, default="#b4001e", validators=[colour_validator])
    background_colour = models.CharField(max_length=7, default="#ffffff", validators=[colour_validator])
    text_colour = models.CharField(max_length=7, default="#1d1d1f", validators=[colour_validator])
    font = models.CharField(max_length=16, choices=Font.choices, default=Font.SYSTEM)
    logo_url = models.URLField(blank=True, help_text="An https address of the newsroom's logo (shown in mastheads).")
    language = models.CharField(
        max_length=8,
        choices=[("en", "English"), ("fa", "فارسی (Persian)"), ("ar", "العربية (Arabic)"), ("fr", "Français (French)")],
        default="en",
        help_text="The language of public pages when the reader's browser asks for none askdesk has.",
    )
    home_url = models.URLField(blank=True, help_text="The newsroom's own site; the masthead links to it.")
    # Bumped when anything of the newsroom that public pages show changes (appearance, terms).
    public_version = models.PositiveIntegerField(default=0)
    callout_open_days = models.PositiveSmallIntegerField(
        default=30, help_text="A new call-out closes this many days after it opens (readers are told when)."
    )

    def __str__(self) -> str:
        return self.name

    @property
    def allowed_origins(self) -> list[str]:
        return [line.strip().rstrip("/") for line in self.embed_origins.splitlines() if line.strip()]

    @property
    def font_stack(self) -> str:
        return FONT_STACKS.get(self.font, FONT_STACKS["system"])


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
