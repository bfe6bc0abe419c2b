"""Desk page for API keys, and the plain-Django views around the API (its schema, its 404)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from askdesk.accounts.access import editor_required, newsroom_ids
from askdesk.api.models import ApiKey, Scope
from askdesk.api.selectors import api_keys_of
from askdesk.api.services import api_key_create, api_key_revoke
from askdesk.api.v1 import api, not_found_view
from askdesk.newsrooms.models import Newsroom


def openapi_document(request: HttpRequest) -> HttpResponse:
    """The OpenAPI 3.1 document of the current version, generated from the code."""
    response = JsonResponse(api.get_openapi_schema(path_prefix="/api/v1/"))
    response["Access-Control-Allow-Origin"] = "*"
    return response


def api_not_found(request: HttpRequest) -> HttpResponse:
    return not_found_view(request)


class ApiKeyForm(forms.Form):
    newsroom = forms.ModelChoiceField(queryset=Newsroom.objects.none(), empty_label=None)
    name = forms.CharField(max_length=100, help_text="What will use it, e.g. 'CMS' or 'live page'.")
    scopes = forms.MultipleChoiceField(choices=Scope.choices, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: object, newsrooms: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["newsroom"].queryset = newsrooms  # type: ignore[attr-defined]


def editor_newsrooms(request: HttpRequest) -> object:
    """The newsrooms whose keys an editor manages: the ones they work for."""
    return Newsroom.objects.filter(pk__in=newsroom_ids(request.user)).order_by("name")


@editor_required
@require_http_methods(["GET", "POST"])
def api_keys(request: HttpRequest) -> HttpResponse:
    newsrooms = editor_newsrooms(request)
    form = ApiKeyForm(newsrooms=newsrooms, initial={"scopes": [Scope.READ]})
    created = None
    status = 200
    if request.method == "POST" and "revoke" in request.POST:
        key = get_object_or_404(api_keys_of(newsrooms=newsrooms), pk=request.POST.get("revoke") or 0)  # type: ignore[arg-type]
        api_key_revoke(key=key, actor=request.user)
    elif request.method == "POST":
        form = ApiKeyForm(request.POST, newsrooms=newsrooms)
        if form.is_valid():
            key, plain = api_key_create(
                newsroom=form.cleaned_data["newsroom"],
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                actor=request.user,
            )
            created = {"key": key, "plain": plain}
            form = ApiKeyForm(newsrooms=newsrooms, initial={"scopes": [Scope.READ]})
        else:
            status = 400
    keys: list[ApiKey] = list(api_keys_of(newsrooms=newsrooms))  # type: ignore[arg-type]
    return render(request, "api/keys.html", {"form": form, "keys": keys, "created": created}, status=status)
