"""Probes for load balancers and orchestrators: JSON, never cached, no session or login."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from askdesk.ops.health import readiness, readiness_status


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process answers; touches no database, so a database outage does not restart web processes."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when askdesk can serve and process work ("degraded" when work is stuck), else 503."""
    checks = readiness()
    status, code = readiness_status(checks)
    body = {
        "status": status,
        "checks": {name: {"ok": check.ok, "detail": check.detail} for name, check in checks.items()},
    }
    return JsonResponse(body, status=code)
