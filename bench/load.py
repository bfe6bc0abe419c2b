"""Load on a real askdesk server: the story page and question submission, SQLite vs PostgreSQL.

For each database the benchmark makes a fresh askdesk (migrate, collectstatic, load_demo),
starts the web server (gunicorn, config/gunicorn.py) with --web-workers processes on a free
port on 127.0.0.1 (as scripts/serve does, without the task worker so that only the web tier
is measured), then:

  1. story page: --story-requests GETs of the demo story page, --concurrency at a time;
  2. submission: --questions readers each GET the page (form and its signed token) and POST a
     question, --concurrency at a time; only the POST is timed.

It prints requests/s and p50/p95/p99 latency per phase, the HTTP errors, and then counts the
rows: every question answered with a redirect must be in the database, once, with the
background task that analyses it queued beside it ("lost" must be 0). Request counts and
time are bounded (--max-seconds per phase); only 127.0.0.1 is contacted.

PostgreSQL needs a server: run the benchmark under scripts/with-postgres, which starts a
throwaway one (fsync on) and sets DATABASE_URL; a fresh database is made in it for the run.

    scripts/with-postgres .venv/bin/python bench/load.py
    .venv/bin/python bench/load.py --backends sqlite --questions 500
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from _machine import describe_machine  # bench/ is on the path when a script here runs

REPO = Path(__file__).resolve().parents[1]
PY = sys.executable
HOST = "127.0.0.1"
# The web server as scripts/serve starts it (config/gunicorn.py), on a port of this run.
WEB_SERVER = [PY, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"]


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    wall: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, seconds: float, error: str | None) -> None:
        with self.lock:
            if error is None:
                self.latencies.append(seconds)
            else:
                self.errors[error] = self.errors.get(error, 0) + 1

    def line(self) -> str:
        ok = len(self.latencies)
        if not ok:
            return f"{self.name:<12} no successful request; errors {self.errors}"
        ms = sorted(x * 1000 for x in self.latencies)
        q = statistics.quantiles(ms, n=100, method="inclusive")
        return (
            f"{self.name:<12} {ok:>6} ok  {ok / self.wall:>8.1f} req/s  "
            f"p50 {q[49]:>7.1f} ms  p95 {q[94]:>7.1f} ms  p99 {q[98]:>7.1f} ms  max {ms[-1]:>7.1f} ms  "
            f"errors {sum(self.errors.values())} {self.errors or ''}"
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class Server:
    """A fresh askdesk on one database, served as scripts/serve serves it, on a free port."""

    def __init__(self, database_url: str, data_dir: Path, web_workers: int) -> None:
        self.port = free_port()
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ASKDESK_"))},
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            "ASKDESK_DATA_DIR": str(data_dir),
            "DJANGO_STATIC_ROOT": str(data_dir / "static"),
            "DJANGO_DEBUG": "0",
            "DJANGO_ALLOWED_HOSTS": HOST,
            "ASKDESK_LOG_LEVEL": "WARNING",
            "HF_HUB_OFFLINE": "1",
            # Every simulated reader comes from 127.0.0.1 and posts at once: the abuse limits
            # (askdesk.ops.limits) would refuse them; capacity is measured without them.
            "ASKDESK_LIMITS_ENABLED": "0",
            "ASKDESK_FORM_MIN_SECONDS": "0",
        }
        self.web_workers = web_workers
        self.process: subprocess.Popen[bytes] | None = None

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [PY, "manage.py", *args], cwd=REPO, env=self.env, capture_output=True, text=True, timeout=600, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def prepare(self) -> None:
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("collectstatic", "--noinput", "-v", "0")
        self.manage("load_demo")

    def start(self) -> None:
        self.process = subprocess.Popen(
            WEB_SERVER,
            cwd=REPO,
            env={**self.env, "HOST": HOST, "PORT": str(self.port), "WEB_WORKERS": str(self.web_workers)},
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _, _ = request(self.port, "GET", "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError("the web server exited")
            time.sleep(0.3)
        raise RuntimeError("askdesk did not answer /healthz within 60 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()


def request(
    port: int,
    method: str,
    path: str,
    body: str | None = None,
    headers: dict[str, str] | None = None,
    conn: http.client.HTTPConnection | None = None,
) -> tuple[int, dict[str, str], bytes]:
    own = conn is None
    conn = conn or http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        if own:
            conn.close()


def run_phase(phase: Phase, count: int, concurrency: int, max_seconds: float, one: Callable[[int], None]) -> None:
    deadline = time.monotonic() + max_seconds
    counter = iter(range(count))
    counter_lock = threading.Lock()

    def loop() -> None:
        while time.monotonic() < deadline:
            with counter_lock:
                n = next(counter, None)
            if n is None:
                return
            one(n)

    start = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(loop) for _ in range(concurrency)]:
            future.result()
    phase.wall = time.monotonic() - start


_local = threading.local()


def connection(port: int) -> http.client.HTTPConnection:
    """One keep-alive connection per client thread, as a browser keeps one."""
    conn = getattr(_local, "conn", None)
    if conn is None or getattr(_local, "port", None) != port:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        _local.conn, _local.port = conn, port
    return conn


def timed(
    phase: Phase, port: int, method: str, path: str, expect: int, **kwargs: object
) -> tuple[dict[str, str], bytes]:
    start = time.perf_counter()
    try:
        status, headers, body = request(port, method, path, conn=connection(port), **kwargs)  # type: ignore[arg-type]
    except (OSError, http.client.HTTPException) as error:
        _local.conn = None
        phase.record(0, type(error).__name__)
        return {}, b""
    elapsed = time.perf_counter() - start
    phase.record(elapsed, None if status == expect else f"HTTP {status}")
    return headers, body


def reader_form(port: int, page: bytes, text: str) -> tuple[str, str, dict[str, str]] | None:
    """The POST a reader's browser makes from a story page: its action, body and headers.

    The form carries a signed token (the same for every reader of the cached page); the
    browser sends its Origin (docs/security.md). No cookie. None if the page has no form.
    """
    token = re.search(rb'name="form_token" value="([^"]+)"', page)
    action = re.search(rb'action="([^"]+)" class="ask-form"', page)
    if not (token and action):
        return None
    form = {
        "form_token": token.group(1).decode(),
        "question": text,
        "name": "Reader",
        "age": "40",
        "location": "Leeds",
        "consent": "on",
        "submission_key": str(uuid.uuid4()),
    }
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": f"http://{HOST}:{port}",
        "Referer": f"http://{HOST}:{port}/",
    }
    return action.group(1).decode(), urlencode(form), headers


def submission_phase(
    server: Server, story_path: str, questions: int, concurrency: int, max_seconds: float
) -> tuple[Phase, list[str]]:
    """Readers GET the story page and POST a question; only the POST is timed."""
    submit = Phase("submit")
    accepted: list[str] = []
    accepted_lock = threading.Lock()

    def ask(n: int) -> None:
        status, _, page = request(server.port, "GET", story_path, conn=connection(server.port))
        text = f"Bench question {n} ({uuid.uuid4().hex[:8]}): will Iran retaliate?"
        post = reader_form(server.port, page, text) if status == 200 else None
        if post is None:
            submit.record(0, "no form")
            return
        action, body, headers = post
        answer, _ = timed(submit, server.port, "POST", action, 302, body=body, headers=headers)
        if answer.get("location", "").startswith("/q/"):
            with accepted_lock:
                accepted.append(text)

    run_phase(submit, questions, concurrency, max_seconds, ask)
    return submit, accepted


def count_rows(server: Server, callout_id: str, accepted: list[str]) -> str:
    """Every question answered with a redirect must be stored once, with its analysis task queued."""
    counted = server.manage(
        "shell",
        "-c",
        "from askdesk.questions.models import Question; from django_tasks_db.models import DBTaskResult; "
        f"q = Question.objects.filter(callout_id={callout_id}, text__startswith='Bench question'); "
        "print(q.count(), q.values('text').distinct().count(), "
        "DBTaskResult.objects.filter(task_path__endswith='analyse_question').count())",
    )
    rows, distinct, tasks = (int(x) for x in counted.strip().splitlines()[-1].split())
    stored = set(
        server.manage(
            "shell",
            "-c",
            "from askdesk.questions.models import Question; "
            "texts = Question.objects.filter(text__startswith='Bench question').values_list('text', flat=True); "
            "print('\\n'.join(texts))",
        ).splitlines()
    )
    lost = len(set(accepted) - stored)
    return (
        f"{'rows':<12} accepted {len(accepted)}, stored {rows} ({distinct} distinct), lost {lost}, "
        f"analysis tasks queued {tasks}"
    )


def bench_backend(label: str, database_url: str, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="askdesk-bench-") as tmp:
        server = Server(database_url, Path(tmp), args.web_workers)
        server.prepare()
        story_slug, callout_id = (
            server.manage(
                "shell",
                "-c",
                "from askdesk.callouts.models import Callout; c = Callout.objects.get(); print(c.story.slug, c.pk)",
            )
            .strip()
            .splitlines()[-1]
            .split()
        )
        server.start()
        try:
            story_path = f"/stories/{story_slug}/"
            page = Phase("story page")
            run_phase(
                page,
                args.story_requests,
                args.concurrency,
                args.max_seconds,
                lambda n: timed(page, server.port, "GET", story_path, 200),
            )

            submit, accepted = submission_phase(server, story_path, args.questions, args.concurrency, args.max_seconds)
        finally:
            server.stop()

        rows_line = count_rows(server, callout_id, accepted)
        threads = os.environ.get("WEB_THREADS", "4")
        print(f"\n[{label}] {args.web_workers} gunicorn workers of {threads} threads, {args.concurrency} at once")
        print(page.line())
        print(submit.line())
        print(rows_line)


def postgres_database(admin_url: str) -> tuple[str, Callable[[], None]]:
    """A fresh database on the server of ``admin_url``; returns its URL and a function that drops it."""
    import psycopg

    name = f"askdesk_bench_{os.getpid()}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(admin_url)

    def drop() -> None:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--questions", type=int, default=2000)
    parser.add_argument("--story-requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--max-seconds", type=float, default=180, help="time bound of each phase")
    parser.add_argument("--postgres-url", default=os.environ.get("DATABASE_URL", ""))
    args = parser.parse_args()

    print(f"machine: {describe_machine()}")
    print(
        f"load: {args.story_requests} story page GETs, {args.questions} submissions (GET form + POST), "
        f"{args.concurrency} concurrent clients on the same machine, at most {args.max_seconds:.0f} s a phase"
    )
    for backend in args.backends.split(","):
        if backend == "sqlite":
            with tempfile.TemporaryDirectory(prefix="askdesk-bench-db-") as db_dir:
                bench_backend("SQLite (WAL, synchronous=FULL)", f"sqlite:///{db_dir}/askdesk.sqlite3", args)
        elif backend == "postgres":
            if not args.postgres_url.startswith(("postgres://", "postgresql://")):
                print("\n[PostgreSQL] skipped: run under scripts/with-postgres or pass --postgres-url")
                continue
            url, drop = postgres_database(args.postgres_url)
            try:
                bench_backend("PostgreSQL (fsync on)", url, args)
            finally:
                drop()
        else:
            parser.error(f"unknown backend {backend!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
