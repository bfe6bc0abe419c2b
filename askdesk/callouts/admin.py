from django.contrib import admin
from django.http import HttpRequest

from askdesk.callouts.models import Callout


@admin.register(Callout)
class CalloutAdmin(admin.ModelAdmin[Callout]):
    list_display = ["prompt", "story", "status", "require_contact", "created_at"]
    list_filter = ["status", "require_contact"]
    fields = ["story", "slug", "prompt", "publication_note", "status", "require_contact"]
    readonly_fields = ["story", "slug", "status"]  # opened and closed from the desk, where it is audited

    def has_add_permission(self, request: HttpRequest) -> bool:  # call-outs come with imported stories
        return False
