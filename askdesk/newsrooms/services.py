from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from askdesk.newsrooms.models import LegalDocument, Newsroom


@transaction.atomic
def legal_document_publish(*, newsroom: Newsroom, kind: str, version: str, body: str) -> LegalDocument:
    """A new version of the terms or policy; readers from now on accept this one."""
    if LegalDocument.objects.filter(newsroom=newsroom, kind=kind, version=version).exists():
        raise ValueError(f"Version {version} of the {kind} already exists; versions are never rewritten.")
    document = LegalDocument.objects.create(
        newsroom=newsroom, kind=kind, version=version, body=body.strip(), effective_at=timezone.now()
    )
    newsroom_public_changed(newsroom=newsroom)
    return document


def newsroom_public_changed(*, newsroom: Newsroom) -> None:
    """Something every public page of the newsroom shows changed: they are rendered anew."""
    Newsroom.objects.filter(pk=newsroom.pk).update(public_version=F("public_version") + 1)
