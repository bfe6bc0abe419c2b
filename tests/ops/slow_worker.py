"""A real `manage.py worker` whose analysis stops half-way, so that a test can kill it mid-task.

Run as a script with the environment of a real server. The embedder writes a marker file when
the task is inside it (the question is claimed, nothing of its analysis stored), then waits to
be killed.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from askdesk.analysis import services  # noqa: E402
from askdesk.nlp.embed import get_embedder  # noqa: E402

MARKER = Path(os.environ["ASKDESK_TEST_MARKER"])


class StopsHalfWay:
    def __init__(self) -> None:
        self.inner = get_embedder("hashing")
        self.name, self.dim = self.inner.name, self.inner.dim

    def embed(self, texts: list[str]) -> object:
        MARKER.write_text("inside the task")
        time.sleep(600)
        return self.inner.embed(texts)


services.embedder = StopsHalfWay  # type: ignore[assignment]
call_command("worker", worker_id=sys.argv[1], startup_delay=False, interval=0.1, verbosity=0)
