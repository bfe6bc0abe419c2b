from django.contrib import admin
from django.http import HttpRequest

from askdesk.ops.models import WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin[WorkerHeartbeat]):
    list_display = ["worker_id", "hostname", "pid", "queues", "started_at", "seen_at"]
    readonly_fields = ["worker_id", "hostname", "pid", "queues", "started_at", "seen_at"]

    def has_add_permission(self, request: HttpRequest, obj: WorkerHeartbeat | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: WorkerHeartbeat | None = None) -> bool:
        return False
