from __future__ import annotations

from typing import Any

from django.db import transaction

from askdesk.audit.services import audit_record
from askdesk.callouts.models import Callout
from askdesk.exports.models import Export
from askdesk.privacy.services import can_reveal_contacts
from askdesk.questions.services import QuestionRefused


@transaction.atomic
def export_record(*, callout: Callout, kind: str, file_format: str, actor: Any) -> Export:
    """Record that someone took a call-out's questions away; contact details need the reveal permission."""
    if kind not in Export.Kind.values or file_format not in Export.Format.values:
        raise QuestionRefused("Unknown kind of export.")
    if kind == Export.Kind.CONTACTS and not can_reveal_contacts(actor):
        raise QuestionRefused("Your role does not allow you to export readers' contact details.")
    export = Export.objects.create(
        newsroom_id=callout.story.newsroom_id, callout=callout, kind=kind, format=file_format, created_by=actor
    )
    audit_record(actor=actor, action=f"export.{kind}", target=callout, format=file_format, export=export.pk)
    return export
