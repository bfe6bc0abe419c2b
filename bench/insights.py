"""What a call-out's analytics page costs: its figures (aggregate queries) and its charts (matplotlib),
cold and from the cache, on one call-out of N questions in a fresh SQLite database.

    .venv/bin/python bench/insights.py [N]
    PG_FSYNC=off scripts/with-postgres .venv/bin/python bench/insights.py [N]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

from _demo_desk import bench_newsroom, setup_django  # noqa: E402 - bench/ is on the path when a script here runs
from _machine import describe_machine  # noqa: E402

PLACES = ["Leeds", "London", "Tehran", "Isfahan", "Glasgow", "Paris", "Berlin", "Toronto", "Sydney", "Lagos"]


def timed(function, rounds: int = 5) -> float:
    """Median seconds of ``rounds`` calls."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("questions", type=int, nargs="?", default=20_000, help="questions in the call-out")
    count = parser.parse_args().questions
    # A PostgreSQL DATABASE_URL (scripts/with-postgres sets one) is used as it is; otherwise a fresh SQLite file.
    url = os.environ.get("DATABASE_URL", "")
    setup_django(url if url.startswith("postgres") else None)
    from django.core.cache import cache
    from django.utils import timezone

    from askdesk.callouts.services import story_import
    from askdesk.insights import reports, selectors
    from askdesk.questions.models import Question, QuestionGroup

    room, terms, policy = bench_newsroom()
    _, callout = story_import(
        newsroom=room, raw=(ROOT / "askdesk" / "web" / "demo" / "israel-strike-isfahan.txt").read_text()
    )
    assert callout is not None
    rng = random.Random(12)
    groups = QuestionGroup.objects.bulk_create([QuestionGroup(callout=callout, label=f"Group {n}") for n in range(200)])
    start = timezone.now() - timedelta(hours=36)
    statuses = [Question.Status.NEW] * 6 + [Question.Status.PUBLISHED, Question.Status.REJECTED, Question.Status.SPAM]
    questions = []
    for number in range(count):
        submitted = start + timedelta(seconds=rng.randrange(36 * 3600))
        status = rng.choice(statuses)
        questions.append(
            Question(
                callout=callout,
                text=f"Question {number}?",
                location=rng.choice(PLACES),
                publish_location=rng.random() < 0.8,
                language=rng.choice(["en", "en", "fa", ""]),
                terms=terms,
                privacy_policy=policy,
                consented_at=submitted,
                submitted_at=submitted,
                status=status,
                published_at=submitted + timedelta(minutes=rng.randrange(10, 600))
                if status == Question.Status.PUBLISHED
                else None,
                access_token_hash=uuid.uuid4().hex,
                group=rng.choice(groups) if rng.random() < 0.7 else None,
            )
        )
    Question.objects.bulk_create(questions, batch_size=2000)
    for group in groups:
        QuestionGroup.objects.filter(pk=group.pk).update(size=Question.objects.filter(group=group).count())

    figures_s = timed(lambda: selectors.callout_figures(callout=callout))

    def cold() -> None:
        cache.clear()
        reports.callout_report(callout=callout)

    cold_s = timed(cold)
    warm_s = timed(lambda: reports.callout_report(callout=callout), rounds=50)
    print(describe_machine())
    from django.db import connection

    print(f"one call-out of {count:,} questions, {connection.vendor}")
    print(f"figures (aggregate queries):        {figures_s * 1e3:8.1f} ms")
    print(f"figures and charts, cold cache:     {cold_s * 1e3:8.1f} ms")
    print(f"from the cache (same 5-min bucket): {warm_s * 1e3:8.3f} ms")


if __name__ == "__main__":
    main()
