from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.text import slugify

from askdesk.audit.services import Actor, audit_record
from askdesk.newsrooms.models import Newsroom
from askdesk.nlp.text import StoryText, read_story
from askdesk.stories.models import Sentence, Story


def unique_slug(model: type[Story], base: str, *, max_length: int = 100) -> str:
    """``base`` made into a slug, with -2, -3... added while it is taken."""
    stem = slugify(base)[:max_length].strip("-") or "story"
    slug, number = stem, 1
    while model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{stem}-{number}"
    return slug


@transaction.atomic
def story_create(*, newsroom: Newsroom, text: StoryText, source_text: str, actor: Actor = None) -> Story:
    """Store a read story and its sentences, each with a stable key (s1, s2, ...)."""
    story = Story.objects.create(
        newsroom=newsroom,
        slug=unique_slug(Story, text.title),
        title=text.title,
        source_format=text.source_format,
        source_text=source_text,
        created_by=actor if isinstance(actor, User) else None,
    )
    rows = []
    position = 0
    for paragraph_number, paragraph in enumerate(text.paragraphs):
        for sentence in paragraph:
            position += 1
            rows.append(
                Sentence(story=story, position=position, paragraph=paragraph_number, key=f"s{position}", text=sentence)
            )
    Sentence.objects.bulk_create(rows)
    audit_record(actor=actor, action="story.import", target=story, sentences=len(rows), format=text.source_format)
    return story


def story_read(raw: str, *, title: str | None = None) -> StoryText:
    """Read raw story text (tokenised, prose or HTML); ValueError with a reader-facing message if unusable."""
    return read_story(raw, title=title)
