"""A real worker killed (SIGKILL) while the mail server holds its message: the message is never sent again."""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
import subprocess
import sys
import threading
from typing import Any

from aiosmtpd.controller import Controller

from tests.ops.test_worker_killed import ROOT, manage, server_env, wait_for
from tests.readers.conftest import free_port


class HoldsTheFirstMessage:
    """Accepts every message, but answers the first one only after a long while (the worker dies first)."""

    def __init__(self) -> None:
        self.received: list[bytes] = []
        self.holding = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(envelope.content)
        if len(self.received) == 1:
            self.holding.set()
            await asyncio.sleep(120)
        return "250 OK"


def test_a_worker_killed_mid_send_leaves_the_message_sent_once_and_marked_interrupted(tmp_path):
    server = HoldsTheFirstMessage()
    controller = Controller(server, hostname="127.0.0.1", port=free_port())
    controller.start()
    env = server_env(tmp_path)
    env.update(
        {
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "DJANGO_EMAIL_HOST": "127.0.0.1",
            "DJANGO_EMAIL_PORT": str(controller.port),
        }
    )
    workers: list[subprocess.Popen[bytes]] = []
    db = None
    try:
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "load_demo")
        manage(
            env,
            "shell",
            "-c",
            "import uuid; from askdesk.callouts.models import Callout; from askdesk.questions.services import "
            "question_submit; question_submit(callout=Callout.objects.get(), submission_key=uuid.uuid4(), "
            "text='Will Iran retaliate?', consent=True, email='sara@example.com')",
        )
        db = sqlite3.connect(tmp_path / "askdesk.sqlite3", timeout=20)

        def outbox_state() -> str:
            return str(db.execute("SELECT state FROM readers_outgoingemail").fetchone()[0])

        def send_task() -> tuple[str, list[str]]:
            status, ids = db.execute(
                "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE task_path LIKE '%send_email'"
            ).fetchone()
            return status, json.loads(ids)

        def worker(name: str) -> subprocess.Popen[bytes]:
            process = subprocess.Popen(
                [sys.executable, "manage.py", "worker", "--worker-id", name, "--no-startup-delay", "--interval=0.1"],
                cwd=ROOT,
                env=env,
            )
            workers.append(process)
            return process

        doomed = worker("doomed")
        assert server.holding.wait(60), "the worker never handed the message to the mail server"
        assert outbox_state() == "sending"
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(10)

        worker("rescuer")
        wait_for(lambda: send_task() == ("SUCCESSFUL", ["doomed", "rescuer"]), 60, "the task to be run again")
        # Run again, the task finds the message already handed over: it does not send it again.
        assert len(server.received) == 1
        assert outbox_state() == "sending"
        manage(
            env,
            "shell",
            "-c",
            "from datetime import timedelta; from django.utils import timezone; from askdesk.readers.services "
            "import outbox_sweep; outbox_sweep(now=timezone.now() + timedelta(minutes=11))",
        )
        assert outbox_state() == "interrupted"
        assert len(server.received) == 1
    finally:
        for process in workers:
            if process.poll() is None:
                process.kill()
                process.wait(20)
        if db is not None:
            db.close()
        controller.stop()
