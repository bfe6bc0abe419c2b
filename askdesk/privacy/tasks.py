"""Background tasks of the privacy app (run by `manage.py worker`; enqueued daily by the workers)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta

from askdesk.ops.tasks import retrying_task
from askdesk.privacy.services import retention_apply


@retrying_task(attempts=5, backoff=timedelta(minutes=5))
def apply_retention() -> dict[str, int]:
    return asdict(retention_apply())
