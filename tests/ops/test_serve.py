"""scripts/serve keeps serving when its task worker dies, and starts a new worker."""

from __future__ import annotations

import signal
import socket
import sqlite3
import subprocess
import sys
import urllib.request
from pathlib import Path

from tests.ops.test_worker_killed import ROOT, manage, server_env, wait_for


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status)
    except OSError:
        return 0


def test_serve_starts_a_new_task_worker_when_one_is_killed_and_the_site_keeps_answering(tmp_path: Path):
    env = server_env(tmp_path)
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_demo")
    port = free_port()
    env.update({"HOST": "127.0.0.1", "PORT": str(port), "WEB_WORKERS": "1", "PY": sys.executable})
    serve = subprocess.Popen([str(ROOT / "scripts" / "serve")], env=env, start_new_session=True)
    db = sqlite3.connect(tmp_path / "askdesk.sqlite3", timeout=20)

    def live_worker_pids() -> list[int]:
        rows = db.execute("SELECT pid FROM ops_workerheartbeat ORDER BY started_at").fetchall()
        return [row[0] for row in rows]

    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: status_of(f"{base}/readyz") == 200 and live_worker_pids(), 90, "askdesk to be ready")
        first = live_worker_pids()[-1]
        subprocess.run(["kill", "-KILL", str(first)], check=True)

        wait_for(lambda: any(pid != first for pid in live_worker_pids()), 60, "a new task worker")
        assert serve.poll() is None, "scripts/serve is still running"
        assert status_of(f"{base}/healthz") == 200
        assert status_of(f"{base}/") == 200
    finally:
        db.close()
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(60)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait(10)
