"""Public pages at breaking-news traffic: wrk against a served askdesk on PostgreSQL.

Starts a fresh askdesk (migrate, collectstatic, load_demo, one published Q&A) under gunicorn
with --web-workers processes on a free port of 127.0.0.1, as scripts/serve does, then:

  1. wrk (Debian's package, installed if missing) at --connections connections for
     --seconds each: /healthz, the story page, the embedded form, the answers embed. Prints
     requests/s, p99, and each page's throughput as a ratio of /healthz
     (goal: >= 0.5, p99 < 100 ms at 64 connections);
  2. the same story page and embed runs again while --live-readers idle readers keep the
     answers page open: each holds a connection and polls the live answers list every
     --poll-seconds with If-None-Match, as askdesk/live.js does (goal: the figures above hold);
     Beside each run: how many of wrk's connections each web process held;
  3. --questions submissions at --concurrency concurrent readers (GET the page, POST the form;
     only the POST is timed; goal p99 < 250 ms at 16), then the rows are counted as
     bench/load.py counts them: "lost" must be 0.

    scripts/with-postgres .venv/bin/python bench/public.py
    scripts/with-postgres .venv/bin/python bench/public.py --only submissions   # phase 3 alone
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from _machine import describe_machine  # bench/ is on the path when a script here runs
from load import HOST, Server, count_rows, postgres_database, submission_phase

T = TypeVar("T")

PUBLISH_ONE = """
from askdesk.answers.services import answer_publish, answer_save
from askdesk.accounts.models import Expert
from askdesk.callouts.models import Callout
from askdesk.questions.services import question_assign, question_submit
import uuid
c = Callout.objects.get()
expert = Expert.objects.filter(newsroom=c.story.newsroom).first()
q, _, _ = question_submit(callout=c, submission_key=uuid.uuid4(), text='Will flights resume?', consent=True,
                          location='Norwich')
question_assign(question=q, expert=expert, actor=None)
answer_save(question=q, expert=expert, body='Airlines expect to fly again this week.', submit=True)
answer_publish(question=q, actor=None)
print(c.story.slug, c.slug, c.pk)
"""


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print("Installing Debian's wrk...", flush=True)
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is missing and could not be installed")
    return found


def to_ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(binary: str, url: str, connections: int, seconds: int, header: str = "") -> tuple[float, float, int, int, int]:
    """requests/s, p99 in ms, requests, non-2xx/3xx answers and socket errors (timeouts: 2 s) of one run."""
    headers = ["-H", header] if header else []
    out = subprocess.run(
        [binary, "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--latency", *headers, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    # The latency distribution's own line: "+/- Stdev" columns can end in "99%" too (e.g. 71.99%).
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = sum(int(n) for n in socket_errors.groups()) if socket_errors else 0
    return rps, p99, total, bad, failed


IN_PROCESS = """
import time
from django.test import Client
from askdesk.callouts.models import Callout
c = Callout.objects.get()
client = Client(HTTP_HOST="127.0.0.1")
paths = {"/healthz": "/healthz", "story page": f"/stories/{c.story.slug}/", "embed form": f"/embed/{c.slug}/form/",
         "answers embed": f"/embed/{c.slug}/answers/", "live (304)": f"/answers/{c.slug}/live/"}
etag = client.get(paths["live (304)"])["ETag"]
for name, path in paths.items():
    headers = {"HTTP_IF_NONE_MATCH": etag} if name == "live (304)" else {}
    client.get(path, **headers)
    start = time.perf_counter()
    for _ in range(2000):
        client.get(path, **headers)
    print(f"{name:<16}{(time.perf_counter() - start) / 2000 * 1000:>8.3f} ms")
