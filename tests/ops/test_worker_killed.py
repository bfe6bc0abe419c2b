"""Durability: a real worker process killed (SIGKILL) mid-task; another worker finishes the work."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition: Callable[[], object], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def server_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a real deployment (config.settings), on a database file of its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ASKDESK_", "PYTEST"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'askdesk.sqlite3'}",
            "ASKDESK_DATA_DIR": str(tmp_path),
            "ASKDESK_EMBEDDER": "hashing",
            "ASKDESK_LOG_LEVEL": "WARNING",
            # A dead worker is noticed after 1.5 s instead of a minute.
            "ASKDESK_WORKER_HEARTBEAT_SECONDS": "0.2",
            "ASKDESK_WORKER_STALE_SECONDS": "1.5",
            "ASKDESK_TEST_MARKER": str(tmp_path / "inside-task"),
        }
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_a_question_whose_worker_was_killed_mid_analysis_is_analysed_by_the_next_worker(tmp_path):
    env = server_env(tmp_path)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_demo")
    question_id = manage(
        env,
        "shell",
        "-c",
        "import uuid; from askdesk.callouts.models import Callout; from askdesk.questions.services import "
        "question_submit; q, _, _ = question_submit(callout=Callout.objects.get(), "
        "submission_key=uuid.uuid4(), text='Will Iran retaliate?', consent=True); print(q.pk)",
    ).split()[-1]
    db = sqlite3.connect(tmp_path / "askdesk.sqlite3", timeout=20)

    def task_row() -> tuple[str, list[str]]:
        status, workers = db.execute(
            "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE task_path LIKE '%analyse_question'"
        ).fetchone()
        return status, json.loads(workers)

    def analysed() -> bool:
        found = db.execute("SELECT count(*) FROM questions_questionevidence WHERE question_id = ?", [question_id])
        return bool(found.fetchone()[0])

    doomed = subprocess.Popen([sys.executable, str(ROOT / "tests" / "ops" / "slow_worker.py"), "doomed"], env=env)
    rescuer = None
    try:
        wait_for((tmp_path / "inside-task").exists, 60, "the first worker to be inside the analysis")
        assert task_row() == ("RUNNING", ["doomed"])
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(10)
        assert task_row()[0] == "RUNNING", "a killed worker leaves its task running"
        assert not analysed()

        rescuer = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--worker-id", "rescuer", "--no-startup-delay", "--interval=0.1"],
            cwd=ROOT,
            env=env,
        )
        wait_for(analysed, 60, "the second worker to analyse the question")
        wait_for(lambda: task_row()[0] == "SUCCESSFUL", 10, "the task to be marked done")
        assert task_row() == ("SUCCESSFUL", ["doomed", "rescuer"])
        group = db.execute("SELECT group_id FROM questions_question WHERE id = ?", [question_id]).fetchone()[0]
        assert group is not None
        vectors = db.execute("SELECT count(*) FROM analysis_questionvector").fetchone()[0]
        assert vectors == 1
    finally:
        for process in (doomed, rescuer):
            if process is not None and process.poll() is None:
                process.kill()
                process.wait(20)
        db.close()
