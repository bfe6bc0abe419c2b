"""Readers' private links, and the form's idempotency key that must never lead to one.

The private link is a random secret made on the server (256 bits); only its SHA-256 hash is
stored. The form carries a ``submission_key`` so that sending it twice stores one question.
That key comes from the client, and a cached page can hand the same key to many readers, so:

- it is stored only as a keyed HMAC (the server's secret) of the call-out, the key and a
  digest of everything submitted: a duplicate is the same key *and* the same content on the
  same call-out; another reader's question with the same key is a new question;
- the link secret is kept for the duplicate sealed (Fernet) under a key derived from the
  server's secret, the submission key and the content digest. Only a client that sends the
  exact same submission again can open it; the database alone, or the key alone, cannot.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.utils.crypto import salted_hmac

TOKEN_BYTES = 32  # 256 bits


def new_token() -> str:
    """A fresh private-link secret."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """What is stored of a private link: its SHA-256, enough to find the question, useless to open it."""
    return hashlib.sha256(token.encode()).hexdigest()


def content_digest(content: Mapping[str, Any]) -> str:
    """A digest of a whole cleaned submission (never stored as such)."""
    canonical = json.dumps(dict(content), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Submission:
    """One submission as the idempotency check sees it: call-out, the form's key, content digest."""

    callout_id: int
    key: str
    digest: str

    def _mac(self, purpose: str) -> Any:
        return salted_hmac(
            f"askdesk.questions.{purpose}", f"{self.callout_id}:{self.key}:{self.digest}", algorithm="sha256"
        )

    def fingerprint(self) -> str:
        """The stored form of the idempotency key: keyed, bound to its call-out and to the content."""
        return str(self._mac("submission").hexdigest())

    def _sealing_key(self) -> Fernet:
        return Fernet(base64.urlsafe_b64encode(self._mac("link-seal").digest()))

    def seal(self, token: str) -> str:
        """The link secret, encrypted so that only this same submission opens it again."""
        return self._sealing_key().encrypt(token.encode()).decode()

    def unseal(self, sealed: str) -> str | None:
        """The link secret sealed by :meth:`seal` for this same submission, else None."""
        if not sealed:
            return None
        try:
            return self._sealing_key().decrypt(sealed.encode()).decode()
        except InvalidToken:
            return None
