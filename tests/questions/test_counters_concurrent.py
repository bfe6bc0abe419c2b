"""Concurrent submissions keep the call-out's counters without waiting for each other's commit (PostgreSQL)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections, transaction
from django.db.models import Sum

from askdesk.questions.models import CalloutChangeCount, CalloutHourCount
from askdesk.questions.selectors import triage_counts
from tests.conftest import submit

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'"),
]


def test_a_submission_does_not_wait_for_another_submission_still_committing(callout: Any) -> None:
    submit(callout, "The first question makes one row of each counter.")
    held, release, failed = threading.Event(), threading.Event(), []

    def slow_submission() -> None:
        try:
            with transaction.atomic():
                submit(callout, "A question whose transaction stays open.")
                held.set()  # its counter rows are locked until it commits
                release.wait(30)
        except Exception as error:  # reported by the test below
            failed.append(error)
            held.set()
        finally:
            connections.close_all()

    other = threading.Thread(target=slow_submission)
    other.start()
    try:
        assert held.wait(30)
        for n in range(5):
            with transaction.atomic():
                with connection.cursor() as cursor:
                    # Any wait for a row lock fails at once instead of waiting for the other commit.
                    cursor.execute("SET LOCAL lock_timeout = '1ms'")
                submit(callout, f"Question {n} sent meanwhile.")
    finally:
        release.set()
        other.join(30)
    assert not failed
    assert triage_counts(callout=callout)["new"] == 7
    changes = CalloutChangeCount.objects.filter(callout=callout).aggregate(n=Sum("arrivals"))["n"]
    assert changes == 7
    assert CalloutHourCount.objects.filter(callout=callout).aggregate(n=Sum("count"))["n"] == 7
