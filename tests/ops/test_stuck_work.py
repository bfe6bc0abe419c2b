"""Work a dead worker left behind: tasks queued again, missed questions swept up, /readyz honest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from askdesk.analysis.tasks import analyse_missed_questions, analyse_question
from askdesk.ops.heartbeat import heartbeat_record
from askdesk.ops.recovery import MAX_RUNS, tasks_requeue_abandoned
from askdesk.questions.models import Question
from tests.conftest import submit

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("database_queue")]


@pytest.fixture
def database_queue(settings):
    settings.TASKS = DB_TASKS
    settings.ASKDESK_WORKER_STALE_SECONDS = 60
    settings.ASKDESK_READY_REQUIRES_WORKER = True


def running_task(worker_ids: list[str], started_seconds_ago: float = 120) -> DBTaskResult:
    """An analysis task a worker claimed, as django-tasks-db leaves it."""
    result = analyse_question.enqueue(question_id=1)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(seconds=started_seconds_ago),
        worker_ids=worker_ids,
    )
    return DBTaskResult.objects.get(pk=result.id)


def test_a_task_whose_worker_stopped_beating_is_queued_again():
    task = running_task(["killed-worker"])
    assert tasks_requeue_abandoned() == (1, 0)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY and task.started_at is None


def test_a_task_of_a_live_worker_or_one_just_claimed_is_left_running():
    heartbeat_record(worker_id="alive", queues="*", started_at=timezone.now())
    busy = running_task(["alive"])
    just_claimed = running_task(["new-worker-without-a-beat-yet"], started_seconds_ago=1)
    assert tasks_requeue_abandoned() == (0, 0)
    for task in (busy, just_claimed):
        task.refresh_from_db()
        assert task.status == TaskResultStatus.RUNNING


def test_a_task_that_killed_its_worker_every_time_is_failed_not_requeued_for_ever():
    task = running_task([f"worker-{n}" for n in range(MAX_RUNS)])
    assert tasks_requeue_abandoned() == (0, 1)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path.endswith("WorkerLost") and "worker-0" in task.traceback


def test_readyz_says_degraded_while_a_dead_workers_task_waits(client, settings):
    settings.ASKDESK_READYZ_TOKEN = "probe-token-for-tests"
    heartbeat_record(worker_id="alive", queues="*", started_at=timezone.now())
    assert client.get("/readyz").json()["status"] == "ok"
    running_task(["killed-worker"])
    assert client.get("/readyz").json() == {"status": "degraded"}
    response = client.get("/readyz", headers={"Authorization": "Bearer probe-token-for-tests"})
    body = response.json()
    assert body["status"] == "degraded" and response.status_code == 200
    assert body["checks"]["work"]["ok"] is False
    assert "1 tasks held by dead workers" in body["checks"]["work"]["detail"]


def test_readyz_says_degraded_when_tasks_wait_longer_than_the_limit(client, settings):
    settings.ASKDESK_STUCK_WORK_SECONDS = 600
    settings.ASKDESK_READYZ_TOKEN = "probe-token-for-tests"
    heartbeat_record(worker_id="alive", queues="*", started_at=timezone.now())
    result = analyse_question.enqueue(question_id=1)
    assert client.get("/readyz").json()["status"] == "ok"
    DBTaskResult.objects.filter(pk=result.id).update(enqueued_at=timezone.now() - timedelta(minutes=11))
    body = client.get("/readyz", headers={"Authorization": "Bearer probe-token-for-tests"}).json()
    assert body["status"] == "degraded" and "1 tasks waiting over 600 s" in body["checks"]["work"]["detail"]


def test_the_sweep_queues_analysis_for_old_questions_without_it_once(callout, settings):
    settings.ASKDESK_ANALYSIS_SWEEP_AFTER_SECONDS = 300
    old, _ = submit(callout, "Will Iran retaliate?")
    submit(callout, "Will oil prices rise?")  # too recent to sweep
    spam, _ = submit(callout, "Buy cheap watches")
    Question.objects.filter(pk=spam.pk).update(status=Question.Status.SPAM)
    DBTaskResult.objects.all().delete()  # the tasks the submissions queued were lost
    Question.objects.filter(pk__in=[old.pk, spam.pk]).update(submitted_at=timezone.now() - timedelta(minutes=6))

    analyse_missed_questions.call()
    queued = DBTaskResult.objects.filter(task_path=analyse_question.module_path)
    assert [row.args_kwargs["kwargs"]["question_id"] for row in queued] == [old.pk]

    analyse_missed_questions.call()
    assert queued.count() == 1, "a question already queued is not queued twice"
