"""Errors as RFC 9457 problem details (application/problem+json)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from ninja import Schema

PROBLEM_CONTENT_TYPE = "application/problem+json"
INVALID_INPUT = "urn:askdesk:problem:invalid-input"
REFUSED = "urn:askdesk:problem:refused"
RATE_LIMITED = "urn:askdesk:problem:rate-limited"


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    """RFC 9457 problem details; ``errors`` lists what was wrong with each input field."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    errors: list[FieldError] = []


class ApiProblem(Exception):
    """Raised by API code to answer with a problem."""

    def __init__(
        self,
        status: int,
        detail: str = "",
        *,
        type: str = "about:blank",
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.type = type
        self.errors = errors or []
        self.headers = headers or {}


def problem(status: int, detail: str = "", *, type: str = "about:blank", errors: Any = None) -> dict[str, Any]:
    title = HTTPStatus(status).phrase if type == "about:blank" or type != INVALID_INPUT else "Invalid input"
    return {"type": type, "title": title, "status": status, "detail": detail, "errors": list(errors or [])}


def field_errors(pydantic_errors: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Ninja's validation errors as [{field, message}]; ``field`` is 'query.limit', 'body.url', ..."""
    found = []
    for error in pydantic_errors:
        location = [str(part) for part in error.get("loc", ())]
        found.append({"field": ".".join(location) or "request", "message": str(error.get("msg", "is not valid"))})
    return found
