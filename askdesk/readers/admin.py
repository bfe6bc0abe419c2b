from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from askdesk.readers.models import OutgoingEmail, VotingRound


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin[OutgoingEmail]):
    """Read-only: what was sent, skipped or failed. Shows no address and no private link."""

    list_display = ("created_at", "kind", "state", "attempts", "sent_at", "last_error")
    list_filter = ("state", "kind")
    date_hierarchy = "created_at"
    fields = ("key", "kind", "state", "attempts", "message_id", "created_at", "claimed_at", "sent_at", "last_error")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(VotingRound)
class VotingRoundAdmin(admin.ModelAdmin[VotingRound]):
    list_display = ("title", "callout", "closes_at", "closed_at")
    readonly_fields = ("callout", "created_by", "created_at", "closed_at", "winner")
