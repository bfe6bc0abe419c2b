from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from askdesk.accounts.access import editor_required
from askdesk.callouts.access import get_callout_for_editor
from askdesk.callouts.models import Callout
from askdesk.exports.formats import csv_lines, xlsx_file
from askdesk.exports.models import Export
from askdesk.exports.selectors import CONTACT_HEADER, QUESTION_HEADER, contact_rows, question_rows, recent_exports
from askdesk.exports.services import export_record
from askdesk.privacy.services import can_reveal_contacts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(
    callout: Callout, kind: str, file_format: str, header: list[str], rows: Callable[..., Iterator[list[Any]]]
) -> HttpResponseBase:
    name = f"{callout.slug}-{kind}-{timezone.localtime():%Y%m%d-%H%M}.{file_format}"
    response: HttpResponse | FileResponse | StreamingHttpResponse
    if file_format == Export.Format.XLSX:
        response = FileResponse(
            xlsx_file(header, rows(callout=callout), title=kind), as_attachment=True, filename=name, content_type=XLSX
        )
    else:
        response = StreamingHttpResponse(csv_lines(header, rows(callout=callout)), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@editor_required
@require_http_methods(["GET", "POST"])
@never_cache
def callout_exports(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The call-out's questions, states, groups and answers as CSV or XLSX; never contact details."""
    callout = get_callout_for_editor(request, pk)
    if request.method == "POST":
        file_format = request.POST.get("format", "")
        try:
            export_record(callout=callout, kind=Export.Kind.QUESTIONS, file_format=file_format, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("exports:callout", pk=callout.pk)
        return _download(callout, "questions", file_format, QUESTION_HEADER, question_rows)
    return render(
        request,
        "exports/callout.html",
        {
            "callout": callout,
            "formats": Export.Format.choices,
            "exports": recent_exports(callout=callout),
            "can_export_contacts": can_reveal_contacts(request.user),
        },
    )


@editor_required
@require_POST
@never_cache
def callout_contacts_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Readers' contact details: a separate action, for staff allowed to reveal them, audited."""
    callout = get_callout_for_editor(request, pk)
    file_format = request.POST.get("format", "")
    try:
        export_record(callout=callout, kind=Export.Kind.CONTACTS, file_format=file_format, actor=request.user)
    except ValidationError as error:
        if not can_reveal_contacts(request.user):
            raise PermissionDenied(" ".join(error.messages)) from error
        messages.error(request, " ".join(error.messages))
        return redirect("exports:callout", pk=callout.pk)
    return _download(callout, "contacts", file_format, CONTACT_HEADER, contact_rows)
