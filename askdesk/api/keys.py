"""The key format and its digest. A fast keyed hash, not a password hasher: keys are long
random strings, so an HMAC under the server's secret is as strong and costs microseconds
on every request.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

PREFIX_START = "askd_"
PREFIX_LENGTH = len(PREFIX_START) + 8
_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


def new_key() -> tuple[str, str]:
    """A new key and its prefix: 'askd_' + 8 characters, '_', then 43 random characters."""
    prefix = PREFIX_START + "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"{prefix}_{secrets.token_urlsafe(32)}", prefix


def prefix_of(key: str) -> str | None:
    """The prefix of something shaped like a key, else None."""
    if not key.startswith(PREFIX_START) or len(key) < PREFIX_LENGTH + 2 or key[PREFIX_LENGTH] != "_":
        return None
    return key[:PREFIX_LENGTH]


def key_digest(key: str) -> str:
    secret = f"askdesk.api-key:{settings.SECRET_KEY}".encode()
    return hmac.new(secret, key.encode(), hashlib.sha256).hexdigest()


def key_matches(key: str, digest: str) -> bool:
    return hmac.compare_digest(key_digest(key), digest)
