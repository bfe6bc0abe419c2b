"""Staff who must use a second factor reach desk and admin pages only once their session is verified."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import devices_for_user

from askdesk.accounts.access import second_factor_missing

PROTECTED_PREFIXES = ("/desk/", "/admin/")


def second_factor(get_response: Callable[[HttpRequest], HttpResponseBase]) -> Callable[[HttpRequest], HttpResponseBase]:
    def middleware(request: HttpRequest) -> HttpResponseBase:
        if request.path.startswith(PROTECTED_PREFIXES) and second_factor_missing(request.user):
            allowed = {
                reverse("accounts:two_factor_setup"),
                reverse("accounts:two_factor_verify"),
                reverse("accounts:logout"),
                reverse("accounts:login"),
                reverse("admin:login"),
                reverse("admin:logout"),
            }
            if request.path not in allowed:
                enrolled = any(True for _ in devices_for_user(request.user, confirmed=True))
                target = "accounts:two_factor_verify" if enrolled else "accounts:two_factor_setup"
                response: HttpResponse = redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
                return response
        return get_response(request)

    return middleware
