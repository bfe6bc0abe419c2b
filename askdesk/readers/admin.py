from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest

from askdesk.readers.models import OutgoingEmail, VotingRound
from askdesk.readers.services import SENDING_LEASE, outbox_requeue


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin[OutgoingEmail]):
    """Read-only: what was sent, skipped or failed. Shows no address and no private link."""

    list_display = ("created_at", "kind", "state", "attempts", "sent_at", "last_error")
    list_filter = ("state", "kind")
    date_hierarchy = "created_at"
    fields = ("key", "kind", "state", "attempts", "message_id", "created_at", "claimed_at", "sent_at", "last_error")
    readonly_fields = fields
    actions = ["requeue"]

    @admin.action(
        permissions=["requeue"], description="Send again (interrupted while sending: it may have reached the reader)"
    )
    def requeue(self, request: HttpRequest, queryset: QuerySet[OutgoingEmail]) -> None:
        user = request.user
        assert isinstance(user, User)
        done = outbox_requeue(outbox_ids=list(queryset.values_list("pk", flat=True)), actor=user)
        self.message_user(request, f"{done.requeued} message(s) queued to be sent again.", messages.SUCCESS)
        if done.in_flight:
            self.message_user(
                request,
                f"{done.in_flight} message(s) claimed by a worker in the last "
                f"{SENDING_LEASE.seconds // 60} minutes were left alone: it may still be sending them.",
                messages.WARNING,
            )
        skipped = queryset.exclude(state__in=[OutgoingEmail.State.SENDING, OutgoingEmail.State.INTERRUPTED]).count()
        if skipped:
            self.message_user(request, f"{skipped} message(s) not interrupted were left as they are.", messages.WARNING)

    def has_requeue_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("readers.change_outgoingemail")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(VotingRound)
class VotingRoundAdmin(admin.ModelAdmin[VotingRound]):
    list_display = ("title", "callout", "closes_at", "closed_at")
    readonly_fields = ("callout", "created_by", "created_at", "closed_at", "winner")
