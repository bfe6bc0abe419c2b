"""Tasks for the tests of askdesk.ops.tasks: module level, as django-tasks requires."""

from __future__ import annotations

from datetime import timedelta

from askdesk.ops.tasks import retrying_task

# Calls per key, so a test can tell how many attempts ran.
CALLS: dict[str, int] = {}


class Flaky(ConnectionError):
    pass


@retrying_task(attempts=3, backoff=timedelta(seconds=30), retry_on=(ConnectionError,))
def succeeds_on(key: str, attempt: int) -> int:
    """Fails with a retried error until its ``attempt``-th call."""
    CALLS[key] = CALLS.get(key, 0) + 1
    if CALLS[key] < attempt:
        raise Flaky(f"call {CALLS[key]} of {key} fails")
    return CALLS[key]


@retrying_task(attempts=3, retry_on=(ConnectionError,))
def broken(key: str) -> None:
    """Fails with an error that is not worth retrying."""
    CALLS[key] = CALLS.get(key, 0) + 1
    raise ValueError("a bug, not a hiccup")


@retrying_task(queue_name="elsewhere")
def on_another_queue(key: str) -> str:
    CALLS[key] = CALLS.get(key, 0) + 1
    return key
