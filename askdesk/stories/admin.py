from django.contrib import admin
from django.http import HttpRequest

from askdesk.stories.models import Story


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin[Story]):
    list_display = ["title", "newsroom", "source_format", "created_at"]
    list_filter = ["newsroom", "source_format"]
    search_fields = ["title"]
    fields = ["title", "slug", "newsroom", "source_format", "created_at", "created_by"]
    readonly_fields = ["slug", "newsroom", "source_format", "created_at", "created_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:  # stories are imported from the desk
        return False
