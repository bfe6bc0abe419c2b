"""Fixtures for API tests: keys with chosen scopes, and a client that sends them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from askdesk.api.services import api_key_create
from askdesk.newsrooms.models import Newsroom

ALL_SCOPES = ["read", "triage", "publish", "webhooks"]


@pytest.fixture
def make_key(newsroom: Newsroom) -> Callable[..., str]:
    def make(*scopes: str, room: Newsroom | None = None, name: str = "CMS") -> str:
        _, plain = api_key_create(newsroom=room or newsroom, name=name, scopes=list(scopes or ALL_SCOPES), actor=None)
        return plain

    return make


class ApiClient:
    """Django's test client with the key in the Authorization header and JSON bodies."""

    def __init__(self, key: str | None = None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def get(self, path: str, **extra: Any) -> Any:
        return self.client.get(path, headers={**self.headers, **extra.pop("headers", {})}, **extra)

    def post(self, path: str, data: Any = None, **extra: Any) -> Any:
        return self.client.post(
            path, data or {}, content_type="application/json", headers={**self.headers, **extra.pop("headers", {})}
        )

    def delete(self, path: str) -> Any:
        return self.client.delete(path, headers=self.headers)


@pytest.fixture
def api(make_key: Callable[..., str]) -> ApiClient:
    """A client with a key holding every scope."""
    return ApiClient(make_key())


@pytest.fixture
def anonymous_api(db: Any) -> ApiClient:
    return ApiClient()
