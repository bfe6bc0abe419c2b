"""Probes for load balancers and orchestrators: JSON, never cached, no session or login."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.crypto import constant_time_compare
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from askdesk.accounts.access import user_roles
from askdesk.ops.health import readiness, readiness_status


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process answers; touches no database, so a database outage does not restart web processes."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """200 when askdesk can serve and process work ("degraded" when work is stuck), else 503.

    Which checks fail, only for staff or a probe that sends the token.
    """
    checks = readiness()
    status, code = readiness_status(checks)
    body: dict[str, object] = {"status": status}
    if may_see_details(request):
        body["checks"] = {name: {"ok": check.ok, "detail": check.detail} for name, check in checks.items()}
    return JsonResponse(body, status=code)


def may_see_details(request: HttpRequest) -> bool:
    """Details (database engine, worker ids) are for staff, or for a probe that sends the token."""
    token: str = settings.ASKDESK_READYZ_TOKEN
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and sent and constant_time_compare(sent, token):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and (getattr(user, "is_staff", False) or user_roles(user)))
