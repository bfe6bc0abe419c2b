"""The web server as config/gunicorn.py runs it: connections spread over its processes, each ready before it serves."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import psutil

from tests.ops.test_serve import free_port
from tests.ops.test_worker_killed import ROOT, server_env, wait_for

WEB_SERVER = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"]


def get_healthz(sock: socket.socket) -> bytes:
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    return sock.recv(65536)


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
            return get_healthz(sock).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def test_a_burst_of_kept_alive_connections_is_spread_over_both_web_processes(tmp_path: Path):
    port = free_port()
    env = {**server_env(tmp_path), "HOST": "127.0.0.1", "PORT": str(port), "WEB_WORKERS": "2", "WEB_THREADS": "2"}
    server = subprocess.Popen(WEB_SERVER, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    readers: list[socket.socket] = []
    try:
        wait_for(lambda: len(psutil.Process(server.pid).children()) == 2 and answers(port), 90, "both web processes")
        # 64 readers arrive at once and keep their connections, as a browser (or wrk) does.
        readers = [socket.create_connection(("127.0.0.1", port), timeout=30) for _ in range(64)]
        for sock in readers:
            assert get_healthz(sock).startswith(b"HTTP/1.1 200")
        held = [
            sum(1 for c in worker.net_connections("tcp") if c.status == psutil.CONN_ESTABLISHED)
            for worker in psutil.Process(server.pid).children()
        ]
        # Spread by the kernel at random: fewer than 16 of 64 on one side is a 1-in-30,000 chance.
        assert sum(held) == 64
        assert min(held) >= 16, held
    finally:
        for sock in readers:
            sock.close()
        server.terminate()
        server.wait(60)


def test_a_web_process_has_read_the_contact_detail_rules_and_set_its_start_aside_before_its_first_request(
    tmp_path: Path,
):
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import gc, config.wsgi; from phonenumbers.phonemetadata import PhoneMetadata; "
            "print(gc.get_freeze_count(), ' '.join(sorted(PhoneMetadata._region_metadata)))",
        ],
        cwd=ROOT,
        env={**server_env(tmp_path), "PYTHONPATH": str(ROOT), "PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    from askdesk.nlp.scrub import DEFAULT_REGIONS

    assert set(DEFAULT_REGIONS) <= set(loaded[1:])
    # What the process loaded to start is no longer walked by each full garbage collection.
    assert int(loaded[0]) > 50_000


def test_a_second_web_server_on_a_port_in_use_refuses_to_start_instead_of_sharing_it(tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**server_env(tmp_path), "HOST": "127.0.0.1", "PORT": str(port), "WEB_WORKERS": "1"}
        second = subprocess.run(WEB_SERVER, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert second.returncode != 0
    assert f"127.0.0.1:{port} is already in use" in second.stderr
