"""`manage.py api_key NEWSROOM_SLUG --scopes read,triage,publish,webhooks`: print a new API key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from askdesk.api.models import Scope
from askdesk.api.services import ApiKeyRefused, api_key_create, parse_scopes
from askdesk.newsrooms.models import Newsroom


class Command(BaseCommand):
    help = "Create an API key for a newsroom and print it (the only time it is shown)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("newsroom", help="The newsroom's slug.")
        parser.add_argument(
            "--scopes", default=Scope.READ.value, help=f"Comma-separated, from: {','.join(Scope.values)}."
        )
        parser.add_argument("--name", default="command line", help="What will use the key.")

    def handle(self, *args: Any, **options: Any) -> None:
        newsroom = Newsroom.objects.filter(slug=options["newsroom"]).first()
        if newsroom is None:
            raise CommandError(f"No newsroom with the slug {options['newsroom']!r}.")
        try:
            scopes = parse_scopes(options["scopes"])
            _, plain = api_key_create(newsroom=newsroom, name=options["name"], scopes=scopes, actor=None)
        except ApiKeyRefused as error:
            raise CommandError(str(error)) from error
        self.stdout.write(plain)
