"""Turn what the services did into webhook events. Receivers only schedule: deliveries are
rows written in the service's transaction, sent by the worker after it commits."""

from __future__ import annotations

from typing import Any

from django.db import models

from askdesk.audit.models import AuditEvent
from askdesk.callouts.models import Callout
from askdesk.ops.tasks import enqueue_on_commit
from askdesk.questions.models import Question
from askdesk.webhooks import events as payloads
from askdesk.webhooks.models import Event
from askdesk.webhooks.selectors import listened_events
from askdesk.webhooks.services import webhook_deliveries_forget_question, webhook_event_emit


def listening(event: str) -> bool:
    """Some active endpoint, of any newsroom, hears ``event`` (cached for a second: ``listened_events``)."""
    return event in listened_events()


def question_received(sender: Any, *, question_id: int, **kwargs: Any) -> None:
    # On the path of every reader's submission: no query when nobody listens (one a second per process).
    if not listening(Event.QUESTION_RECEIVED):
        return
    question = Question.objects.select_related("callout__story").filter(pk=question_id).first()
    if question is None:
        return
    webhook_event_emit(
        newsroom_id=question.callout.story.newsroom_id,
        event=Event.QUESTION_RECEIVED,
        callout_id=question.callout_id,
        question_id=question.pk,
        data=lambda: payloads.question_received(question),
    )


# Audit actions that are webhook events, whichever service records them.
QUESTION_ACTIONS = {
    "question.publish": (Event.ANSWER_PUBLISHED, payloads.answer_published),
    "question.unpublish": (Event.ANSWER_UNPUBLISHED, payloads.question_ref),
}


def action_recorded(sender: Any, *, event: AuditEvent, target: models.Model, **kwargs: Any) -> None:
    if event.action in QUESTION_ACTIONS and isinstance(target, Question):
        name, build = QUESTION_ACTIONS[event.action]
        webhook_event_emit(
            newsroom_id=target.callout.story.newsroom_id,
            event=name,
            callout_id=target.callout_id,
            question_id=target.pk,
            data=lambda: build(target),
        )
    elif event.action == "callout.closed" and isinstance(target, Callout):
        webhook_event_emit(
            newsroom_id=target.story.newsroom_id,
            event=Event.CALLOUT_CLOSED,
            callout_id=target.pk,
            data=lambda: payloads.callout_closed(target),
        )


def groups_changed(sender: Any, *, callout_id: int, **kwargs: Any) -> None:
    from askdesk.webhooks.tasks import check_group_growth

    if listening(Event.GROUP_GREW):
        enqueue_on_commit(check_group_growth, callout_id=callout_id)


def question_deleted(sender: Any, *, question_id: int, callout_id: int, **kwargs: Any) -> None:
    """The reader deleted it (or retention did): no delivery keeps its words, receivers delete theirs."""
    webhook_deliveries_forget_question(question_id=question_id)
    if not listening(Event.QUESTION_DELETED):
        return
    callout = Callout.objects.select_related("story").filter(pk=callout_id).first()
    if callout is None:
        return
    webhook_event_emit(
        newsroom_id=callout.story.newsroom_id,
        event=Event.QUESTION_DELETED,
        callout_id=callout_id,
        data=lambda: payloads.question_gone(question_id, callout),
    )
