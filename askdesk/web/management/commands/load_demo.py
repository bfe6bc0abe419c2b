from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import transaction

from askdesk.accounts.models import Role
from askdesk.accounts.services import staff_create
from askdesk.callouts.services import story_import
from askdesk.newsrooms.models import LegalDocument, Newsroom
from askdesk.newsrooms.services import legal_document_publish
from askdesk.stories.models import Story

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
DEMO_STORY = DEMO_DIR / "israel-strike-isfahan.txt"
DEMO_EDITOR = ("editor", "askdesk-editor")
DEMO_EXPERT = ("expert", "askdesk-expert")


class Command(BaseCommand):
    help = (
        "Load the demo newsroom, its terms and policy, the demo story with its call-out, "
        "a demo editor and expert. Safe to run again."
    )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        newsroom, _ = Newsroom.objects.get_or_create(slug="demo", defaults={"name": settings.ASKDESK_NEWSROOM_NAME})
        for kind, filename in ((LegalDocument.Kind.TERMS, "terms.md"), (LegalDocument.Kind.PRIVACY, "privacy.md")):
            if not LegalDocument.objects.filter(newsroom=newsroom, kind=kind).exists():
                legal_document_publish(
                    newsroom=newsroom, kind=kind, version="1", body=(DEMO_DIR / filename).read_text()
                )
        if not Story.objects.filter(newsroom=newsroom, source_text=DEMO_STORY.read_text()).exists():
            story, _ = story_import(newsroom=newsroom, raw=DEMO_STORY.read_text())
            self.stdout.write(f"Imported the demo story: {story.title}")
        if not User.objects.filter(username=DEMO_EDITOR[0]).exists():
            staff_create(
                username=DEMO_EDITOR[0],
                password=DEMO_EDITOR[1],
                role=Role.EDITOR,
                can_see_contacts=True,
                newsroom=newsroom,
                name="Demo Editor",
            )
        if not User.objects.filter(username=DEMO_EXPERT[0]).exists():
            staff_create(
                username=DEMO_EXPERT[0],
                password=DEMO_EXPERT[1],
                role=Role.EXPERT,
                newsroom=newsroom,
                name="Lyse Doucet",
                title="Chief international correspondent",
                areas="Middle East, Iran, diplomacy",
            )
        first_story = Story.objects.filter(newsroom=newsroom).order_by("created_at").first()
        self.stdout.write("Demo ready.")
        if first_story is not None:
            self.stdout.write(f"  Story page:   {settings.ASKDESK_PUBLIC_BASE_URL}/stories/{first_story.slug}/")
        self.stdout.write(f"  Staff desk:   {settings.ASKDESK_PUBLIC_BASE_URL}/desk/")
        self.stdout.write(f"  Editor login: {DEMO_EDITOR[0]} / {DEMO_EDITOR[1]}")
        self.stdout.write(f"  Expert login: {DEMO_EXPERT[0]} / {DEMO_EXPERT[1]}")
