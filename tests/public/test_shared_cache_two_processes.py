"""Two web processes, one PostgreSQL, one Redis: a change published through one is served by the other at once.

Runs in the PostgreSQL pass of scripts/test, which starts a throwaway Redis (scripts/with-redis)
beside the throwaway PostgreSQL; skipped elsewhere.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from django.db import connection

from askdesk.answers.services import answer_save
from askdesk.questions.services import question_assign
from tests.conftest import PASSWORD, submit

REPO = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("REDIS_URL", "")
# The web server as scripts/serve starts it; one process each, so the two share nothing but the cache.
WEB_SERVER = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi:application"]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not REDIS_URL, reason="needs REDIS_URL: run under scripts/with-redis"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def two_web_processes(db: object) -> Iterator[list[str]]:
    if connection.vendor != "postgresql":
        pytest.skip("several web processes need a database server: PostgreSQL")
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "ASKDESK_CACHE_URL": REDIS_URL,
        # A process trusts a version number a whole minute: only the shared cache can tell it sooner.
        "ASKDESK_PUBLIC_STATE_SECONDS": "60",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_DEBUG": "0",
        "DATABASE_POOL": "0",
        "ASKDESK_EMBEDDER": "hashing",
    }
    processes, urls = [], []
    for _ in range(2):
        port = free_port()
        processes.append(
            subprocess.Popen(
                WEB_SERVER,
                cwd=REPO,
                env={**env, "HOST": "127.0.0.1", "PORT": str(port), "WEB_WORKERS": "1"},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url in urls:
            for _ in range(300):
                try:
                    if requests.get(url + "/healthz", timeout=5).status_code == 200:
                        break
                except (requests.ConnectionError, requests.Timeout):  # not listening yet, or still starting
                    time.sleep(0.1)
            else:
                pytest.fail(f"{url} did not start")
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)


def test_a_publication_through_one_process_is_served_by_the_other_at_once(two_web_processes, callout, expert, editor):
    first, second = two_web_processes
    question, _ = submit(callout, "Are the airports open?")
    question_assign(question=question, expert=expert, actor=editor)
    answer_save(question=question, expert=expert, body="Yes, since this morning.", submit=True)
    answers = f"/answers/{callout.slug}/"
    before = requests.get(second + answers, timeout=10)
    assert before.status_code == 200 and "Are the airports open?" not in before.text
    assert requests.get(second + answers, timeout=10).headers["ETag"] == before.headers["ETag"]

    desk = requests.Session()
    desk.get(first + "/desk/login/", timeout=10)
    token = desk.cookies["csrftoken"]
    signed_in = desk.post(
        first + "/desk/login/",
        data={"username": editor.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": first + "/desk/login/"},
        timeout=10,
    )
    assert signed_in.status_code == 200 and "Sign out" in signed_in.text
    published = desk.post(
        first + f"/desk/questions/{question.pk}/publish/",
        data={"csrfmiddlewaretoken": desk.cookies["csrftoken"]},
        headers={"Referer": first + "/desk/"},
        timeout=10,
    )
    assert published.status_code == 200 and "Answer approved and published." in published.text

    after = requests.get(second + answers, headers={"If-None-Match": before.headers["ETag"]}, timeout=10)
    assert after.status_code == 200
    assert "Are the airports open?" in after.text and "Yes, since this morning." in after.text
    assert after.headers["ETag"] != before.headers["ETag"]
