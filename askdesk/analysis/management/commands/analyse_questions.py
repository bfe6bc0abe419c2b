from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from askdesk.analysis.models import QuestionVector
from askdesk.analysis.services import callout_regroup, embedder, question_analyse
from askdesk.callouts.models import Callout
from askdesk.questions.models import Question


class Command(BaseCommand):
    help = (
        "Embed, group and check against the story every question not analysed yet (the worker does this "
        "for new questions), then regroup each call-out touched."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--callout", type=int, help="Only this call-out (id).")

    def handle(self, *args: Any, **options: Any) -> None:
        callouts = Callout.objects.all()
        if options["callout"]:
            callouts = callouts.filter(pk=options["callout"])
        name = embedder().name
        for callout in callouts:
            done = QuestionVector.objects.filter(question__callout=callout, embedder=name).values("question_id")
            pending = Question.objects.filter(callout=callout).exclude(pk__in=done).values_list("pk", flat=True)
            count = 0
            for question_id in pending.iterator():
                question_analyse(question_id=question_id)
                count += 1
            groups = callout_regroup(callout_id=callout.pk)
            self.stdout.write(f"{callout.slug}: analysed {count} questions, {groups} groups.")
