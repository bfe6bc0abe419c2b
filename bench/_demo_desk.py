"""A throwaway askdesk for in-process benchmarks: a database (SQLite in a temporary folder unless
one is given), tasks queued but not run (each bench runs them by hand to time them), a newsroom
whose terms and privacy policy readers accept, and the demo story with its call-out."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def setup_django(database_url: str | None = None) -> None:
    if database_url is None:
        folder = tempfile.mkdtemp(prefix="askdesk-bench-")
        database_url = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ASKDESK_DATA_DIR", tempfile.mkdtemp(prefix="askdesk-bench-data-"))
    os.environ["ASKDESK_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def bench_newsroom() -> tuple[Any, Any, Any]:
    """(newsroom, terms, privacy policy): a newsroom readers can ask."""
    from askdesk.newsrooms.models import LegalDocument, Newsroom
    from askdesk.newsrooms.services import legal_document_publish

    room = Newsroom.objects.create(name="Bench", slug="bench")
    terms = legal_document_publish(newsroom=room, kind=LegalDocument.Kind.TERMS, version="1", body="Terms.")
    policy = legal_document_publish(newsroom=room, kind=LegalDocument.Kind.PRIVACY, version="1", body="Policy.")
    return room, terms, policy


def demo_callout(raw: str | None = None) -> tuple[Any, Any]:
    """(newsroom, call-out) of a story (``raw``; the demo story by default) in a bench newsroom."""
    from askdesk.callouts.services import story_import

    room, _, _ = bench_newsroom()
    if raw is None:
        raw = (ROOT / "askdesk/web/demo/israel-strike-isfahan.txt").read_text()
    _, callout = story_import(newsroom=room, raw=raw)
    assert callout is not None, "the story has no call-out"
    return room, callout
