from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from askdesk.accounts.access import editor_required
from askdesk.callouts.services import story_import
from askdesk.newsrooms.models import Newsroom
from askdesk.stories.forms import StoryImportForm


@editor_required
@require_http_methods(["GET", "POST"])
def story_import_page(request: HttpRequest) -> HttpResponse:
    form = StoryImportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        newsroom = Newsroom.objects.order_by("id").first()
        if newsroom is None:
            form.add_error(None, "No newsroom is set up yet. Run manage.py load_demo or create one in the admin.")
        else:
            try:
                story, callout = story_import(
                    newsroom=newsroom,
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
