from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation

from askdesk.accounts.access import expert_for, is_editor, second_factor_verified, staff_required
from askdesk.callouts.models import Callout
from askdesk.newsrooms.language import reader_language, text_direction
from askdesk.newsrooms.models import LegalDocument
from askdesk.privacy.services import can_reveal_contacts
from askdesk.questions.models import Question


def home(request: HttpRequest) -> HttpResponse:
    callouts = (
        Callout.objects.select_related("story")
        .annotate(published=Count("questions", filter=Q(questions__status=Question.Status.PUBLISHED)))
        .order_by("-created_at")[:50]
    )
    return render(request, "web/home.html", {"callouts": callouts})


def legal_document(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(LegalDocument.objects.select_related("newsroom"), pk=pk)
    language = reader_language(request, default=document.newsroom.language)
    with translation.override(language):
        return render(
            request,
            "web/legal.html",
            {"document": document, "newsroom": document.newsroom, "lang": language, "dir": text_direction(language)},
        )


@staff_required
def desk_home(request: HttpRequest) -> HttpResponse:
    if not is_editor(request.user) and expert_for(request.user) is not None:
        return redirect("answers:queue")
    callouts = (
        Callout.objects.select_related("story")
        .annotate(
            total=Count("questions"),
            new=Count("questions", filter=Q(questions__status=Question.Status.NEW)),
            waiting=Count("questions", filter=Q(questions__status=Question.Status.ANSWERED)),
            published=Count("questions", filter=Q(questions__status=Question.Status.PUBLISHED)),
        )
        .order_by("-created_at")
    )
    offer = can_reveal_contacts(request.user) and not second_factor_verified(request.user)
    return render(request, "web/desk_home.html", {"callouts": callouts, "offer_second_factor": offer})
