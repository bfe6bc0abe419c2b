"""`manage.py worker`: django-tasks-db's `db_worker`, plus a heartbeat that readiness reads."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from askdesk.ops.heartbeat import Heartbeat


class Command(DbWorkerCommand):
    help = "Run a background worker for askdesk's tasks, recording a heartbeat for /readyz."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # Every queue unless told otherwise, and no autoreload: a reloader would keep the
        # heartbeat alive in its parent process while the child that runs tasks is dead.
        parser.set_defaults(queue_name="*", reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        heartbeat = Heartbeat(
            worker_id=options["worker_id"],
            queues=options["queue_name"],
            interval=settings.ASKDESK_WORKER_HEARTBEAT_SECONDS,
        )
        heartbeat.start()
        heartbeat.first_beat.wait(timeout=30)
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
