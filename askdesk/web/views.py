from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.http import require_safe

from askdesk.accounts.access import expert_for, is_editor, newsroom_ids, second_factor_verified, staff_required
from askdesk.accounts.models import Expert
from askdesk.callouts.access import callouts_for_editor
from askdesk.callouts.models import Callout
from askdesk.newsrooms.language import reader_language, text_direction
from askdesk.newsrooms.models import LegalDocument
from askdesk.privacy.services import can_reveal_contacts
from askdesk.questions.models import Question
from askdesk.questions.selectors import arrivals_by_hour, expert_load, state_counts_for


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
@require_safe
def desk_home(request: HttpRequest) -> HttpResponse:
    if not is_editor(request.user) and expert_for(request.user) is not None:
        return redirect("answers:queue")
    callouts = list(callouts_for_editor(request.user).select_related("story").order_by("-created_at"))
    counts = state_counts_for(callout_ids=[c.pk for c in callouts])
    for callout in callouts:
        states = counts[callout.pk]
        callout.total = sum(states.values())  # type: ignore[attr-defined]
        callout.new = states[Question.Status.NEW]  # type: ignore[attr-defined]
        callout.waiting = states[Question.Status.ANSWERED]  # type: ignore[attr-defined]
        callout.published = states[Question.Status.PUBLISHED]  # type: ignore[attr-defined]
    experts = list(
        Expert.objects.filter(user__newsroom_memberships__newsroom_id__in=newsroom_ids(request.user)).distinct()
    )
    arrivals = arrivals_by_hour(callout_ids=[c.pk for c in callouts if c.is_open])
    offer = can_reveal_contacts(request.user) and not second_factor_verified(request.user)
    return render(
        request,
        "web/desk_home.html",
        {
            "callouts": callouts,
            "arrivals": arrivals,
            "arrivals_total": sum(n for _, n in arrivals),
            "arrivals_peak": max((n for _, n in arrivals), default=0),
            "load": expert_load(experts=experts),
            "offer_second_factor": offer,
        },
    )
