"""Telling a big group: how long publishing takes for the editor, and how fast the worker emails everyone.

Builds a throwaway SQLite database, imports the demo story, and makes one group of N readers
who each left an email. Then it publishes the group's answer through the service (what the
editor waits for), runs the task that queues one outbox row per reader, and sends every
message through Django's SMTP backend to a local aiosmtpd server (a real SMTP conversation
on 127.0.0.1, one connection per message, as the worker does). It prints the times and
checks that the server received exactly N messages.

    .venv/bin/python bench/reader_email.py --readers 300
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _demo_desk import demo_callout, setup_django  # noqa: E402 - bench/ is on the path when a script here runs
from _machine import describe_machine  # noqa: E402


def smtp_controller() -> type:
    """aiosmtpd's Controller. aiosmtpd imports the `public` package, which bench/public.py (on the
    path as this script's folder) would shadow: it is imported with that folder off the path."""
    here = Path(__file__).resolve().parent
    saved = sys.path[:]
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != here]
    try:
        from aiosmtpd.controller import Controller
    finally:
        sys.path[:] = saved
    return Controller


class Counter:
    def __init__(self) -> None:
        self.received = 0

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.received += 1
        return "250 OK"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=300)
    args = parser.parse_args()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    os.environ["DJANGO_EMAIL_HOST"], os.environ["DJANGO_EMAIL_PORT"] = "127.0.0.1", str(port)
    os.environ["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.smtp.EmailBackend"
    setup_django()

    Controller = smtp_controller()
    from django.contrib.auth.models import User

    from askdesk.accounts.models import Role
    from askdesk.accounts.services import staff_create
    from askdesk.answers.services import answer_publish, answer_save
    from askdesk.questions.models import Question, QuestionGroup
    from askdesk.questions.services import question_assign, question_submit
    from askdesk.readers.models import OutgoingEmail
    from askdesk.readers.services import outbox_send, readers_answered_queue

    room, callout = demo_callout()
    editor = User.objects.create_superuser("bench-editor", "editor@example.org", "x")
    expert = staff_create(
        username="bench-expert", password=uuid.uuid4().hex, role=Role.EXPERT, newsroom=room, name="E", title="T"
    ).expert
    questions = [
        question_submit(
            callout=callout,
            submission_key=uuid.uuid4(),
            text=f"Will Iran retaliate ({n})?",
            consent=True,
            email=f"reader{n}@example.org",
        )[0]
        for n in range(args.readers)
    ]
    OutgoingEmail.objects.all().delete()  # the confirmations: not what is measured here
    group = QuestionGroup.objects.create(callout=callout, label="retaliate", size=len(questions))
    Question.objects.filter(callout=callout).update(group=group)
    first = questions[0]
    question_assign(question=first, expert=expert, actor=editor)
    answer_save(question=first, expert=expert, body="Not for now, officials say.", submit=True)

    started = time.perf_counter()
    answer_publish(question=first, actor=editor, cover=[q.pk for q in questions[1:]])
    publish = time.perf_counter() - started

    started = time.perf_counter()
    ids = list(Question.objects.filter(group=group).values_list("pk", flat=True))
    queued = readers_answered_queue(question_ids=ids, answered_by=first.pk)
    queue = time.perf_counter() - started

    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        started = time.perf_counter()
        for pk in OutgoingEmail.objects.order_by("pk").values_list("pk", flat=True):
            outbox_send(outbox_id=pk)
        send = time.perf_counter() - started
    finally:
        controller.stop()

    print(describe_machine())
    print(f"readers in the group:                 {args.readers}")
    print(f"publish (editor's request, service):  {publish * 1000:.0f} ms")
    print(f"queue {queued} answered emails (worker):  {queue:.2f} s")
    print(f"send them over SMTP (one worker):     {send:.2f} s, {queued / send:.0f} messages/s")
    print(f"messages the SMTP server received:    {counter.received}")
    assert counter.received == queued == args.readers


if __name__ == "__main__":
    main()
