"""Cursor (keyset) pagination: the cursor holds the sort values of the last item returned.

Cursors are opaque to clients (URL-safe base64 of JSON). A page never skips or repeats a
row that stayed put, however many rows arrive meanwhile, and no OFFSET is ever counted.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Field as DjangoField
from django.db.models import Model, Q, QuerySet

from askdesk.api.problems import INVALID_INPUT, ApiProblem

M = TypeVar("M", bound=Model)

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def _encode(values: list[Any]) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, datetime) else v for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _invalid() -> ApiProblem:
    return ApiProblem(
        400,
        "The cursor is not one this API gave out.",
        type=INVALID_INPUT,
        errors=[{"field": "query.cursor", "message": "Invalid cursor"}],
    )


def _decode(cursor: str, model: type[Model], fields: list[str]) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error) as error:
        raise _invalid() from error
    if not isinstance(values, list) or len(values) != len(fields):
        raise _invalid()
    parsed = []
    for name, value in zip(fields, values, strict=True):
        field = model._meta.get_field(name.lstrip("-"))
        assert isinstance(field, DjangoField)
        if value is None or isinstance(value, (dict, list, bool)):
            raise _invalid()
        try:
            parsed.append(field.to_python(value))
        except (ValidationError, ValueError, TypeError, OverflowError) as error:
            raise _invalid() from error
    return parsed


def _after(fields: list[str], values: list[Any]) -> Q:
    """Rows that come after ``values`` in the order of ``fields`` ("-x" descending)."""
    condition = Q()
    for i, name in enumerate(fields):
        step = Q(**{f"{f.lstrip('-')}": v for f, v in zip(fields[:i], values[:i], strict=True)})
        op = "lt" if name.startswith("-") else "gt"
        step &= Q(**{f"{name.lstrip('-')}__{op}": values[i]})
        condition |= step
    return condition


def paginate(queryset: QuerySet[M], *, order: list[str], cursor: str | None, limit: int) -> tuple[list[M], str | None]:
    """One page of ``queryset`` in ``order`` (which must end with a unique field) and the next cursor."""
    queryset = queryset.order_by(*order)
    if cursor:
        queryset = queryset.filter(_after(order, _decode(cursor, queryset.model, order)))
    rows = list(queryset[: limit + 1])
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    last = rows[-1]
    return rows, _encode([getattr(last, name.lstrip("-")) for name in order])
