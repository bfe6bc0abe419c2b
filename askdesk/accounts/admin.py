from django.contrib import admin

from askdesk.accounts.models import Expert


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin[Expert]):
    list_display = ["name", "title", "newsroom", "areas"]
    list_filter = ["newsroom"]
    search_fields = ["name", "title", "areas"]
