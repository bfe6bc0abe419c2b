"""Live triage: the cost of editors' open triage pages polling for changes.

Starts a fresh askdesk (migrate, load_demo: 36 questions) under gunicorn (config/gunicorn.py) with --web-workers
processes on a free port of 127.0.0.1, signs in --editors + 1 editors (sessions made with
Django's test client), then:

  1. in-process cost of one request (Django test client): a poll answered 304, a poll that
     finds a change (200), the triage page;
  2. wrk (Debian's package, installed if missing) on /healthz and on the triage page (signed
     in) at --connections connections for --seconds each: the baseline;
  3. the server's CPU while only the editors poll (every --poll-seconds, the shipped interval,
     each on a kept-alive connection with If-None-Match, as askdesk/js/desk-live.js does) and
     a reader's question arrives every --arrival-seconds, minus the same stretch idle: CPU
     per poll;
  4. wrk again on /healthz and the triage page while the editors poll and questions arrive:
     throughput as a ratio of the baseline.

    scripts/with-postgres .venv/bin/python bench/desk_live.py
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from _machine import describe_machine  # bench/ is on the path when a script here runs
from load import HOST, PY, REPO, Server, postgres_database
from public import ensure_wrk
from public import wrk as public_wrk

SIGN_IN = """
from django.test import Client
from askdesk.accounts.models import Role
from askdesk.accounts.services import staff_create
from askdesk.callouts.models import Callout
callout = Callout.objects.get()
for n in range({editors}):
    user = staff_create(username=f"bench-editor-{{n}}", password="bench-password-1234", role=Role.EDITOR,
                        newsroom=callout.story.newsroom)
    client = Client()
    client.force_login(user)
    print("session", client.cookies["sessionid"].value)
print("callout", callout.pk)
"""

IN_PROCESS = """
import re, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from askdesk.callouts.models import Callout
c = Callout.objects.get()
client = Client(HTTP_HOST="127.0.0.1")
client.cookies["sessionid"] = "{session}"
live, page = f"/desk/callouts/{{c.pk}}/live/", f"/desk/callouts/{{c.pk}}/"
etag = client.get(live)["ETag"]
with CaptureQueriesContext(connection) as queries:
    assert client.get(live, HTTP_IF_NONE_MATCH=etag).status_code == 304
tables = {{re.search(r'FROM "(\\w+)"', q["sql"]).group(1) for q in queries.captured_queries if 'FROM "' in q["sql"]}}
print(f"queries of a 304 poll: {{len(queries)}} ({{', '.join(sorted(tables))}})")
def timed(name, one, n):
    one()
    start = time.perf_counter()
    for _ in range(n):
        one()
    print(f"{{name:<28}}{{(time.perf_counter() - start) / n * 1000:>8.3f}} ms")
timed("poll answered 304", lambda: client.get(live, HTTP_IF_NONE_MATCH=etag), 1000)
timed("poll that finds a change", lambda: client.get(live, HTTP_IF_NONE_MATCH='"stale"'), 1000)
timed("triage page", lambda: client.get(page), 200)
"""

ARRIVALS = """
import time, uuid
from askdesk.callouts.models import Callout
from askdesk.questions.services import question_submit
c = Callout.objects.get()
end = time.monotonic() + {seconds}
n = 0
while time.monotonic() < end:
    question_submit(callout=c, submission_key=uuid.uuid4(), text=f"Will the strikes go on, question {{n}}?",
                    consent=True)
    n += 1
    time.sleep({every})
print("arrived", n)
"""


def server_cpu_seconds(parent: int) -> float:
    """User + system CPU seconds of the web server process and its workers so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if pid == parent or ppid == parent:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def wrk(binary: str, url: str, connections: int, seconds: int, cookie: str = "") -> tuple[float, float, int]:
    """requests/s, p99 in ms, and the answers that were not 2xx/3xx (or failed) of one run."""
    rps, p99, _, bad, failed = public_wrk(
        binary, url, connections, seconds, f"Cookie: sessionid={cookie}" if cookie else ""
    )
    return rps, p99, bad + failed


