from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from askdesk.accounts.access import editor_required, newsroom_ids
from askdesk.callouts.services import story_import
from askdesk.newsrooms.models import Newsroom
from askdesk.stories.forms import StoryImportForm


@editor_required
@require_http_methods(["GET", "POST"])
def story_import_page(request: HttpRequest) -> HttpResponse:
    newsrooms = Newsroom.objects.filter(pk__in=newsroom_ids(request.user)).order_by("name", "id")
    form = StoryImportForm(request.POST or None, newsrooms=newsrooms)
    if not newsrooms:
        form.add_error(None, "Your account works for no newsroom yet. Ask an administrator to add you to one.")
    elif request.method == "POST" and form.is_valid():
        try:
            story, callout = story_import(
                newsroom=form.cleaned_data["newsroom"],
                raw=form.cleaned_data["text"],
                title=form.cleaned_data["title"] or None,
                actor=request.user,
            )
        except ValueError as error:
            form.add_error("text", str(error))
        else:
            found = " with its call-out" if callout else " (no call-out found at its end)"
            messages.success(request, f"Imported “{story.title}”{found}.")
            return redirect("questions:story", slug=story.slug)
    return render(request, "stories/import.html", {"form": form}, status=400 if form.errors else 200)
