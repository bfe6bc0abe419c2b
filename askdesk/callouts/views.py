from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from askdesk.accounts.access import editor_required
from askdesk.callouts.access import get_callout_for_editor
from askdesk.callouts.models import Callout
from askdesk.callouts.services import callout_set_status


@editor_required
@require_POST
def callout_status(request: HttpRequest, pk: int) -> HttpResponse:
    callout = get_callout_for_editor(request, pk)
    status = request.POST.get("status", "")
    if status not in Callout.Status.values:
        messages.error(request, "Unknown call-out status.")
    else:
        callout_set_status(callout=callout, status=status, actor=request.user)
        messages.success(request, "Call-out opened." if status == Callout.Status.OPEN else "Call-out closed.")
    return redirect("questions:triage", pk=callout.pk)
