"""Retrying tasks, on the immediate backend (as in tests) and the database backend with a real worker run."""

from __future__ import annotations

import signal
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from askdesk.ops.models import WorkerHeartbeat
from askdesk.ops.tasks import ATTEMPT_KWARG, backoff_delay, enqueue_on_commit
from tests.ops.sample_tasks import CALLS, broken, on_another_queue, succeeds_on

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


def new_key() -> str:
    return uuid.uuid4().hex


def run_worker_once() -> None:
    """What `manage.py db_worker --batch` does, without taking over the test process's signals."""
    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
    ).run()


def test_backoff_doubles_from_the_first_delay_up_to_the_cap():
    delays = [backoff_delay(n, backoff=timedelta(seconds=30), max_backoff=timedelta(minutes=3)) for n in (1, 2, 3, 4)]
    assert delays == [timedelta(seconds=30), timedelta(seconds=60), timedelta(seconds=120), timedelta(minutes=3)]


def test_immediate_backend_retries_a_flaky_task_until_it_succeeds():
    key = new_key()
    result = succeeds_on.enqueue(key, 3)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 3 and CALLS[key] == 3


def test_immediate_backend_fails_the_task_after_the_last_attempt():
    key = new_key()
    result = succeeds_on.enqueue(key, 10)
    assert result.status == TaskResultStatus.FAILED
    assert CALLS[key] == 3
    assert result.errors[0].exception_class_path.endswith("Flaky")


def test_errors_that_are_not_worth_retrying_fail_at_once():
    key = new_key()
    result = broken.enqueue(key)
    assert result.status == TaskResultStatus.FAILED and CALLS[key] == 1


@pytest.mark.django_db
def test_enqueue_on_commit_sends_nothing_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    kept, dropped = new_key(), new_key()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_on_commit(on_another_queue, kept)
        assert kept not in CALLS, "ran before the commit"
    try:
        with transaction.atomic():
            enqueue_on_commit(on_another_queue, dropped)
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    assert CALLS.get(kept) == 1 and dropped not in CALLS


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_database_backend_writes_the_task_inside_the_transaction_that_enqueues_it():
    try:
        with transaction.atomic():
            enqueue_on_commit(on_another_queue, new_key())
            assert DBTaskResult.objects.count() == 1
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    assert DBTaskResult.objects.count() == 0


# The worker takes an exclusive transaction of its own (SQLite): it needs committed rows.
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_database_worker_schedules_retries_with_backoff_and_leaves_the_last_failure_visible(admin_client):
    key = new_key()
    first = succeeds_on.enqueue(key, 10)
    assert first.status == TaskResultStatus.READY

    run_worker_once()
    first.refresh()
    assert first.status == TaskResultStatus.SUCCESSFUL
    assert first.return_value["retry_scheduled"] is True and first.return_value["next_attempt"] == 2
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.args_kwargs["kwargs"][ATTEMPT_KWARG] == 2
    assert retry.run_after > timezone.now() + timedelta(seconds=25), "the retry waits for its backoff"

    # Nothing is due yet: a worker run leaves the retry alone.
    run_worker_once()
    assert CALLS[key] == 1
    for expected_attempt in (2, 3):
        pending = DBTaskResult.objects.get(status=TaskResultStatus.READY)
        assert pending.args_kwargs["kwargs"][ATTEMPT_KWARG] == expected_attempt
        DBTaskResult.objects.filter(pk=pending.pk).update(run_after=timezone.now())
        run_worker_once()

    assert CALLS[key] == 3
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    failed = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert "Flaky" in failed.traceback

    changelist = reverse(f"admin:{DBTaskResult._meta.app_label}_dbtaskresult_changelist")
    page = admin_client.get(changelist, {"status__exact": "FAILED"})
    assert page.status_code == 200
    assert "succeeds_on" in page.content.decode()


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_worker_command_runs_tasks_of_every_queue_and_removes_its_heartbeat_when_it_stops():
    key = new_key()
    result = on_another_queue.enqueue(key)
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("worker", batch=True, startup_delay=False, interval=0, verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL and result.return_value == key
    assert not WorkerHeartbeat.objects.exists()
