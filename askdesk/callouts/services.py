from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from askdesk.audit.services import Actor, audit_record
from askdesk.callouts.models import DEFAULT_PUBLICATION_NOTE, Callout
from askdesk.newsrooms.models import Newsroom
from askdesk.stories.models import Story
from askdesk.stories.services import story_create, story_read, unique_slug


@transaction.atomic
def callout_create(
    *,
    story: Story,
    prompt: str,
    publication_note: str = DEFAULT_PUBLICATION_NOTE,
    require_contact: bool = False,
    actor: Actor = None,
) -> Callout:
    now = timezone.now()
    callout = Callout.objects.create(
        story=story,
        slug=unique_slug(Callout, story.slug),  # type: ignore[arg-type]
        prompt=prompt.strip(),
        publication_note=publication_note.strip(),
        require_contact=require_contact,
        created_at=now,
        closes_at=closing_time(story.newsroom, opened_at=now),
    )
    audit_record(actor=actor, action="callout.create", target=callout)
    return callout


@transaction.atomic
def story_import(
    *, newsroom: Newsroom, raw: str, title: str | None = None, actor: Actor = None
) -> tuple[Story, Callout | None]:
    """Import a story; when its text ends with a call-out, open that call-out under it."""
    text = story_read(raw, title=title)
    story = story_create(newsroom=newsroom, text=text, source_text=raw, actor=actor)
    callout = None
    if text.callout is not None:
        # The sentences on publication and contact details are the call-out's promise to readers;
        # the terms sentence is shown as the consent checkbox instead.
        note = " ".join(s for s in text.callout.sentences if "terms" not in s.lower()) or DEFAULT_PUBLICATION_NOTE
        callout = callout_create(story=story, prompt=text.callout.prompt, publication_note=note, actor=actor)
    return story, callout


@transaction.atomic
def callout_set_status(*, callout: Callout, status: str, actor: Actor) -> Callout:
    if status not in Callout.Status.values:
        raise ValueError(f"Unknown call-out status {status!r}.")
    if callout.status == status:
        return callout
    now = timezone.now()
    callout.status = status
    callout.closed_at = now if status == Callout.Status.CLOSED else None
    update = ["status", "closed_at"]
    if status == Callout.Status.OPEN and (callout.closes_at is None or callout.closes_at <= now):
        callout.closes_at = closing_time(callout.story.newsroom, opened_at=now)
        update.append("closes_at")
    callout.save(update_fields=update)
    audit_record(actor=actor, action=f"callout.{status}", target=callout)
    return callout


def closing_time(newsroom: Newsroom, *, opened_at: dt.datetime) -> dt.datetime:
    """When a call-out opened at ``opened_at`` stops taking questions, by its newsroom's rule."""
    return opened_at + dt.timedelta(days=newsroom.callout_open_days)


@transaction.atomic
def callouts_close_due(*, now: dt.datetime) -> int:
    """Close the open call-outs whose closing time has come; returns how many."""
    due = list(Callout.objects.select_for_update().filter(status=Callout.Status.OPEN, closes_at__lte=now))
    for callout in due:
        callout.status = Callout.Status.CLOSED
        callout.closed_at = now
        callout.save(update_fields=["status", "closed_at"])
        audit_record(actor=None, action="callout.closed", target=callout, reason="closing time")
    return len(due)
