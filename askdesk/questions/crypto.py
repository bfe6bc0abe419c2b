"""Encryption at rest for readers' contact details.

Fernet (AES-128-CBC with HMAC-SHA256) through MultiFernet: the first key in
``ASKDESK_CONTACT_KEYS`` encrypts, every key decrypts, so keys rotate without downtime.
A database copy without the keys reveals no contact detail.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=8)
def _keyring(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("ASKDESK_CONTACT_KEYS is empty: contact details cannot be encrypted.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(f"ASKDESK_CONTACT_KEYS holds a key that is not a Fernet key: {error}") from error


def keyring() -> MultiFernet:
    return _keyring(tuple(settings.ASKDESK_CONTACT_KEYS))


def encrypt(value: str) -> str:
    return keyring().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return keyring().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured("A contact detail cannot be decrypted with the configured keys.") from error


def rotate(token: str) -> str:
    """The same value encrypted again with the newest key."""
    return keyring().rotate(token.encode()).decode() if token else ""


def lookup_digest(email: str) -> str:
    """A keyed digest of a normalised email address, to find a reader's data without decrypting."""
    normalised = email.strip().lower()
    if not normalised:
        return ""
    key = settings.ASKDESK_CONTACT_LOOKUP_KEY.encode()
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text column whose value is stored Fernet-encrypted and read back in clear."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str:
        return decrypt(value) if value else ""

    def get_prep_value(self, value: Any) -> str:
        value = super().get_prep_value(value)
        return encrypt(value) if value else ""
