"""The benchmarks still run: every script starts, and those that need no public data set run at a tiny size.

Benchmarks are run by hand, so they break without anyone noticing (a changed service, a module
name that shadows a package). These runs check what each prints that does not depend on the
machine (nothing lost, every message received, scripts refused), never a timing.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted(p.name for p in (ROOT / "bench").glob("*.py") if not p.name.startswith("_"))


def run(*args: str, timeout: float = 600) -> str:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
    # The suite's own settings and database must not leak into a benchmark's throwaway desk.
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL"):
        env.pop(name, None)
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    command = " ".join(args)
    assert done.returncode == 0, f"{command} exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def test_the_benchmarks_are_all_found():
    assert {"abuse.py", "callouts.py", "public.py", "worker.py"} <= set(SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS)
def test_every_benchmark_starts_and_explains_its_options(script):
    assert run(f"bench/{script}", "--help", timeout=120).startswith("usage:")


def test_api_keys_compares_the_keyed_hash_with_the_password_hasher():
    assert re.search(r"^ratio: [\d,]+x$", run("bench/api_keys.py", "--rounds", "200"), re.M)


def test_insights_builds_a_call_out_and_reads_its_figures_from_the_cache():
    out = run("bench/insights.py", "150")
    assert "one call-out of 150 questions, sqlite" in out and "from the cache" in out


def test_deletion_deletes_a_readers_questions_and_runs_the_contact_clock():
    out = run("bench/deletion.py", "--sizes", "60", "--rounds", "1")
    assert re.search(r"contact clock: \d+ contact details deleted", out)


def test_triage_times_every_desk_page():
    out = run("bench/triage.py", "--sizes", "60", "--rounds", "1")
    assert "groups, largest first" in out and "desk home" in out


def test_reader_email_delivers_one_message_to_each_reader_over_smtp():
    assert re.search(r"messages the SMTP server received:\s+3$", run("bench/reader_email.py", "--readers", "3"), re.M)


def test_worker_analyses_every_question_of_a_burst(tmp_path):
    folder = tmp_path / "newsquizqa"
    folder.mkdir()
    with (folder / "news_quiz_qa-dev.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["url", "question", "answer"])
        for n, question in enumerate(["Will Iran retaliate?", "Was anyone hurt?", "Where was the strike?"] * 3):
            writer.writerow([f"https://example.org/{n}", question, ""])
    out = run("bench/worker.py", "--questions", "9", "--slices", "1", "--data", str(tmp_path))
    assert "9 questions on the demo story" in out
    assert re.search(r"^3 groups at the end$", out, re.M), out  # the same three questions, three times each


def test_crash_loses_nothing_when_the_web_and_task_processes_are_killed():
    out = run("bench/crash.py", "--questions", "12", "--concurrency", "2", "--drain-seconds", "90")
    assert re.search(r"acknowledged 12, stored 12, lost 0, duplicates 0", out), out
    assert "failed tasks 0" in out


def test_abuse_refuses_the_scripts_a_cached_form_is_sent_by():
    out = run("bench/abuse.py", "--seconds", "2", "--link-guesses", "5", "--login-attempts", "11")
    assert "honeypot filled: 0/20 accepted; sent at once after the form was shown: 0/20 accepted" in out
    assert "found a question 0" in out
