"""What leaving no trace costs: a reader's deletion, and the daily contact clock, at scale.

A reader's deletion (`question_delete_by_reader`) relabels the groups that held the words and,
on SQLite, merges the FTS5 search index so the deleted words leave it at once. That merge is
the cost that grows with the call-out. The contact clock (`retention_apply`) deletes contact
details and redacts those typed into the questions, batch by batch.

Builds a throwaway database (SQLite in a temporary folder, or the one DATABASE_URL names with
BENCH_USE_DATABASE_URL=1), fills a call-out as bench/triage.py does, and prints the median time
of a reader's deletion at each size, then the rate of the contact clock.

    .venv/bin/python bench/deletion.py
    BENCH_USE_DATABASE_URL=1 scripts/with-postgres .venv/bin/python bench/deletion.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from _machine import describe_machine  # noqa: E402 - bench/ is on the path when a script here runs
from triage import fill, setup_django  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,100000", help="question counts to measure at, ascending")
    parser.add_argument("--rounds", type=int, default=9, help="deletions measured at each size")
    parser.add_argument("--clock", type=int, default=2000, help="decided questions the contact clock handles")
    args = parser.parse_args()
    setup_django(os.environ.get("DATABASE_URL") if os.environ.get("BENCH_USE_DATABASE_URL") else None)

    from django.core.management import call_command
    from django.db import connection
    from django.db.models import OuterRef, Subquery
    from django.db.models.functions import Substr
    from django.utils import timezone

    from askdesk.callouts.models import Callout
    from askdesk.privacy.services import retention_apply
    from askdesk.questions.models import Question, QuestionGroup, ReaderContact
    from askdesk.questions.services import question_delete_by_reader

    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    callout = Callout.objects.get()
    rng = random.Random(11)
    print(f"machine: {describe_machine()}")
    print(f"{connection.vendor}; a reader's deletion, median of {args.rounds}")
    for size in [int(s) for s in args.sizes.split(",")]:
        fill(callout, size, rng)
        # Groups labelled with a member's words, as the worker labels them.
        first_text = Question.objects.filter(group=OuterRef("pk")).order_by("id").values("text")[:1]
        QuestionGroup.objects.filter(callout=callout, label="").update(label=Substr(Subquery(first_text), 1, 80))
        times = []
        for question in list(Question.objects.filter(callout=callout).order_by("?")[: args.rounds]):
            started = time.perf_counter()
            question_delete_by_reader(question=question)
            times.append(time.perf_counter() - started)
        count = Question.objects.filter(callout=callout).count()
        print(f"  {count:>9,} questions: {statistics.median(times) * 1000:8.1f} ms (max {max(times) * 1000:.1f} ms)")

    # The contact clock: decided questions with contact details, a third with a phone number typed in.
    now = timezone.now()
    chosen = list(Question.objects.filter(callout=callout).order_by("id")[: args.clock])
    for number, question in enumerate(chosen):
        if number % 3 == 0:
            question.text += " Call me on 07700 900123."
            question.save(update_fields=["text"])
        ReaderContact.objects.create(question=question, email=f"reader-{uuid.uuid4().hex[:8]}@example.com")
    Question.objects.filter(pk__in=[q.pk for q in chosen]).update(status="rejected", decided_at=now)
    started = time.perf_counter()
    report = retention_apply(now=now + dt.timedelta(days=365))
    took = time.perf_counter() - started
    print(
        f"contact clock: {report.contacts_deleted:,} contact details deleted, {report.texts_redacted:,} texts "
        f"redacted in {took:.1f} s ({report.contacts_deleted / took:,.0f} questions/s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
