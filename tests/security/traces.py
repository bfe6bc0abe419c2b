"""Where a reader's words could linger: every table of the database, and the Django caches.

Reusable: any test that must show something is gone (a deleted question, an expired contact
detail) searches these texts for a canary.
"""

from __future__ import annotations

import pickle
from pathlib import Path

from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection


def _as_text(value: object) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        # Blobs (FTS5 segments, vectors, pickles) are searched byte for byte.
        return bytes(value).decode("latin-1")
    return str(value)


def table_texts() -> dict[str, str]:
    """Every column of every row of each table (search index tables included), lower-cased."""
    texts: dict[str, str] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor, include_views=False):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = cursor.fetchall()
            texts[table] = "\n".join(" ".join(_as_text(value) for value in row) for row in rows).lower()
    return texts


def database_text() -> str:
    """Every column of every row of every table, lower-cased: what a dump of the database shows."""
    return "\n".join(table_texts().values())


def cache_text() -> str:
    """Every value held by the configured caches that can be read in-process, lower-cased."""
    chunks: list[str] = []
    for cache in caches.all(initialized_only=False):
        if isinstance(cache, LocMemCache):
            values = list(cache._cache.values())
            chunks.extend(_as_text(value) for value in values)
            for value in values:
                try:
                    chunks.append(repr(pickle.loads(value)))
                except Exception:  # a value that cannot be unpickled is searched as bytes
                    continue
        elif isinstance(cache, FileBasedCache):
            for path in Path(cache._dir).glob("*"):
                chunks.append(_as_text(path.read_bytes()))
    return "\n".join(chunks).lower()
