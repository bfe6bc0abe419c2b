from __future__ import annotations

from django.utils import timezone

from askdesk.newsrooms.models import LegalDocument, Newsroom


def legal_document_current(*, newsroom: Newsroom, kind: str) -> LegalDocument | None:
    """The version of the terms or privacy policy in force now."""
    return (
        LegalDocument.objects.filter(newsroom=newsroom, kind=kind, effective_at__lte=timezone.now())
        .order_by("-effective_at", "-id")
        .first()
    )
