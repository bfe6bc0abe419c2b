"""Two-step sign-in for staff: set up an authenticator app (TOTP) with recovery codes, and verify a session."""

from __future__ import annotations

import base64
from collections.abc import Callable

import segno
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user
from django_otp import login as otp_login

from askdesk.accounts.access import second_factor_required, second_factor_verified
from askdesk.accounts.services import totp_enrol_confirm, totp_enrol_start
from askdesk.ops.limits import limit_exceeded, too_many_requests

TOO_MANY_CODES = "Too many codes were tried for this account. Wait a few minutes, then try again."


def two_step_page(view: Callable[[HttpRequest], HttpResponse]) -> Callable[[HttpRequest], HttpResponse]:
    """A page of the second sign-in step: signed-in users only, never cached, codes kept out of error reports."""
    return login_required(never_cache(sensitive_post_parameters("token")(require_http_methods(["GET", "POST"])(view))))


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return "/desk/"


@two_step_page
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert user.is_authenticated
    device = totp_enrol_start(user=user)
    error = ""
    if request.method == "POST":
        if limit_exceeded(request, "second_factor_user", target=f"user:{user.pk}"):
            return too_many_requests(request, TOO_MANY_CODES, reader=False)
        codes = totp_enrol_confirm(user=user, device=device, token=request.POST.get("token", ""))
        if codes is not None:
            otp_login(request, device)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)})
        error = "That code did not match. Enter the 6 digits your app shows now."
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    context = {
        "qr": segno.make(device.config_url, error="m").svg_data_uri(scale=4),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "error": error,
        "required": second_factor_required(user),
        "enrolled": any(True for _ in devices_for_user(user, confirmed=True)),
        "next": _next_url(request),
    }
    return render(request, "accounts/two_factor_setup.html", context, status=400 if error else 200)


@two_step_page
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert user.is_authenticated
    if second_factor_verified(user):
        return redirect(_next_url(request))
    error = ""
    if request.method == "POST":
        if limit_exceeded(request, "second_factor_user", target=f"user:{user.pk}"):
            return too_many_requests(request, TOO_MANY_CODES, reader=False)
        token = request.POST.get("token", "").replace(" ", "")
        for device in devices_for_user(user, confirmed=True):
            # django-otp refuses a code used before and slows down repeated failures per device.
            allowed, _ = device.verify_is_allowed()
            if allowed and device.verify_token(token):
                otp_login(request, device)
                return redirect(_next_url(request))
        error = "That code did not match. Enter the 6 digits your app shows now, or one of your recovery codes."
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"error": error, "next": _next_url(request)},
        status=400 if error else 200,
    )
