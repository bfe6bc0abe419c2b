"""Triage at scale: how long the editor's pages take with 1,000 and with 100,000 (or 1,000,000) questions.

Builds a throwaway database (SQLite in a temporary folder, or the one DATABASE_URL names,
which it must be allowed to fill), imports the demo story, makes one call-out per size and
adds its questions in bulk (with groups of realistic sizes; PostgreSQL's COPY there), counts
them once into the state counters, then renders each desk page through Django's test client
as a signed-in editor, 20 rounds after a warm-up, each round rendering every page at every
size in turn, and prints the median and p95 time and the number of queries. The sizes share
every round's machine load, so their ratio shows how the pages scale.

    .venv/bin/python bench/triage.py                    # SQLite
    BENCH_USE_DATABASE_URL=1 scripts/with-postgres .venv/bin/python bench/triage.py --sizes 1000,1000000
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _demo_desk import setup_django  # noqa: E402 - bench/ is on the path when a script here runs
from _machine import describe_machine  # noqa: E402

WORDS = (
    "iran israel strike isfahan nuclear retaliate drones missiles war oil prices airbase "
    "casualties iaea tehran damascus consulate escalation ceasefire allies us sanctions "
    "why will could what how when is are the a of to in on"
).split()


def _group_sizes(count: int, rng: random.Random) -> list[int]:
    """Group sizes with a long tail (most groups small, a few of hundreds), adding up to ``count``."""
    sizes = []
    left = count
    while left > 0:
        size = min(left, max(1, int(rng.paretovariate(1.2))))
        sizes.append(size)
        left -= size
    return sizes


def _question_rows(callout, sizes: list[int], first_group: int, rng: random.Random):  # type: ignore[no-untyped-def]
    """(group id, text, status, submitted_at) for each new question."""
    from django.utils import timezone

    statuses = ["new"] * 80 + ["shortlisted"] * 8 + ["rejected"] * 7 + ["spam"] * 5
    now = timezone.now()
    for offset, size in enumerate(sizes):
        for _ in range(size):
            text = " ".join(rng.choices(WORDS, k=rng.randint(5, 14))).capitalize() + "?"
            yield (
                first_group + offset,
                text,
                rng.choice(statuses),
                now - timezone.timedelta(seconds=rng.randint(0, 86400)),
            )


def fill(callout, target: int, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    """Add questions until the call-out has ``target``, then count them once into the state counters."""
    from django.db import connection

    from askdesk.questions.models import Question
    from askdesk.questions.services import state_counts_rebuild

    have = Question.objects.filter(callout=callout).count()
    if target > have:
        (_fill_by_copy if connection.vendor == "postgresql" else _fill_by_bulk_create)(callout, target - have, rng)
    state_counts_rebuild(callout=callout)


def _fill_by_bulk_create(callout, count: int, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    from django.db import transaction
    from django.utils import timezone

    from askdesk.questions.models import Question, QuestionGroup

    terms = callout.story.newsroom.legal_documents.get(kind="terms")
    privacy = callout.story.newsroom.legal_documents.get(kind="privacy")
    now = timezone.now()
    while count > 0:
        batch = min(5000, count)
        with transaction.atomic():
            sizes = _group_sizes(batch, rng)
            groups = QuestionGroup.objects.bulk_create(
                [QuestionGroup(callout=callout, label="", size=size) for size in sizes]
            )
            by_id = {group.pk: group for group in groups}
            rows = [
                Question(
                    callout=callout,
                    text=text,
                    status=status,
                    terms=terms,
                    privacy_policy=privacy,
                    consented_at=now,
                    submitted_at=submitted_at,
                    access_token_hash=uuid.uuid4().hex + uuid.uuid4().hex,
                    group=by_id[group_id],
                )
                for group_id, text, status, submitted_at in _question_rows(callout, sizes, groups[0].pk, rng)
            ]
            Question.objects.bulk_create(rows, batch_size=1000)
        count -= batch


def _fill_by_copy(callout, count: int, rng: random.Random) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL's COPY: a million questions in about a minute instead of most of an hour.

    Every column the model has is written, from an unsaved question's defaults, so fields added
    later need no change here.
    """
    import json

    from django.db import connection, models, transaction
    from django.utils import timezone

    from askdesk.questions.models import Question, QuestionGroup

    now = timezone.now()
    template = Question(
        callout=callout,
        terms=callout.story.newsroom.legal_documents.get(kind="terms"),
        privacy_policy=callout.story.newsroom.legal_documents.get(kind="privacy"),
        consented_at=now,
    )
    varying = {"group", "text", "status", "submitted_at", "access_token_hash"}
    fields = [f for f in Question._meta.concrete_fields if not f.primary_key]
    fixed = {
        f.column: json.dumps(getattr(template, f.attname))
        if isinstance(f, models.JSONField)
        else f.get_db_prep_save(getattr(template, f.attname), connection)
        for f in fields
        if f.name not in varying
    }
    columns = [f.column for f in fields]
    group_table = QuestionGroup._meta.db_table
    sizes = _group_sizes(count, rng)
    table = Question._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        # Secondary indexes (triage, search) are built once after the load, not row by row.
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {group_table}")
        first_group = cursor.fetchone()[0]
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        group_columns = "id, callout_id, label, title, size, theme_locked, created_at"
        with raw.copy(f"COPY {group_table} ({group_columns}) FROM STDIN") as copy:
            for offset, size in enumerate(sizes):
                copy.write_row((first_group + offset, callout.pk, "", "", size, False, now))
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{group_table}', 'id'), (SELECT MAX(id) FROM {group_table}))"
        )
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for group_id, text, status, submitted_at in _question_rows(callout, sizes, first_group, rng):
                values = {
                    "group_id": group_id,
                    "text": text,
                    "status": status,
                    "submitted_at": submitted_at,
                    "access_token_hash": f"{rng.getrandbits(256):064x}",
                }
                copy.write_row([values[c] if c in values else fixed[c] for c in columns])
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check the foreign keys now, before building indexes
        for _, definition in indexes:
            cursor.execute(definition)


