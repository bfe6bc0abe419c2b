"""A real SMTP server on 127.0.0.1 (aiosmtpd) that records what it receives, and helpers to read it."""

from __future__ import annotations

import email
import email.policy
import socket
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.cache import caches


@dataclass
class Recorder:
    received: list[EmailMessage] = field(default_factory=list)
    envelopes: list[Any] = field(default_factory=list)
    # Answer the next N messages with a temporary failure, as a busy mail server does.
    refuse_next: int = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse_next:
            self.refuse_next -= 1
            return "451 4.3.0 Try again later"
        self.envelopes.append(envelope)
        self.received.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"

    def bodies(self, message: EmailMessage) -> tuple[str, str]:
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        assert text is not None and html is not None
        return text.get_content(), html.get_content()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def mail_server(settings: Any) -> Any:
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    try:
        yield recorder
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db: Any) -> None:
    for alias in ("default", "limits"):
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _fresh_group_indexes() -> Any:
    """Questions submitted here are analysed on commit; each test starts with empty in-memory indexes."""
    from askdesk.analysis.services import clear_caches

    clear_caches()
    yield
    clear_caches()


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    """Run what the code schedules on commit (tasks), as the worker would after the commit."""

    def run(action: Any, *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run
