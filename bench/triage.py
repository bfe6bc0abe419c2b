"""Triage at scale: how long the editor's pages take with 1,000 and with 100,000 questions.

Builds a throwaway database (SQLite in a temporary folder, or the one DATABASE_URL names,
which it must be allowed to fill), imports the demo story, adds questions in bulk (with
groups of realistic sizes), then renders each triage page through Django's test client as
a signed-in editor, several times, and prints the median time and the number of queries.
The figures at 1,000 and at 100,000 questions come from the same run, so their ratio shows
how the pages scale.

    .venv/bin/python bench/triage.py                    # SQLite
    scripts/with-postgres .venv/bin/python bench/triage.py   # PostgreSQL
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _machine import describe_machine  # noqa: E402 - bench/ is on the path when a script here runs

WORDS = (
    "iran israel strike isfahan nuclear retaliate drones missiles war oil prices airbase "
    "casualties iaea tehran damascus consulate escalation ceasefire allies us sanctions "
    "why will could what how when is are the a of to in on"
).split()


def setup_django(database_url: str | None) -> None:
    if database_url is None:
        folder = tempfile.mkdtemp(prefix="askdesk-bench-")
        database_url = f"sqlite:///{folder}/bench.sqlite3"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ASKDESK_DATA_DIR", tempfile.mkdtemp(prefix="askdesk-bench-data-"))
    os.environ.setdefault("ASKDESK_TASKS_BACKEND", "django_tasks.backends.dummy.DummyBackend")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(callout, target: int, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    """Add questions until the call-out has ``target``, in groups whose sizes follow a long tail."""
    from django.db import transaction
    from django.utils import timezone

    from askdesk.questions.models import Question, QuestionGroup

    have = Question.objects.filter(callout=callout).count()
    terms = callout.story.newsroom.legal_documents.get(kind="terms")
    privacy = callout.story.newsroom.legal_documents.get(kind="privacy")
    statuses = ["new"] * 80 + ["shortlisted"] * 8 + ["rejected"] * 7 + ["spam"] * 5
    now = timezone.now()
    while have < target:
        batch = min(5000, target - have)
        with transaction.atomic():
            groups = []
            sizes = []
            left = batch
            while left > 0:
                size = min(left, max(1, int(rng.paretovariate(1.2))))
                sizes.append(size)
                left -= size
            groups = QuestionGroup.objects.bulk_create(
                [QuestionGroup(callout=callout, label="", size=size) for size in sizes]
            )
            rows = []
            for group, size in zip(groups, sizes, strict=True):
                for _ in range(size):
                    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 14))).capitalize() + "?"
                    rows.append(
                        Question(
                            callout=callout,
                            text=text,
                            status=rng.choice(statuses),
                            terms=terms,
                            privacy_policy=privacy,
                            consented_at=now,
                            submitted_at=now - timezone.timedelta(seconds=rng.randint(0, 86400)),
                            access_token_hash=uuid.uuid4().hex + uuid.uuid4().hex,
                            group=group,
                        )
                    )
            Question.objects.bulk_create(rows, batch_size=1000)
        have += batch


def measure(client, url: str, rounds: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches
    times = []
    queries = 0
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    return statistics.median(times) * 1000, queries


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,100000", help="question counts to measure at, ascending")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    setup_django(os.environ.get("DATABASE_URL") if os.environ.get("BENCH_USE_DATABASE_URL") else None)

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from askdesk.accounts.models import Role
    from askdesk.accounts.services import staff_create
    from askdesk.callouts.models import Callout
    from askdesk.newsrooms.models import Newsroom
    from askdesk.questions.models import Question

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    callout = Callout.objects.get()
    editor = staff_create(
        username="bench-editor", password="bench-password-123", role=Role.EDITOR, newsroom=Newsroom.objects.get()
    )
    client = Client()
    client.force_login(editor)
    base = f"/desk/callouts/{callout.pk}/"
    pages = {
        "triage, newest first": base,
        "triage, one state": base + "?status=shortlisted",
        "triage, page 100": base + "?page=100",
        "triage, search two words": base + "?q=nuclear+retaliate",
        "groups, largest first": base + "?view=groups",
        "public answers page": f"/answers/{callout.slug}/",
    }
    rng = random.Random(7)
    results: dict[str, list[tuple[float, int]]] = {name: [] for name in pages}
    sizes = [int(s) for s in args.sizes.split(",")]
    for size in sizes:
        started = time.perf_counter()
        fill(callout, size, rng)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give a live server
        count = Question.objects.filter(callout=callout).count()
        print(f"filled to {count:,} questions in {time.perf_counter() - started:.1f} s")
        for name, url in pages.items():
            if "page=100" in url and size < 100 * settings.ASKDESK_TRIAGE_PAGE_SIZE:
                results[name].append((float("nan"), 0))
                continue
            results[name].append(measure(client, url, args.rounds))

    print(f"\nmachine: {describe_machine()}")
    print(f"{connection.vendor}, median of {args.rounds} renders (ms) and queries per page")
    header = "".join(f"{f'{s:,} questions':>22}" for s in sizes)
    print(f"{'page':<28}{header}{'ratio':>8}")
    for name, values in results.items():
        cells = "".join(f"{ms:>14.1f} ms {q:>3} q" for ms, q in values)
        ratio = values[-1][0] / values[0][0] if values[0][0] == values[0][0] else float("nan")
        print(f"{name:<28}{cells}{ratio:>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