def render_time(client, url: str, slowest: int = 0) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """One render of ``url``: seconds and number of queries (printing the slowest ``slowest`` queries)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
    assert response.status_code == 200, (url, response.status_code)
    for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:slowest]:
        print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")
    return elapsed, len(captured)


def summary(times: list[float]) -> tuple[float, float]:
    """Median and p95, in milliseconds."""
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times) * 1000, p95 * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,100000", help="question counts to measure at, ascending")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--slowest", type=int, default=0, help="print each page's N slowest SQL queries")
    args = parser.parse_args()
    setup_django(os.environ.get("DATABASE_URL") if os.environ.get("BENCH_USE_DATABASE_URL") else None)

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from askdesk.accounts.models import Role
    from askdesk.accounts.services import staff_create
    from askdesk.callouts.models import Callout
    from askdesk.callouts.services import callout_create
    from askdesk.newsrooms.models import Newsroom
    from askdesk.questions.models import Question, QuestionGroup

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    demo = Callout.objects.get()
    editor = staff_create(
        username="bench-editor", password="bench-password-123", role=Role.EDITOR, newsroom=Newsroom.objects.get()
    )
    client = Client()
    client.force_login(editor)
    pages = {
        "triage, newest first": "{base}",
        "triage, one state": "{base}?status=shortlisted",
        "triage, page 100": "{base}?page=100",
        "triage, search two words": "{base}?q=nuclear+retaliate",
        "triage, one group": "{base}?group={group}",
        "groups, largest first": "{base}?view=groups",
        "desk home": "/desk/",
        "public answers page": "/answers/{slug}/",
    }
    rng = random.Random(7)
    sizes = [int(s) for s in args.sizes.split(",")]
    # One call-out per size, measured in turn within each round, so that every size sees the
    # same load on a shared machine and their ratio compares like with like.
    callouts = {}
    for size in sizes:
        callout = demo if not callouts else callout_create(story=demo.story, prompt=f"Bench call-out of {size:,}")
        started = time.perf_counter()
        fill(callout, size, rng)
        count = Question.objects.filter(callout=callout).count()
        print(f"filled a call-out to {count:,} questions in {time.perf_counter() - started:.1f} s")
        callouts[size] = callout
    with connection.cursor() as cursor:
        # Fresh planner statistics, and (PostgreSQL) the visibility map that lets index-only
        # scans skip the table: what autovacuum gives a live server after a large insert.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    urls: dict[tuple[str, int], str] = {}
    for size, callout in callouts.items():
        largest = QuestionGroup.objects.filter(callout=callout).order_by("-size").first()
        for name, url in pages.items():
            if "page=100" in url and size < 100 * settings.ASKDESK_TRIAGE_PAGE_SIZE:
                continue
            base = f"/desk/callouts/{callout.pk}/"
            urls[name, size] = url.format(base=base, group=largest.pk if largest else 0, slug=callout.slug)
    for url in urls.values():
        client.get(url)  # warm caches
    times: dict[tuple[str, int], list[float]] = {key: [] for key in urls}
    queries: dict[tuple[str, int], int] = {}
    for _ in range(args.rounds):
        for key, url in urls.items():
            elapsed, queries[key] = render_time(client, url)
            times[key].append(elapsed)
    if args.slowest:
        for (name, size), url in urls.items():
            print(f"  {name}, {size:,} questions:")
            render_time(client, url, args.slowest)

    print(f"\nmachine: {describe_machine()}")
    print(f"{connection.vendor}, median and p95 of {args.rounds} renders (ms), queries per page")
    print("(each round renders every page at every size in turn; the desk home lists every call-out)")
    header = "".join(f"{f'{s:,} questions':>30}" for s in sizes)
    print(f"{'page':<26}{header}{'ratio':>8}")
    for name in pages:
        values = [
            (*summary(times[name, size]), queries[name, size]) if (name, size) in times else (float("nan"),) * 2 + (0,)
            for size in sizes
        ]
        cells = "".join(f"{ms:>11.1f} {p95:>7.1f} ms {q:>3} q" for ms, p95, q in values)
        ratio = values[-1][0] / values[0][0] if values[0][0] == values[0][0] else float("nan")
        print(f"{name:<26}{cells}{ratio:>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
