from __future__ import annotations

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
    callout = Callout.objects.create(
        story=story,
        slug=unique_slug(Callout, story.slug),  # type: ignore[arg-type]
        prompt=prompt.strip(),
        publication_note=publication_note.strip(),
        require_contact=require_contact,
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
    callout.status = status
    callout.closed_at = timezone.now() if status == Callout.Status.CLOSED else None
    callout.save(update_fields=["status", "closed_at"])
    audit_record(actor=actor, action=f"callout.{status}", target=callout)
    return callout
