from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from askdesk.audit.services import Actor, audit_record
from askdesk.callouts.models import DEFAULT_PUBLICATION_NOTE, Callout
from askdesk.callouts.pages import callout_scope, forget_pages, newsroom_scope
from askdesk.callouts.selectors import state_key_for_callout, state_key_for_story
from askdesk.newsrooms.models import Newsroom
from askdesk.stories.models import Story
from askdesk.stories.services import story_create, story_read, unique_slug

LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})?")


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
    callout_public_changed(callout_id=callout.pk)
    audit_record(actor=actor, action=f"callout.{status}", target=callout)
    return callout


def callout_public_changed(*, callout_id: int) -> None:
    """Something readers see on the call-out's public pages changed: they are rendered anew.

    Called inside the transaction of the change. The version is forgotten by this process at
    once (so a reader who reloads sees the change) and again after commit, in case another
    request cached the old version in between; the pages cached for the old version, and the
    newsroom's feeds, are deleted, so no cache keeps words that were just taken down.
    """
    found = list(  # the version before this change: its cached pages are the ones to delete
        Callout.objects.filter(pk=callout_id).values_list(
            "slug", "story__slug", "story__newsroom_id", "public_version", "story__newsroom__public_version"
        )
    )
    Callout.objects.filter(pk=callout_id).update(
        public_version=F("public_version") + 1, public_changed_at=timezone.now()
    )
    keys: list[str] = []
    scopes: list[str] = []
    for slug, story_slug, newsroom_id, version, newsroom_version in found:
        keys += [state_key_for_callout(slug), state_key_for_story(story_slug)]
        scopes += [callout_scope(callout_id, f"{version}.{newsroom_version}"), newsroom_scope(newsroom_id)]

    def forget() -> None:
        cache.delete_many(keys)
        for scope in scopes:
            forget_pages(scope)

    forget()
    transaction.on_commit(forget)


@transaction.atomic
def callout_update(
    *,
    callout: Callout,
    prompt: str,
    publication_note: str,
    closes_at: dt.datetime | None,
    require_contact: bool,
    languages: str,
    actor: User | AnonymousUser | None,
) -> Callout:
    """Change what readers are asked and on what terms; the audit trail names what changed."""
    prompt = prompt.strip()
    if not prompt:
        raise ValidationError("The call-out needs a prompt.")
    codes = [code.strip().lower() for code in languages.replace(" ", ",").split(",") if code.strip()]
    if any(not LANGUAGE_CODE.fullmatch(code) for code in codes):
        raise ValidationError("Give languages as codes such as 'en' or 'pt-br', separated by commas.")
    values = {
        "prompt": prompt,
        "publication_note": publication_note.strip() or DEFAULT_PUBLICATION_NOTE,
        "closes_at": closes_at,
        "require_contact": require_contact,
        "languages": ", ".join(dict.fromkeys(codes)),
    }
    changed = [name for name, value in values.items() if getattr(callout, name) != value]
    if not changed:
        return callout
    for name in changed:
        setattr(callout, name, values[name])
    callout.save(update_fields=changed)
    audit_record(actor=actor, action="callout.update", target=callout, changed=changed)
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
        callout_public_changed(callout_id=callout.pk)
        audit_record(actor=None, action="callout.closed", target=callout, reason="closing time")
    return len(due)
