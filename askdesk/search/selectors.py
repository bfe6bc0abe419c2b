"""Question search: one interface over SQLite FTS5 and PostgreSQL full-text search."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.db import NotSupportedError, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, F, Func, Q, QuerySet
from django.db.models.sql.compiler import SQLCompiler

from askdesk.search.schema import FTS_TABLE, PG_COLUMN, PG_CONFIG

if TYPE_CHECKING:
    from askdesk.questions.models import Question

# Letters and digits only: punctuation is never passed to a query language, so nothing a
# reader or editor types can break or widen a search.
_TERM = re.compile(r"[^\W_]+")
MAX_TERMS = 16


def search_terms(text: str) -> list[str]:
    """The words of a search, lower-cased, in order, without repeats (at most MAX_TERMS)."""
    terms: list[str] = []
    for term in _TERM.findall(text.lower()):
        if term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


class _QuestionMatches(Func):
    """True where a question's wording (reader's text or the published wording) has every term.

    Each term also matches words it begins ("retal" finds "retaliate"), and both engines stem
    English words, so "strikes" finds "strike".

    ``scan``: on PostgreSQL, test each row's stored vector rather than read the matches from the
    GIN index; for a query that other conditions already narrow to a few thousand rows.
    """

    output_field = BooleanField()

    def __init__(self, terms: list[str], *, scan: bool = False) -> None:
        self.terms = terms
        self.scan = scan
        super().__init__(F("pk"), F("text"), F("public_text"))

    def _compiled(self, compiler: SQLCompiler) -> list[tuple[str, list[Any]]]:
        return [compiler.compile(expression) for expression in self.get_source_expressions()]  # type: ignore[misc]

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any) -> tuple[str, list[Any]]:
        (pk_sql, pk_params), _, _ = self._compiled(compiler)
        query = " ".join('"' + term.replace('"', '""') + '"*' for term in self.terms)
        sql = f"{pk_sql} IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"  # noqa: S608
        return sql, [*pk_params, query]

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        _, (text_sql, text_params), (public_sql, public_params) = self._compiled(compiler)
        query = " & ".join(f"'{term}':*" for term in self.terms)
        if self.scan:
            # The stored vector (schema.py), read from the index in triage order, not the GIN index.
            table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
            column = connection.ops.quote_name(PG_COLUMN)
            return f"{table}.{column} @@ to_tsquery('{PG_CONFIG}'::regconfig, %s)", [query]
        # Written exactly as the GIN index expression (see schema.py), so PostgreSQL uses the index.
        sql = (
            f"to_tsvector('{PG_CONFIG}'::regconfig, {text_sql} || ' ' || {public_sql}) "
            f"@@ to_tsquery('{PG_CONFIG}'::regconfig, %s)"
        )
        return sql, [*text_params, *public_params, query]

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotSupportedError(f"No full-text search for {connection.vendor}.")


def search_questions(queryset: QuerySet[Question], text: str, *, scan: bool = False) -> QuerySet[Question]:
    """Questions of ``queryset`` whose wording has every word of ``text``; unchanged if ``text`` is blank.

    A search with no letters or digits (e.g. "??") finds nothing. On databases other than SQLite
    and PostgreSQL, falls back to a substring match on each word. ``scan``: the queryset is
    narrowed to a few thousand rows, to be tested one by one (PostgreSQL; see ``_QuestionMatches``).
    """
    if not text.strip():
        return queryset
    terms = search_terms(text)
    if not terms:
        return queryset.none()
    if connections[queryset.db].vendor in {"sqlite", "postgresql"}:
        return queryset.filter(_QuestionMatches(terms, scan=scan))
    condition = Q()
    for term in terms:
        condition &= Q(text__icontains=term) | Q(public_text__icontains=term)
    return queryset.filter(condition)
