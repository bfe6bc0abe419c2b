"""Durability under crashes: kill -9 a web process, then a task worker, each during a burst of submissions.

Makes a fresh askdesk on SQLite (migrate, collectstatic, load_demo) and runs it with
scripts/serve (2 gunicorn worker processes, 1 task worker that the script restarts), on a free
port on 127.0.0.1, with rate limits off (one machine plays every reader) and the small
deterministic embedder (so that the analysis backlog drains in seconds; the real model changes
how long analysis takes, not what is lost). A dead worker is noticed after 10 s (heartbeat 1 s).

For each process kind, --questions readers each GET the story page and POST a question,
--concurrency at a time; when a third of them were acknowledged, one process of that kind
gets SIGKILL. Then the benchmark waits (at most --drain-seconds) for every stored question to
be analysed, and prints, per round:

  acknowledged: answered with the redirect to the reader's private page
  stored: acknowledged questions found in the database (lost = acknowledged - stored)
  duplicates: texts stored more than once; errors: requests that got no answer (not acknowledged)
  analysed: stored questions with their analysis (story evidence) done

    .venv/bin/python bench/crash.py
    .venv/bin/python bench/crash.py --questions 1000 --concurrency 16
"""

from __future__ import annotations

import argparse
import http.client
import os
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from _machine import describe_machine  # bench/ is on the path when a script here runs
from load import HOST, REPO, Server, reader_form, request


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def web_worker_pids(serve_pid: int) -> list[int]:
    """gunicorn's worker processes: children of the gunicorn master that scripts/serve started."""
    masters = [pid for pid in children(serve_pid) if "gunicorn" in cmdline(pid)]
    return [pid for master in masters for pid in children(master) if "gunicorn" in cmdline(pid)]


class Round:
    def __init__(self, name: str) -> None:
        self.name = name
        self.acknowledged: list[str] = []
        self.errors = 0
        self.lock = threading.Lock()
        self.killed = ""


def ask(port: int, story_path: str, text: str, result: Round) -> None:
    try:
        status, _, page = request(port, "GET", story_path)
        post = reader_form(port, page, text) if status == 200 else None
        if post is None:
            raise http.client.HTTPException(f"no form ({status})")
        action, body, headers = post
        status, headers, _ = request(port, "POST", action, body=body, headers=headers)
    except (OSError, http.client.HTTPException):
        with result.lock:
            result.errors += 1
        return
    with result.lock:
        if status == 302 and headers.get("location", "").startswith("/q/"):
            result.acknowledged.append(text)
        else:
            result.errors += 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=1000, help="submissions per round")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--drain-seconds", type=float, default=300)
    args = parser.parse_args()
    print(f"machine: {describe_machine()}")
    with tempfile.TemporaryDirectory(prefix="askdesk-crash-") as tmp:
        server = Server(f"sqlite:///{tmp}/askdesk.sqlite3", Path(tmp), web_workers=2)
        env = {
            **server.env,
            "ASKDESK_EMBEDDER": "hashing",
            "ASKDESK_LIMITS_ENABLED": "0",
            "ASKDESK_FORM_MIN_SECONDS": "0",
            "ASKDESK_WORKER_HEARTBEAT_SECONDS": "1",
            "ASKDESK_WORKER_STALE_SECONDS": "10",
            "HOST": HOST,
            "PORT": str(server.port),
            "WEB_WORKERS": "2",
            "TASK_WORKERS": "1",
            "PY": sys.executable,
        }
        server.env = env
        server.prepare()
        serve = subprocess.Popen(
            [str(REPO / "scripts" / "serve")], cwd=REPO, env=env, start_new_session=True, stdout=subprocess.DEVNULL
        )
        db = sqlite3.connect(f"{tmp}/askdesk.sqlite3", timeout=30)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    if request(server.port, "GET", "/readyz")[0] == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.5)
            story_path = "/stories/{}/".format(db.execute("SELECT slug FROM stories_story").fetchone()[0])
            print(
                f"askdesk by scripts/serve on 127.0.0.1:{server.port}: 2 gunicorn workers, 1 task worker, SQLite; "
                f"{args.questions} submissions per round, {args.concurrency} at a time"
            )
            rounds = []
            for kind in ("web", "worker"):
                result = Round(kind)
                rounds.append(result)

                def kill_when_a_third_is_in(result: Round = result, kind: str = kind) -> None:
                    while len(result.acknowledged) < args.questions // 3:
                        time.sleep(0.01)
                    if kind == "web":
                        pids = web_worker_pids(serve.pid)
                    else:
                        with sqlite3.connect(f"{tmp}/askdesk.sqlite3", timeout=30) as own:  # one per thread
                            pids = [row[0] for row in own.execute("SELECT pid FROM ops_workerheartbeat")]
                        pids = [pid for pid in pids if Path(f"/proc/{pid}").exists()]
                    if pids:
                        os.kill(pids[0], signal.SIGKILL)
                        result.killed = f"pid {pids[0]} killed after {len(result.acknowledged)} acknowledged"

                killer = threading.Thread(target=kill_when_a_third_is_in, daemon=True)
                killer.start()
                with ThreadPoolExecutor(args.concurrency) as pool:
                    for n in range(args.questions):
                        pool.submit(
                            ask, server.port, story_path, f"Crash {kind} question {n}: will Iran reply?", result
                        )
                killer.join(5)

            deadline = time.monotonic() + args.drain_seconds
            while time.monotonic() < deadline:
                missing = db.execute(
                    "SELECT count(*) FROM questions_question q WHERE NOT EXISTS "
                    "(SELECT 1 FROM questions_questionevidence e WHERE e.question_id = q.id)"
                ).fetchone()[0]
                if missing == 0:
                    break
                time.sleep(1)
            drained = time.monotonic() - (deadline - args.drain_seconds)

            for result in rounds:
                prefix = f"Crash {result.name} question %"
                rows = db.execute("SELECT text FROM questions_question WHERE text LIKE ?", [prefix]).fetchall()
                texts = [row[0] for row in rows]
                stored = set(texts)
                analysed = db.execute(
                    "SELECT count(*) FROM questions_question q JOIN questions_questionevidence e "
                    "ON e.question_id = q.id WHERE q.text LIKE ?",
                    [prefix],
                ).fetchone()[0]
                acked = set(result.acknowledged)
                print(
                    f"kill -9 {result.name:<6} ({result.killed or 'nothing killed'}): acknowledged {len(acked)}, "
                    f"stored {len(acked & stored)}, lost {len(acked - stored)}, duplicates {len(texts) - len(stored)}, "
                    f"errors {result.errors} (stored anyway {len(stored - acked)}), analysed {analysed}/{len(stored)}"
                )
            failed = db.execute("SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'FAILED'")
            print(f"analysis backlog drained {drained:.0f} s after the last burst; failed tasks {failed.fetchone()[0]}")
        finally:
            db.close()
            serve.send_signal(signal.SIGTERM)
            try:
                serve.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(serve.pid, signal.SIGKILL)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
