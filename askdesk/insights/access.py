from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from askdesk.accounts.access import is_editor_of
from askdesk.newsrooms.models import Newsroom


def get_newsroom_for_editor(request: HttpRequest, pk: int) -> Newsroom:
    """A newsroom whose analytics an editor may see; 404 for anyone else, so ids reveal nothing."""
    if not is_editor_of(request.user, pk):
        raise Http404("No such newsroom.")
    return get_object_or_404(Newsroom, pk=pk)
