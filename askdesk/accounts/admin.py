from django.contrib import admin

from askdesk.accounts.models import Expert, Membership


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin[Expert]):
    list_display = ["name", "title", "newsroom", "areas"]
    list_filter = ["newsroom"]
    search_fields = ["name", "title", "areas"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "newsroom", "created_at"]
    list_filter = ["newsroom"]
    search_fields = ["user__username"]
