from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from askdesk.accounts.access import is_editor, newsroom_ids
from askdesk.callouts.models import Callout


def callouts_for_editor(user: Any) -> QuerySet[Callout]:
    """The call-outs of the newsrooms an editor works for (none for anyone else)."""
    if not is_editor(user):
        return Callout.objects.none()
    return Callout.objects.filter(story__newsroom_id__in=newsroom_ids(user))


def get_callout_for_editor(request: HttpRequest, pk: int) -> Callout:
    """A call-out an editor of its newsroom may triage; 404 for anyone else, so ids reveal nothing."""
    return get_object_or_404(callouts_for_editor(request.user).select_related("story__newsroom"), pk=pk)
