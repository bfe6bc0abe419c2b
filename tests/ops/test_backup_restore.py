"""scripts/backup and scripts/restore: a round trip on the database the suite runs on."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from askdesk.search.schema import PG_INDEX
from tests.conftest import submit

ROOT = Path(__file__).resolve().parents[2]
# The search app's migrations, all recorded as applied in a restored database.
SEARCH_MIGRATIONS = len(list((ROOT / "askdesk" / "search" / "migrations").glob("[0-9]*.py")))


def script(name: str, *args: str, database_url: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "PY": sys.executable, "ASKDESK_DATA_DIR": str(tmp_path)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [str(ROOT / "scripts" / name), *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_sqlite_backup_holds_writes_still_in_the_write_ahead_log_and_restores_them(tmp_path):
    live = tmp_path / "live.sqlite3"
    writer = sqlite3.connect(live)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE question (id INTEGER PRIMARY KEY, text TEXT)")
    with writer:
        writer.executemany("INSERT INTO question (text) VALUES (?)", [(f"question {n}",) for n in range(50)])
    assert (tmp_path / "live.sqlite3-wal").stat().st_size > 0, "the rows are only in the WAL"

    backup = tmp_path / "backup.sqlite3"
    script("backup", str(backup), database_url=f"sqlite:///{live}", tmp_path=tmp_path)
    restored = tmp_path / "restored.sqlite3"
    script("restore", str(backup), database_url=f"sqlite:///{restored}", tmp_path=tmp_path)
    writer.close()
    rows = sqlite3.connect(restored).execute("SELECT count(*), max(text) FROM question").fetchone()
    assert rows == (50, "question 9")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump/pg_restore need the PostgreSQL run")
@pytest.mark.django_db(transaction=True)
def test_pg_dump_and_pg_restore_bring_back_every_question_and_its_search_index(callout, tmp_path):
    texts = [f"Will Iran retaliate, asks reader {n}?" for n in range(30)]
    for text in texts:
        submit(callout, text)
    settings = connection.settings_dict
    server = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}"
    restored_name = f"{settings['NAME']}_restored"

    dump = tmp_path / "askdesk.dump"
    script("backup", str(dump), database_url=f"{server}/{settings['NAME']}", tmp_path=tmp_path)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{restored_name}"')
        cursor.execute(f'CREATE DATABASE "{restored_name}"')
    try:
        script("restore", str(dump), database_url=f"{server}/{restored_name}", tmp_path=tmp_path)
        with psycopg.connect(f"{server}/{restored_name}") as restored:
            count = restored.execute("SELECT count(*) FROM questions_question").fetchone()
            indexes = restored.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'questions_question'")
            found = restored.execute(
                "SELECT count(*) FROM questions_question "
                "WHERE to_tsvector('english'::regconfig, text || ' ' || public_text) "
                "@@ plainto_tsquery('english', 'retaliate')"
            ).fetchone()
            applied = restored.execute("SELECT count(*) FROM django_migrations WHERE app = 'search'").fetchone()
            assert count == (len(texts),)
            assert PG_INDEX in {row[0] for row in indexes}
            assert found == (len(texts),)
            assert applied == (SEARCH_MIGRATIONS,)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')
