from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from askdesk.accounts.access import editor_required
from askdesk.callouts.access import get_callout_for_editor
from askdesk.callouts.forms import CalloutSettingsForm
from askdesk.callouts.models import Callout
from askdesk.callouts.services import callout_set_status, callout_update


@editor_required
@require_http_methods(["GET", "POST"])
def callout_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Closing (or reopening) a call-out: GET asks for confirmation, POST does it."""
    callout = get_callout_for_editor(request, pk)
    status = request.POST.get("status", "") if request.method == "POST" else request.GET.get("status", "")
    if status not in Callout.Status.values:
        messages.error(request, "Unknown call-out status.")
        return redirect("desk:callout_settings", pk=callout.pk)
    if request.method == "GET":
        return render(request, "callouts/status_confirm.html", {"callout": callout, "status": status})
    callout_set_status(callout=callout, status=status, actor=request.user)
    messages.success(request, "Call-out opened." if status == Callout.Status.OPEN else "Call-out closed.")
    return redirect("questions:triage", pk=callout.pk)


@editor_required
@require_http_methods(["GET", "POST"])
def callout_settings(request: HttpRequest, pk: int) -> HttpResponse:
    callout = get_callout_for_editor(request, pk)
    form = CalloutSettingsForm(request.POST or None, instance=Callout.objects.get(pk=callout.pk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            callout_update(
                callout=callout,
                prompt=data["prompt"],
                publication_note=data["publication_note"],
                closes_at=data["closes_at"],
                require_contact=data["require_contact"],
                languages=data["languages"],
                actor=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Call-out settings saved.")
            return redirect("desk:callout_settings", pk=callout.pk)
    return render(
        request, "callouts/settings.html", {"callout": callout, "form": form}, status=400 if form.errors else 200
    )
