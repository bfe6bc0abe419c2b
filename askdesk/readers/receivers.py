"""Receivers of other apps' signals: they only schedule messages through the services."""

from __future__ import annotations

from typing import Any

from askdesk.readers import services


def confirm_submission(sender: Any, *, question_id: int, token: str, **kwargs: Any) -> None:
    services.reader_confirmation_queue(question_id=question_id, token=token)


def tell_answered(sender: Any, *, question_ids: list[int], answered_by: int, **kwargs: Any) -> None:
    services.readers_answered_queue(question_ids=question_ids, answered_by=answered_by)
