import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from askdesk.privacy.services import reader_data_export
from askdesk.questions.services import QuestionRefused


class Command(BaseCommand):
    help = "Print, as JSON, everything held about the reader who gave EMAIL (a data-subject request)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = reader_data_export(email=options["email"], actor=None)
        except QuestionRefused as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
