from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from askdesk.newsrooms.models import LegalDocument, Newsroom


@admin.register(Newsroom)
class NewsroomAdmin(admin.ModelAdmin[Newsroom]):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}


@admin.register(LegalDocument)
class LegalDocumentAdmin(admin.ModelAdmin[LegalDocument]):
    """Terms and privacy policies: a change is a new version; readers' consent points at the old one."""

    list_display = ["newsroom", "kind", "version", "effective_at"]
    list_filter = ["newsroom", "kind"]

    def get_readonly_fields(self, request: HttpRequest, obj: LegalDocument | None = None) -> Any:
        if obj is not None:
            return ["newsroom", "kind", "version", "body", "effective_at"]
        return []

    def has_delete_permission(self, request: HttpRequest, obj: LegalDocument | None = None) -> bool:
        return False
