"""Production settings come from the environment and pass Django's deployment checks."""

from __future__ import annotations

import base64
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    """The variables .env.example lists for production, with throwaway values."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "ASKDESK_", "DATABASE_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "ASKDESK_ENV": "production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "askdesk.example.org",
            "DJANGO_CSRF_TRUSTED_ORIGINS": "https://askdesk.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'askdesk.sqlite3'}",
            "ASKDESK_DATA_DIR": str(tmp_path),
            "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
            "ASKDESK_CONTACT_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            "ASKDESK_CONTACT_LOOKUP_KEY": secrets.token_urlsafe(32),
        }
    )
    env.update(overrides)
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_with_production_environment_and_no_warnings(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_are_strict(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.ALLOWED_HOSTS, s.TASKS['default']['BACKEND'])"
    )
    result = manage(production_env(tmp_path), "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "False",
        "True",
        "True",
        "True",
        "True",
        "['askdesk.example.org']",
        "django_tasks_db.DatabaseBackend",
    ]


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["DJANGO_SECRET_KEY"]
    result = manage(env, "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production" in result.stderr


def test_check_deploy_warns_when_https_is_switched_off(tmp_path):
    # The check can fail: it is not passing because nothing is checked.
    result = manage(
        production_env(tmp_path, DJANGO_SECURE_SSL_REDIRECT="0"), "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_env_example_lists_every_variable_the_settings_read():
    settings_source = (ROOT / "config" / "settings.py").read_text()
    read = set(re.findall(r"env(?:_bool|_list)?\(\s*\"([A-Z0-9_]+)\"", settings_source))
    listed = set(re.findall(r"^#? ?([A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert "DATABASE_URL" in read and "ASKDESK_CSP" in read
    assert read - listed == set()


def test_env_example_can_be_sourced_by_a_shell_with_every_line_uncommented(tmp_path):
    text = (ROOT / ".env.example").read_text()
    uncommented = re.sub(r"^# ?([A-Z0-9_]+=)", r"\1", text, flags=re.MULTILINE)
    show = 'set -eu -a; . "$1"; printf "%s\\n%s\\n" "$ASKDESK_NEWSROOM_NAME" "$DATABASE_URL"'
    for name, content in {"as-shipped": text, "uncommented": uncommented}.items():
        path = tmp_path / name
        path.write_text(content)
        result = subprocess.run(
            ["bash", "-c", show, "-", str(path)],
            capture_output=True,
            text=True,
            timeout=30,
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        )
        assert result.returncode == 0 and result.stderr == "", (name, result.stderr)
        assert result.stdout.splitlines() == ["The Newsroom", "postgres://askdesk:change-me@db.internal:5432/askdesk"]
    csp = subprocess.run(
        ["bash", "-c", 'set -a; . "$1"; printf "%s" "$ASKDESK_CSP"', "-", tmp_path / "uncommented"],
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout
    assert csp.startswith("default-src 'self'; script-src 'self';") and csp.endswith("frame-ancestors 'none'")


def test_make_run_takes_host_port_and_database_url_from_the_environment():
    env = {**os.environ, "HOST": "127.0.0.2", "PORT": "8123", "DATABASE_URL": "sqlite:////tmp/second.sqlite3"}
    dry_run = subprocess.run(["make", "-n", "run"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert dry_run.returncode == 0, dry_run.stderr
    assert "HOST=127.0.0.2 PORT=8123" in dry_run.stdout
    # Nothing on the way overrides the database chosen by the environment.
    for path in ("Makefile", "scripts/serve"):
        assert not re.search(r"^\s*(export\s+)?DATABASE_URL\s*[:?]?=", (ROOT / path).read_text(), re.MULTILINE)
    serve = (ROOT / "scripts" / "serve").read_text()
    assert "${HOST" in serve and "${PORT" in serve  # read from the environment, with defaults


def test_numeric_libraries_run_the_configured_number_of_threads(settings):
    from threadpoolctl import threadpool_info

    from askdesk.analysis.apps import limit_numeric_threads

    blas = [pool for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert blas, "numpy's BLAS is loaded once Django is set up"
    assert {pool["num_threads"] for pool in blas} == {1}  # the default, applied at start-up
    settings.ASKDESK_NUMERIC_THREADS = 2
    try:
        limit_numeric_threads()
        assert {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"} == {2}
    finally:
        settings.ASKDESK_NUMERIC_THREADS = 1
        limit_numeric_threads()
