from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from askdesk.accounts.access import editor_required, newsroom_ids
from askdesk.privacy.services import can_reveal_contacts, contact_reveal, reader_data_export
from askdesk.questions.access import get_question_for_staff


@editor_required
@require_POST
@never_cache
def reveal_contact(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_question_for_staff(request, pk)
    try:
        contact = contact_reveal(question=question, actor=request.user)
    except ValidationError as error:
        raise PermissionDenied(" ".join(error.messages)) from error
    return render(request, "privacy/contact.html", {"question": question, "contact": contact})


@editor_required
@require_http_methods(["GET", "POST"])
@never_cache
def export_reader_data(request: HttpRequest) -> HttpResponse:
    if not can_reveal_contacts(request.user):
        raise PermissionDenied("Your role does not allow exports of readers' data.")
    error = ""
    email = request.POST.get("email", "").strip()
    if request.method == "POST":
        try:
            data = reader_data_export(email=email, actor=request.user, newsroom_ids=newsroom_ids(request.user))
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
            response["Content-Disposition"] = 'attachment; filename="reader-data.json"'
            return response
    return render(request, "privacy/export.html", {"email": email, "error": error}, status=400 if error else 200)
