"""A throwaway askdesk for in-process benchmarks: SQLite in a temporary folder, tasks queued but
not run (each bench runs them by hand to time them), and the demo story with its call-out."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def setup_django() -> None:
    folder = tempfile.mkdtemp(prefix="askdesk-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ASKDESK_DATA_DIR", tempfile.mkdtemp(prefix="askdesk-bench-data-"))
    os.environ["ASKDESK_TASKS_BACKEND"] = "django_tasks.backends.dummy.DummyBackend"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def demo_callout() -> tuple[Any, Any]:
    """(newsroom, call-out) of the demo story, with the terms and privacy notice readers accept."""
    from askdesk.callouts.services import story_import
    from askdesk.newsrooms.models import LegalDocument, Newsroom
    from askdesk.newsrooms.services import legal_document_publish

    room = Newsroom.objects.create(name="Bench", slug="bench")
    for kind in (LegalDocument.Kind.TERMS, LegalDocument.Kind.PRIVACY):
        legal_document_publish(newsroom=room, kind=kind, version="1", body="-")
    _, callout = story_import(newsroom=room, raw=(ROOT / "askdesk/web/demo/israel-strike-isfahan.txt").read_text())
    assert callout is not None
    return room, callout
