from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from askdesk.newsrooms.models import LegalDocument, Newsroom
from askdesk.newsrooms.services import newsroom_public_changed


@admin.register(Newsroom)
class NewsroomAdmin(admin.ModelAdmin[Newsroom]):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = [
        (None, {"fields": ["name", "slug", "language"]}),
        (
            "Public pages and embeds",
            {
                "fields": ["home_url", "logo_url", "accent_colour", "background_colour", "text_colour", "font"],
                "description": "How the story, answers and embedded pages look: they should read as yours.",
            },
        ),
        ("Embedding", {"fields": ["embed_origins"]}),
    ]

    def save_model(self, request: HttpRequest, obj: Newsroom, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        newsroom_public_changed(newsroom=obj)


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

    def save_model(self, request: HttpRequest, obj: LegalDocument, form: Any, change: bool) -> None:
        # Public pages link the versions in force, and submissions read them from the newsroom's version.
        super().save_model(request, obj, form, change)
        newsroom_public_changed(newsroom=obj.newsroom)
