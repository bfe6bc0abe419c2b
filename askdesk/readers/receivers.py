"""Receivers of other apps' signals: they only schedule messages through the services."""

from __future__ import annotations

from typing import Any

from askdesk.ops.tasks import enqueue_on_commit
from askdesk.readers import services, voting
from askdesk.readers.tasks import announce_answered


def confirm_submission(sender: Any, *, question_id: int, token: str, emailed: bool = True, **kwargs: Any) -> None:
    if emailed:  # most readers leave none: then there is no one to look up
        services.reader_confirmation_queue(question_id=question_id, token=token)


def forget_deleted_words(sender: Any, *, question_id: int, **kwargs: Any) -> None:
    voting.round_options_forget(question_id=question_id)


def tell_answered(sender: Any, *, question_ids: list[int], answered_by: int, **kwargs: Any) -> None:
    # A group can hold hundreds of readers: their messages are queued by the worker, not in
    # the editor's publishing request.
    enqueue_on_commit(announce_answered, question_ids=list(question_ids), answered_by=answered_by)
