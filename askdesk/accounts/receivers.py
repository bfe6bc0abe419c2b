"""Sign-in lockouts (django-axes) are logged, and written to the audit trail of the account they hit."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.models import User

from askdesk.audit.services import audit_record

logger = logging.getLogger("askdesk.security")


def record_lockout(sender: Any, *, request: Any = None, username: str | None = None, **kwargs: Any) -> None:
    path = getattr(request, "path", "")
    account = User.objects.filter(username=username).first() if username else None
    # The address is never logged: only whether the account exists and where the attempts came in.
    logger.warning("sign-in locked out after repeated failures: account %s, at %s", username or "?", path)
    if account is not None:
        audit_record(actor=None, action="account.locked_out", target=account, path=path)
