from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from askdesk.callouts.models import Callout
from askdesk.callouts.services import callout_public_changed


@admin.register(Callout)
class CalloutAdmin(admin.ModelAdmin[Callout]):
    list_display = ["prompt", "story", "status", "require_contact", "created_at"]
    list_filter = ["status", "require_contact"]
    fields = ["story", "slug", "prompt", "publication_note", "status", "require_contact"]
    readonly_fields = ["story", "slug", "status"]  # opened and closed from the desk, where it is audited

    def save_model(self, request: HttpRequest, obj: Callout, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        callout_public_changed(callout_id=obj.pk)  # the prompt and note are on public pages

    def has_add_permission(self, request: HttpRequest) -> bool:  # call-outs come with imported stories
        return False