"""


class LiveReaders:
    """Idle readers with the answers page open: each keeps a connection and polls every few seconds."""

    def __init__(self, port: int, path: str, readers: int, every: float) -> None:
        self.port, self.path, self.readers, self.every = port, path, readers, every
        self.polls = self.not_modified = self.failures = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self.main()), daemon=True)

    async def reader(self, n: int) -> None:
        await asyncio.sleep(self.every * n / self.readers)  # spread out, as readers arrive
        etag = ""
        connection = _Connection(self.port, self.path)
        while not self.stop.is_set():
            try:
                status, etag = await connection.poll(etag)
                self.polls += 1
                self.not_modified += status == 304
            except (OSError, asyncio.IncompleteReadError, ValueError):
                self.failures += 1
            await asyncio.sleep(self.every)

    async def main(self) -> None:
        await asyncio.gather(*(self.reader(n) for n in range(self.readers)))

    def __enter__(self) -> LiveReaders:
        self.thread.start()
        time.sleep(self.every + 1)  # every reader connected and polling
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(self.every + 30)


class _Connection:
    """One reader's kept-alive connection, as a browser keeps one."""

    def __init__(self, port: int, path: str) -> None:
        self.port, self.path = port, path
        self.conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def poll(self, etag: str) -> tuple[int, str]:
        """One conditional GET on the reader's kept-alive connection (a new one if the server closed it)."""
        for attempt in (1, 2):
            try:
                if self.conn is None:
                    self.conn = await asyncio.open_connection(HOST, self.port)
                reader, writer = self.conn
                conditional = f"If-None-Match: {etag}\r\n" if etag else ""
                writer.write(f"GET {self.path} HTTP/1.1\r\nHost: {HOST}\r\n{conditional}\r\n".encode())
                await writer.drain()
                head = await reader.readuntil(b"\r\n\r\n")
                sized = re.search(rb"content-length: (\d+)", head, re.IGNORECASE)
                if sized:
                    await reader.readexactly(int(sized.group(1)))
                found = re.search(rb"etag: (\S+)", head, re.IGNORECASE)
                return int(head.split()[1]), found.group(1).decode() if found else etag
            except (OSError, asyncio.IncompleteReadError, ValueError):
                self.conn = None  # an idle connection the server closed: a browser reconnects
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def spread_during(server: Server, run: Callable[[], T]) -> tuple[T, str]:
    """``run()``, and how many connections each web process held one second into it ("31/33")."""
    import psutil

    held: list[int] = []

    def sample() -> None:
        time.sleep(1)
        for worker in psutil.Process(server.process.pid).children():  # type: ignore[union-attr]
            conns = worker.net_connections("tcp")
            held.append(sum(1 for c in conns if c.status == psutil.CONN_ESTABLISHED and c.laddr.port == server.port))

    sampler = threading.Thread(target=sample)
    sampler.start()
    result = run()
    sampler.join()
    return result, "/".join(str(n) for n in sorted(held))


def cpu_seconds(server: Server, database_url: str) -> tuple[float, float, float]:
    """CPU time used so far by the web processes, the PostgreSQL backends of the run's database, and this client."""
    import psutil

    web = sum(sum(p.cpu_times()[:2]) for p in psutil.Process(server.process.pid).children())  # type: ignore[union-attr]
    name = urlsplit(database_url).path.lstrip("/")
    postgres = 0.0
    for process in psutil.process_iter(["name", "cmdline"]):
        if (process.info["name"] or "").startswith("postgres") and name in " ".join(process.info["cmdline"] or []):
            with contextlib.suppress(psutil.Error):
                postgres += sum(process.cpu_times()[:2])
    return web, postgres, sum(psutil.Process().cpu_times()[:2])


def durability(database_url: str) -> str:
    """The server's settings that decide whether a thanked reader's question survives a crash."""
    import psycopg

    with psycopg.connect(database_url) as conn:
        fsync, commit = (conn.execute(f"SHOW {name}").fetchone()[0] for name in ("fsync", "synchronous_commit"))  # type: ignore[index]
    return f"fsync {fsync}, synchronous_commit {commit}"


