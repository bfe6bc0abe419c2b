from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from askdesk.callouts.services import story_import
from askdesk.newsrooms.models import Newsroom


class Command(BaseCommand):
    help = (
        "Import a story (tokenised text, prose with a title line, or an HTML page); "
        "opens its call-out if it ends with one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--title", default=None, help="Title to use instead of the one found in the text.")
        parser.add_argument("--newsroom", default=None, help="Newsroom slug (default: the first newsroom).")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {path}: {error}") from error
        newsrooms = Newsroom.objects.order_by("id")
        newsroom = newsrooms.filter(slug=options["newsroom"]).first() if options["newsroom"] else newsrooms.first()
        if newsroom is None:
            raise CommandError("No such newsroom. Run `manage.py load_demo` or create one in the admin first.")
        try:
            story, callout = story_import(newsroom=newsroom, raw=raw, title=options["title"])
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Imported story {story.slug!r}: {story.title} ({story.sentences.count()} sentences)")
        if callout is not None:
            self.stdout.write(f"Opened call-out {callout.slug!r}: {callout.prompt}")
        else:
            self.stdout.write("No call-out found at the end of the text.")
