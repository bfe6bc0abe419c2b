"""Authentication: `Authorization: Bearer KEY`, one scope per operation, rate-limited per key.

Sessions never authorise the API: a signed-in editor's browser gets nothing from it without
a key, so no cross-site request can act with the editor's cookies.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from askdesk.api.models import ApiKey
from askdesk.api.problems import RATE_LIMITED, ApiProblem
from askdesk.api.selectors import api_key_for
from askdesk.api.services import api_key_touch
from askdesk.ops.limits import limit_wait

PUBLIC = "public"


def _limited(wait: int) -> ApiProblem:
    return ApiProblem(
        429, f"Too many requests: try again in {wait} s.", type=RATE_LIMITED, headers={"Retry-After": str(wait)}
    )


class KeyAuth(HttpBearer):
    """A key of the newsroom with ``scope``; the key becomes ``request.auth``."""

    def __init__(self, scope: str) -> None:
        super().__init__()
        self.scope = scope

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        scheme, _, _ = header.partition(" ")
        if scheme.lower() != "bearer":
            raise ApiProblem(401, "Send an API key as 'Authorization: Bearer KEY'.", headers=_challenge())
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey:
        key = api_key_for(plain=token)
        if key is None:
            # The same answer for an unknown key and a wrong secret, against key enumeration.
            raise ApiProblem(401, "The API key is not valid or was revoked.", headers=_challenge())
        wait = limit_wait(request, "api_key", target=f"key:{key.prefix}")
        if wait is not None:
            raise _limited(wait)
        if not key.has_scope(self.scope):
            raise ApiProblem(403, f"This key lacks the '{self.scope}' scope.")
        api_key_touch(key=key)
        return key


def _challenge() -> dict[str, str]:
    return {"WWW-Authenticate": 'Bearer realm="askdesk"'}


def public_access(request: HttpRequest) -> str:
    """No key needed; limited per client address so that one script cannot take the API."""
    wait = limit_wait(request, "api_public")
    if wait is not None:
        raise _limited(wait)
    return PUBLIC


read = KeyAuth("read")
triage = KeyAuth("triage")
publish = KeyAuth("publish")
webhooks = KeyAuth("webhooks")