class Editors:
    """Editors with the triage page open: each keeps a connection and polls every few seconds."""

    def __init__(self, port: int, path: str, sessions: list[str], every: float) -> None:
        self.port, self.path, self.sessions, self.every = port, path, sessions, every
        self.polls = self.not_modified = self.failures = 0
        self.answers: Counter[str] = Counter()  # status codes and errors, to print
        self.stop = threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self.main()), daemon=True)

    async def editor(self, n: int, session: str) -> None:
        await asyncio.sleep(self.every * n / len(self.sessions))  # spread out, as pages are opened
        etag = ""
        conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        while not self.stop.is_set():
            for attempt in (1, 2):
                try:
                    if conn is None:
                        conn = await asyncio.open_connection(HOST, self.port)
                    opened = not etag
                    status, etag = await self.poll(conn, session, etag)
                except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                    conn = None  # the server closed an idle connection: a browser reconnects and asks again
                    if attempt == 2:
                        self.failures += 1
                        self.answers[type(error).__name__] += 1
                    continue
                if opened:
                    break  # the page's own load: its ETag is what the page's script starts from
                self.polls += 1
                self.not_modified += status == 304
                self.failures += status not in {200, 304}
                self.answers[str(status)] += 1
                break
            await asyncio.sleep(self.every)

    async def poll(
        self, conn: tuple[asyncio.StreamReader, asyncio.StreamWriter], session: str, etag: str
    ) -> tuple[int, str]:
        """One conditional GET of the version on a kept-alive connection: (status, ETag)."""
        reader, writer = conn
        conditional = f"If-None-Match: {etag}\r\n" if etag else ""
        cookie = f"Cookie: sessionid={session}\r\n"
        writer.write(f"GET {self.path} HTTP/1.1\r\nHost: {HOST}\r\n{cookie}{conditional}\r\n".encode())
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        sized = re.search(rb"content-length: (\d+)", head, re.IGNORECASE)
        if sized:
            await reader.readexactly(int(sized.group(1)))
        found = re.search(rb"etag: (\S+)", head, re.IGNORECASE)
        return int(head.split()[1]), found.group(1).decode() if found else etag

    async def main(self) -> None:
        await asyncio.gather(*(self.editor(n, s) for n, s in enumerate(self.sessions)))

    def __enter__(self) -> Editors:
        self.thread.start()
        time.sleep(self.every + 1)  # every editor connected and polling
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(self.every + 30)