def pages_phases(
    server: Server, binary: str, base: str, pages: dict[str, str], callout_slug: str, args: argparse.Namespace
) -> None:
    """Phases 1 and 2: the in-process cost of a request, wrk on each page, and again with idle live readers."""
    print("\nin-process cost of one request (Django test client, cached pages):")
    timings = server.manage("shell", "-c", IN_PROCESS).splitlines()
    print("\n".join(line for line in timings if line.endswith(" ms")))
    results: dict[str, tuple[float, float, int, int, int]] = {}
    spread: dict[str, str] = {}
    for name, path in pages.items():
        wrk(binary, base + path, args.connections, 2)  # warm: caches filled, connections made
        results[name], spread[name] = spread_during(
            server, lambda path=path: wrk(binary, base + path, args.connections, args.seconds)
        )
    healthz = results["/healthz"][0]
    print(
        f"\n{'wrk':<16}{'req/s':>10}{'ratio':>8}{'p99 ms':>9}{'requests':>10}{'non-2xx':>8}{'socket':>8}"
        "  connections per worker"
    )
    for name, (rps, p99, total, bad, failed) in results.items():
        print(f"{name:<16}{rps:>10.0f}{rps / healthz:>8.2f}{p99:>9.1f}{total:>10}{bad:>8}{failed:>8}  {spread[name]}")

    live_path = f"/answers/{callout_slug}/live/"
    with LiveReaders(server.port, live_path, args.live_readers, args.poll_seconds) as live:
        print(f"\nwith {args.live_readers} idle live readers polling every {args.poll_seconds:g} s:")
        for name in ("story page", "embed form"):
            rps, p99, total, bad, failed = wrk(binary, base + pages[name], args.connections, args.seconds)
            print(f"{name:<16}{rps:>10.0f}{rps / healthz:>8.2f}{p99:>9.1f}{total:>10}{bad:>8}{failed:>8}")
    print(f"live polls {live.polls} ({live.not_modified} answered 304 Not Modified), failures {live.failures}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--live-readers", type=int, default=1000)
    parser.add_argument("--poll-seconds", type=float, default=5.0)
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--max-seconds", type=float, default=120)
    parser.add_argument("--postgres-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument(
        "--only",
        choices=["all", "submissions"],
        default="all",
        help="'submissions': phase 3 alone (to compare builds of askdesk in the same minutes)",
    )
    args = parser.parse_args()
    if not args.postgres_url.startswith(("postgres://", "postgresql://")):
        parser.error("run under scripts/with-postgres or pass --postgres-url")
    pages_too = args.only == "all"
    binary = ensure_wrk() if pages_too else ""
    print(f"machine: {describe_machine()}")
    threads = os.environ.get("WEB_THREADS", "4")
    wrk_line = f"; wrk {args.connections} conns, {args.seconds}s" if pages_too else ""
    print(f"{args.web_workers} gunicorn workers, {threads} threads each{wrk_line}")
    url, drop = postgres_database(args.postgres_url)
    try:
        with tempfile.TemporaryDirectory(prefix="askdesk-bench-") as tmp:
            server = Server(url, Path(tmp), args.web_workers)
            server.prepare()
            story_slug, callout_slug, callout_id = server.manage("shell", "-c", PUBLISH_ONE).split()[-3:]
            server.start()
            try:
                base = f"http://{HOST}:{server.port}"
                pages = {
                    "/healthz": "/healthz",
                    "story page": f"/stories/{story_slug}/",
                    "embed form": f"/embed/{callout_slug}/form/",
                    "answers embed": f"/embed/{callout_slug}/answers/",
                }
                if pages_too:
                    pages_phases(server, binary, base, pages, callout_slug, args)

                before = cpu_seconds(server, url)
                submit, accepted = submission_phase(
                    server, pages["story page"], args.questions, args.concurrency, args.max_seconds
                )
                done = max(len(submit.latencies), 1)
                after = cpu_seconds(server, url)
                spent = [(end - start) / done * 1000 for end, start in zip(after, before, strict=True)]
            finally:
                server.stop()
            print(f"\nsubmissions, {args.concurrency} concurrent readers (PostgreSQL, {durability(url)}):")
            print(submit.line())
            print(
                f"{'CPU':<12} per submission (GET + POST): web {spent[0]:.1f} ms, PostgreSQL {spent[1]:.1f} ms, "
                f"this client {spent[2]:.1f} ms"
            )
            print(count_rows(server, callout_id, accepted))
            print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    finally:
        drop()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    raise SystemExit(main())
