"""The database objects behind question search, per vendor.

SQLite: an FTS5 table over the question table (external content, so the text is not stored
twice), kept in step by triggers on insert, update of the wording and delete.
PostgreSQL: a GIN index on the tsvector of the same wording, and the same tsvector stored in a
generated column (``search_vector``, computed by PostgreSQL on every insert and change of the
wording, so nothing to keep in step), carried with the state in a B-tree index in triage order
(``search_question_recent``): a search among the newest questions of a large call-out reads
that index alone, newest first, testing each entry's vector, and stops at the matches it needs,
instead of reading every match from the GIN index and sorting them
(askdesk/questions/selectors.py, ``triage_page``). The column is not in the Django model; a
later migration that changes the type of ``text`` or ``public_text`` must drop it first.
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder

QUESTION_TABLE = "questions_question"
FTS_TABLE = "search_question_fts"
PG_INDEX = "search_question_tsv"
PG_COLUMN = "search_vector"
PG_RECENT_INDEX = "search_question_recent"
# The one text-search configuration: the index and every query must use the same expression.
PG_CONFIG = "english"

# Written out in full (the table names are the constants above) so no SQL is assembled at run time.
_SQLITE_TABLE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_question_fts USING fts5("
    "text, public_text, content='questions_question', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')"
)
_SQLITE_TRIGGERS = {
    "search_question_ai": (
        "CREATE TRIGGER IF NOT EXISTS search_question_ai AFTER INSERT ON questions_question BEGIN "
        "INSERT INTO search_question_fts(rowid, text, public_text) VALUES (new.id, new.text, new.public_text); END"
    ),
    "search_question_ad": (
        "CREATE TRIGGER IF NOT EXISTS search_question_ad AFTER DELETE ON questions_question BEGIN "
        "INSERT INTO search_question_fts(search_question_fts, rowid, text, public_text) "
        "VALUES ('delete', old.id, old.text, old.public_text); END"
    ),
    "search_question_au": (
        "CREATE TRIGGER IF NOT EXISTS search_question_au AFTER UPDATE OF text, public_text ON questions_question "
        "BEGIN INSERT INTO search_question_fts(search_question_fts, rowid, text, public_text) "
        "VALUES ('delete', old.id, old.text, old.public_text); "
        "INSERT INTO search_question_fts(rowid, text, public_text) VALUES (new.id, new.text, new.public_text); END"
    ),
}
_SQLITE_REBUILD = "INSERT INTO search_question_fts(search_question_fts) VALUES ('rebuild')"
# FTS5 deletes by writing a tombstone next to the old entry; both keep the deleted words in
# the index until segments merge. 'optimize' merges everything now, so a deleted question's
# words leave the index with it (its cost grows with the index: bench/deletion.py).
_SQLITE_PURGE = "INSERT INTO search_question_fts(search_question_fts) VALUES ('optimize')"
# The wording's tsvector: the GIN index and the stored column are both this expression.
_PG_TSVECTOR = f"to_tsvector('{PG_CONFIG}'::regconfig, text || ' ' || public_text)"
_PG_COLUMN_SQL = (
    f"ALTER TABLE {QUESTION_TABLE} ADD COLUMN IF NOT EXISTS {PG_COLUMN} tsvector "
    f"GENERATED ALWAYS AS ({_PG_TSVECTOR}) STORED"
)
# The triage list's order, with what a search tests on each row: read without the table.
_PG_RECENT_INDEX_SQL = (
    f"CREATE INDEX IF NOT EXISTS {PG_RECENT_INDEX} ON {QUESTION_TABLE} "
    f"(callout_id, submitted_at DESC, id DESC) INCLUDE (status, {PG_COLUMN})"
)
_PG_INDEX_SQL = f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {QUESTION_TABLE} USING GIN ({_PG_TSVECTOR})"


def _sqlite_objects(connection: BaseDatabaseWrapper) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE name = %s OR (type = 'trigger' AND tbl_name = %s)",
            [FTS_TABLE, QUESTION_TABLE],
        )
        return {row[0] for row in cursor.fetchall()}


def install(connection: BaseDatabaseWrapper) -> bool:
    """Create what is missing; returns True when anything was created (the index then was rebuilt)."""
    if connection.vendor == "sqlite":
        wanted = {FTS_TABLE, *_SQLITE_TRIGGERS}
        if wanted <= _sqlite_objects(connection):
            return False
        with connection.cursor() as cursor:
            cursor.execute(_SQLITE_TABLE)
            for sql in _SQLITE_TRIGGERS.values():
                cursor.execute(sql)
            # Rows written while a trigger was missing are not indexed: rebuild from the table.
            cursor.execute(_SQLITE_REBUILD)
        return True
    if connection.vendor == "postgresql":
        index = "SELECT 1 FROM pg_indexes WHERE indexname = %s"
        column = "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s"
        needed = [
            (index, [PG_INDEX], _PG_INDEX_SQL),
            (column, [QUESTION_TABLE, PG_COLUMN], _PG_COLUMN_SQL),  # before the index that carries it
            (index, [PG_RECENT_INDEX], _PG_RECENT_INDEX_SQL),
        ]
        created = False
        with connection.cursor() as cursor:
            for exists, params, create in needed:
                cursor.execute(exists, params)
                if not cursor.fetchone():
                    cursor.execute(create)
                    created = True
        return created
    return False


def purge_deleted(connection: BaseDatabaseWrapper) -> None:
    """Drop deleted questions' words from the search index at once.

    PostgreSQL keeps no copy of the text (the GIN index is over the table itself); dead index
    entries go with the table's rows at the next (auto)vacuum.
    """
    if connection.vendor == "sqlite" and FTS_TABLE in _sqlite_objects(connection):
        with connection.cursor() as cursor:
            cursor.execute(_SQLITE_PURGE)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    """Drop the search objects (reverse migration)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in _SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
            cursor.execute(f"DROP INDEX IF EXISTS {PG_RECENT_INDEX}")
            cursor.execute(f"ALTER TABLE {QUESTION_TABLE} DROP COLUMN IF EXISTS {PG_COLUMN}")


def reinstall_after_migrate(*, using: str = "default", plan: Any = None, **kwargs: Any) -> None:
    """post_migrate: restore the objects if a later migration of the question table removed them."""
    connection = connections[using]
    if ("search", "0001_initial") in MigrationRecorder(connection).applied_migrations():
        install(connection)
