from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from askdesk.accounts.access import editor_required
from askdesk.callouts.access import callouts_for_editor, get_callout_for_editor
from askdesk.insights.access import get_newsroom_for_editor
from askdesk.insights.reports import callout_report, newsroom_report


@require_safe
@editor_required
def callout_analytics(request: HttpRequest, pk: int) -> HttpResponse:
    callout = get_callout_for_editor(request, pk)
    report = callout_report(callout=callout)
    return render(request, "insights/callout.html", {"callout": callout, "report": report})


@require_safe
@editor_required
def newsroom_analytics(request: HttpRequest, pk: int) -> HttpResponse:
    newsroom = get_newsroom_for_editor(request, pk)
    report, callout_ids = newsroom_report(newsroom=newsroom, callouts=callouts_for_editor(request.user))
    # Each call-out's row of the comparison table, with its id to link its own page.
    callout_rows = list(zip(callout_ids, report.sections[0].rows, strict=True))
    return render(
        request, "insights/newsroom.html", {"newsroom": newsroom, "report": report, "callout_rows": callout_rows}
    )
