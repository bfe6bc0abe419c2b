"""Protection of the reader's form against forged posts, without a cookie.

The form is embedded in newsrooms' pages, where browsers block third-party cookies, and it is
served from a shared cache, so Django's cookie-based CSRF token cannot be used. Instead:

- the form carries a token signed with the secret key, bound to its call-out and to the hour
  it was made in (so every reader of a cached page gets the same one), accepted for
  ``MAX_AGE_SECONDS`` after that hour began;
- the browser's ``Origin`` (and, when a browser hides it, ``Sec-Fetch-Site``) must name askdesk
  itself or a site the newsroom allowed to embed it.

docs/security.md ("Embedded form and forged posts") says why this is enough.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.http import HttpRequest

SALT = "askdesk.questions.form-token"
BUCKET_SECONDS = 3600
# An hour's bucket, plus the longest a cached page may be served stale, plus time to write.
MAX_AGE_SECONDS = 4 * 3600


def form_token(*, callout_id: int, now: float | None = None) -> str:
    """The same string for every reader of a call-out within an hour: cached pages may carry it."""
    bucket = int(time.time() if now is None else now) // BUCKET_SECONDS
    return signing.dumps([callout_id, bucket], salt=SALT, compress=False)


def form_token_valid(token: str, *, callout_id: int, now: float | None = None) -> bool:
    """True for a token askdesk made for this call-out, no older than ``MAX_AGE_SECONDS``."""
    try:
        found = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return False
    if not (isinstance(found, list) and len(found) == 2 and all(isinstance(part, int) for part in found)):
        return False
    token_callout, bucket = found
    now = time.time() if now is None else now
    made = bucket * BUCKET_SECONDS
    return bool(token_callout == callout_id and made <= now and now - made < MAX_AGE_SECONDS)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def post_origin_refused(request: HttpRequest, *, allowed_origins: list[str]) -> str:
    """Why a browser's post must be refused, or "" when it comes from askdesk or an allowed site.

    Browsers send ``Origin`` on every cross-origin POST and page scripts cannot change it. A
    post without it and without ``Sec-Fetch-Site`` comes from an old browser or from a program
    (which could send any header): the signed token, the honeypot and the rate limits cover it.
    """
    allowed = {
        _origin(request.build_absolute_uri("/")),
        _origin(settings.ASKDESK_PUBLIC_BASE_URL),
        *(origin.lower() for origin in allowed_origins),
    }
    origin = request.headers.get("Origin")
    if origin is not None:
        return "" if origin.lower() in allowed else f"posted from {origin}"
    if request.headers.get("Sec-Fetch-Site") in {"cross-site", "same-site"}:
        return "posted from another site that hid its origin"
    return ""
