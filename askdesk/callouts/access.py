from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from askdesk.accounts.access import is_editor
from askdesk.callouts.models import Callout


def get_callout_for_editor(request: HttpRequest, pk: int) -> Callout:
    """A call-out an editor may triage; 404 for anyone else, so ids reveal nothing."""
    if not is_editor(request.user):
        raise Http404("No such call-out.")
    return get_object_or_404(Callout.objects.select_related("story__newsroom"), pk=pk)
