"""/healthz, /readyz, the worker heartbeat and the security headers every page carries."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import OperationalError
from django.utils import timezone

from askdesk.ops import health
from askdesk.ops.heartbeat import Heartbeat, heartbeat_record
from askdesk.ops.models import WorkerHeartbeat

# The load balancer's probe, which is given the token and so sees each check.
PROBE = {"Authorization": "Bearer probe-token-for-tests"}


@pytest.fixture(autouse=True)
def _readyz_token(settings):
    settings.ASKDESK_READYZ_TOKEN = "probe-token-for-tests"


TEMPLATES = Path(__file__).resolve().parents[2] / "askdesk" / "templates"


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: pytest-django raises on any database access in this test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_is_ready_when_the_database_answers_and_no_worker_is_required(client, settings):
    settings.ASKDESK_READY_REQUIRES_WORKER = False
    response = client.get("/readyz", headers=PROBE)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["checks"]["database"]["ok"] and body["checks"]["worker"]["ok"]


@pytest.mark.django_db
def test_readyz_says_no_worker_has_reported(client, settings):
    settings.ASKDESK_READY_REQUIRES_WORKER = True
    response = client.get("/readyz", headers=PROBE)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["worker"] == {"ok": False, "detail": "no worker has ever reported"}


@pytest.mark.django_db
def test_readyz_follows_the_age_of_the_latest_worker_heartbeat(client, settings):
    settings.ASKDESK_READY_REQUIRES_WORKER = True
    settings.ASKDESK_WORKER_STALE_SECONDS = 60
    heartbeat_record(worker_id="w1", queues="*", started_at=timezone.now())
    assert client.get("/readyz", headers=PROBE).status_code == 200
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(seconds=90))
    response = client.get("/readyz", headers=PROBE)
    assert response.status_code == 503
    assert "last worker heartbeat 90 s ago" in response.json()["checks"]["worker"]["detail"]


def test_readyz_names_the_database_when_it_is_unreachable(client, monkeypatch):
    class DownConnection:
        vendor = "postgresql"

        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", DownConnection())
    response = client.get("/readyz", headers=PROBE)
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == {"ok": False, "detail": "database unreachable: OperationalError"}
    assert checks["worker"]["ok"] is False


@pytest.mark.django_db(transaction=True)
def test_a_heartbeat_thread_beats_until_stopped_then_removes_its_row():
    beat = Heartbeat(worker_id="thread-test", queues="*", interval=0.05)
    beat.start()
    try:
        deadline = time.monotonic() + 10
        seen = []
        while time.monotonic() < deadline and len(set(seen)) < 2:
            row = WorkerHeartbeat.objects.filter(worker_id="thread-test").first()
            if row is not None:
                seen.append(row.seen_at)
            time.sleep(0.05)
        assert len(set(seen)) >= 2, "the heartbeat was not rewritten"
    finally:
        beat.stop()
    assert not beat.is_alive()
    assert not WorkerHeartbeat.objects.filter(worker_id="thread-test").exists()


@pytest.mark.django_db
def test_heartbeats_of_workers_gone_for_a_day_are_forgotten():
    heartbeat_record(worker_id="old", queues="*", started_at=timezone.now())
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(days=2))
    heartbeat_record(worker_id="new", queues="*", started_at=timezone.now())
    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["new"]


def test_probes_are_not_redirected_to_https_but_pages_are(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/desk/").status_code == 301


@pytest.mark.django_db
def test_pages_and_probes_carry_a_strict_content_security_policy(client, callout):
    for url in ("/", f"/stories/{callout.story.slug}/", "/healthz", "/desk/login/"):
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, url
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_templates_have_no_inline_scripts_so_the_policy_breaks_nothing():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    handler = re.compile(r"\son[a-z]+\s*=|javascript:", re.IGNORECASE)
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if inline_script.search(path.read_text()) or handler.search(path.read_text())
    ]
    assert offenders == []