def print_wrk_table(baseline: dict[str, tuple[float, float, int]], loaded: dict[str, tuple[float, float, int]]) -> None:
    head = ("wrk", "alone req/s", "p99 ms", "polled req/s", "p99 ms", "ratio", "errors")
    print("\n{:<14}{:>12}{:>8}{:>14}{:>8}{:>7}{:>8}".format(*head))
    for name, (rps, p99, bad) in baseline.items():
        rps2, p992, bad2 = loaded[name]
        ratio = rps2 / rps if rps else 0.0
        print(f"{name:<14}{rps:>12.0f}{p99:>8.1f}{rps2:>14.0f}{p992:>8.1f}{ratio:>7.2f}{bad + bad2:>8}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--editors", type=int, default=20)
    parser.add_argument("--poll-seconds", type=float, default=5.0, help="the shipped ASKDESK_DESK_POLL_SECONDS")
    parser.add_argument(
        "--arrival-seconds", type=float, default=15.0, help="a reader's question this often (BBC-like: 4 a minute)"
    )
    parser.add_argument("--cpu-seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--postgres-url", default=os.environ.get("DATABASE_URL", ""))
    args = parser.parse_args()
    if not args.postgres_url.startswith(("postgres://", "postgresql://")):
        parser.error("run under scripts/with-postgres or pass --postgres-url")
    binary = ensure_wrk()
    print(f"machine: {describe_machine()}")
    print(
        f"{args.web_workers} gunicorn workers; {args.editors} editors polling every {args.poll_seconds:g} s; "
        f"wrk {args.connections} connections, {args.seconds} s a run"
    )
    url, drop = postgres_database(args.postgres_url)
    try:
        with tempfile.TemporaryDirectory(prefix="askdesk-bench-") as tmp:
            server = Server(url, Path(tmp), args.web_workers)
            server.prepare()
            lines = server.manage("shell", "-c", SIGN_IN.format(editors=args.editors + 1)).split("\n")
            sessions = [line.split()[1] for line in lines if line.startswith("session ")]
            callout_id = next(line.split()[1] for line in lines if line.startswith("callout "))
            measurer, pollers = sessions[0], sessions[1:]
            triage, live = f"/desk/callouts/{callout_id}/", f"/desk/callouts/{callout_id}/live/"

            print("\nin-process cost of one request (Django test client, on PostgreSQL):")
            timings = server.manage("shell", "-c", IN_PROCESS.format(session=measurer)).splitlines()
            print("\n".join(line for line in timings if line.endswith(" ms") or line.startswith("queries")))

            server.start()
            try:
                base = f"http://{HOST}:{server.port}"
                pages = {"/healthz": ("/healthz", ""), "triage page": (triage, measurer)}
                baseline: dict[str, tuple[float, float, int]] = {}
                for name, (path, cookie) in pages.items():
                    wrk(binary, base + path, args.connections, 2, cookie)  # warm
                    baseline[name] = wrk(binary, base + path, args.connections, args.seconds, cookie)

                idle_start = server_cpu_seconds(server.process.pid)  # type: ignore[union-attr]
                time.sleep(args.cpu_seconds)
                idle = server_cpu_seconds(server.process.pid) - idle_start  # type: ignore[union-attr]
                total_seconds = args.poll_seconds + 1 + args.cpu_seconds + 2 * (args.seconds + 2) + 10
                arrivals = subprocess.Popen(
                    [
                        PY,
                        "manage.py",
                        "shell",
                        "-c",
                        ARRIVALS.format(seconds=total_seconds, every=args.arrival_seconds),
                    ],
                    cwd=REPO,
                    env=server.env,
                    stdout=subprocess.PIPE,
                    text=True,
                )
                with Editors(server.port, live, pollers, args.poll_seconds) as editors:
                    polls_before = editors.polls
                    cpu_start = server_cpu_seconds(server.process.pid)  # type: ignore[union-attr]
                    time.sleep(args.cpu_seconds)
                    busy = server_cpu_seconds(server.process.pid) - cpu_start  # type: ignore[union-attr]
                    polls = editors.polls - polls_before
                    loaded: dict[str, tuple[float, float, int]] = {}
                    for name, (path, cookie) in pages.items():
                        wrk(binary, base + path, args.connections, 2, cookie)
                        loaded[name] = wrk(binary, base + path, args.connections, args.seconds, cookie)
                arrived_out, _ = arrivals.communicate(timeout=total_seconds + 60)
            finally:
                server.stop()
            arrived = arrived_out.split()[-1] if arrived_out.strip() else "?"
            print(f"\npolls: {editors.polls} in all, {polls / args.cpu_seconds:.1f}/s while measuring CPU")
            print(
                f"answered 304: {editors.not_modified / max(editors.polls, 1):.1%} "
                f"({editors.not_modified} of {editors.polls}; {arrived} questions arrived); "
                f"failures {editors.failures}; "
                f"answers {dict(editors.answers)}"
            )
            print(
                f"server CPU: idle {idle / args.cpu_seconds * 1000:.1f} ms/s, with the editors polling "
                f"{busy / args.cpu_seconds * 1000:.1f} ms/s (the arrivals' own requests are not served by it); "
                f"{max(busy - idle, 0.0) / max(polls, 1) * 1000:.2f} ms CPU per poll"
            )
            print_wrk_table(baseline, loaded)
    finally:
        drop()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    raise SystemExit(main())
