"""A database cache whose increment is atomic, for counters shared by every web process.

Django's DatabaseCache increments with a read then a write, so two processes counting at once
can both write the same number and a rate limit lets through more than it says. Here the
read and the write happen in one transaction that holds the row (``SELECT ... FOR UPDATE`` on
PostgreSQL; on SQLite askdesk's transactions take the write lock when they begin), and the
write keeps the row's expiry.
"""

from __future__ import annotations

import base64
import pickle
from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction


class AtomicDatabaseCache(DatabaseCache):
    _table: str  # set by BaseDatabaseCache from LOCATION

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        made_key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        with transaction.atomic(using=db):
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT cache_key FROM {table} WHERE cache_key = %s{lock}", [made_key])  # noqa: S608
                held = cursor.fetchone() is not None
            value = self.get(key, version=version) if held else None
            if value is None:
                raise ValueError(f"Key '{key}' not found")
            new_value = int(value) + delta
            encoded = base64.b64encode(pickle.dumps(new_value, self.pickle_protocol)).decode("latin1")
            with connection.cursor() as cursor:
                cursor.execute(f"UPDATE {table} SET value = %s WHERE cache_key = %s", [encoded, made_key])  # noqa: S608
        return new_value
