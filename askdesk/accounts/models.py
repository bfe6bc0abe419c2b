from django.conf import settings
from django.db import models

from askdesk.newsrooms.models import Newsroom


class Role(models.TextChoices):
    """Staff roles, held as Django groups of these names."""

    EDITOR = "editor", "Editor"
    EXPERT = "expert", "Expert"


class Membership(models.Model):
    """A staff account works for a newsroom: it sees that newsroom's stories, call-outs and questions only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="newsroom_memberships")
    newsroom = models.ForeignKey(Newsroom, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "newsroom"], name="membership_once")]

    def __str__(self) -> str:
        return f"{self.user} in {self.newsroom}"


class Expert(models.Model):
    """A correspondent or analyst who answers readers' questions."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="expert")
    # The newsroom the expert's byline belongs to; which newsrooms they answer for is their membership.
    newsroom = models.ForeignKey(Newsroom, on_delete=models.CASCADE, related_name="experts")
    name = models.CharField(max_length=120)
    title = models.CharField(
        max_length=160, help_text="Shown with published answers, e.g. 'Middle East correspondent'."
    )
    areas = models.CharField(max_length=255, blank=True, help_text="Comma-separated areas of expertise.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.title}"

    @property
    def area_list(self) -> list[str]:
        return [area.strip() for area in self.areas.split(",") if area.strip()]
