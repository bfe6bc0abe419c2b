"""The desk's webhooks page: endpoints, their secrets (shown once), the group.grew size, the delivery log."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from askdesk.accounts.access import editor_required, newsroom_ids
from askdesk.newsrooms.models import Newsroom
from askdesk.webhooks.models import Event, WebhookDelivery
from askdesk.webhooks.selectors import delivery_log, newsroom_endpoints
from askdesk.webhooks.services import (
    WebhookRefused,
    group_grew_size,
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_redeliver,
    webhook_secret_rotate,
    webhook_settings_set,
)


class EndpointForm(forms.Form):
    url = forms.CharField(label="Receiver URL", max_length=500, help_text="An http:// or https:// address.")
    events = forms.MultipleChoiceField(choices=Event.choices, widget=forms.CheckboxSelectMultiple)


class SettingsForm(forms.Form):
    group_grew_size = forms.IntegerField(
        label="Send group.grew when a group reaches", min_value=2, max_value=100_000, help_text="questions"
    )


def _newsroom(request: HttpRequest) -> Newsroom:
    """The newsroom whose webhooks are shown: one the editor works for."""
    rooms = Newsroom.objects.filter(pk__in=newsroom_ids(request.user)).order_by("name")
    chosen = request.GET.get("newsroom") or request.POST.get("newsroom")
    if chosen:
        return get_object_or_404(rooms, slug=chosen)
    room = rooms.first()
    if room is None:
        raise forms.ValidationError("No newsroom yet.")
    return room


@editor_required
@require_http_methods(["GET", "POST"])
def webhooks_page(request: HttpRequest) -> HttpResponse:
    newsroom = _newsroom(request)
    form = EndpointForm()
    settings_form = SettingsForm(initial={"group_grew_size": group_grew_size(newsroom.pk)})
    secret: dict[str, object] | None = None
    status = 200
    endpoints = newsroom_endpoints(newsroom=newsroom)
    back = reverse("webhooks:desk") + f"?newsroom={newsroom.slug}"
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "create":
            form = EndpointForm(request.POST)
            if form.is_valid():
                try:
                    endpoint, plain = webhook_endpoint_create(
                        newsroom=newsroom,
                        url=form.cleaned_data["url"],
                        events=form.cleaned_data["events"],
                        actor=request.user,
                    )
                except WebhookRefused as error:
                    form.add_error("url" if error.field == "url" else "events", str(error))
                else:
                    secret = {"endpoint": endpoint, "value": plain}
                    form = EndpointForm()
            status = 200 if form.is_valid() or secret else 400
        elif action == "rotate":
            endpoint = get_object_or_404(endpoints, pk=request.POST.get("endpoint") or 0)
            secret = {"endpoint": endpoint, "value": webhook_secret_rotate(endpoint=endpoint, actor=request.user)}
        elif action == "delete":
            endpoint = get_object_or_404(endpoints, pk=request.POST.get("endpoint") or 0)
            webhook_endpoint_delete(endpoint=endpoint, actor=request.user)
            messages.success(request, "Webhook removed.")
            return redirect(back)
        elif action == "redeliver":
            delivery = get_object_or_404(
                WebhookDelivery.objects.filter(endpoint__newsroom=newsroom), pk=request.POST.get("delivery") or 0
            )
            webhook_redeliver(delivery=delivery, actor=request.user)
            messages.success(request, "Delivery queued again.")
            return redirect(back)
        elif action == "settings":
            settings_form = SettingsForm(request.POST)
            if settings_form.is_valid():
                webhook_settings_set(
                    newsroom=newsroom, group_grew_size=settings_form.cleaned_data["group_grew_size"], actor=request.user
                )
                messages.success(request, "Saved.")
                return redirect(back)
            status = 400
    return render(
        request,
        "webhooks/desk.html",
        {
            "newsroom": newsroom,
            "newsrooms": Newsroom.objects.order_by("name"),
            "endpoints": list(endpoints),
            "deliveries": delivery_log(newsroom=newsroom),
            "form": form,
            "settings_form": settings_form,
            "secret": secret,
        },
        status=status,
    )
