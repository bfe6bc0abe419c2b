"""Sign-in throttling (django-axes) and the second factor (django-otp) for staff who can see contact details."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from askdesk.accounts.models import Role
from askdesk.accounts.services import staff_create
from askdesk.audit.models import AuditEvent
from askdesk.privacy.services import can_reveal_contacts
from tests.conftest import PASSWORD, login, submit

pytestmark = pytest.mark.django_db
LOGIN = "/desk/login/"


@pytest.fixture
def throttling(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 10
    return settings


@pytest.fixture
def revealer(newsroom):
    """Rita, an editor allowed to see readers' contact details."""
    return staff_create(
        username="rita", password=PASSWORD, role=Role.EDITOR, newsroom=newsroom, name="Rita", can_see_contacts=True
    )


def sign_in(client: Client, path: str, username: str, password: str):
    return client.post(path, {"username": username, "password": password})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def unthrottle(device: TOTPDevice) -> None:
    """django-otp makes a device wait after a wrong code (1 s, then doubling); tests do not wait."""
    device.refresh_from_db()
    device.throttle_reset()


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


@pytest.mark.parametrize("path", [LOGIN, "/admin/login/"])
def test_thirty_wrong_passwords_lock_the_account_and_the_right_one_is_refused_while_locked(throttling, editor, path):
    client = Client(REMOTE_ADDR="203.0.113.7")
    codes = [sign_in(client, path, editor.username, f"guess-{n}").status_code for n in range(30)]
    assert codes[:9] == [200] * 9
    assert set(codes[10:]) == {429}, "locked from the limit on"
    locked = sign_in(client, path, editor.username, PASSWORD)
    assert locked.status_code == 429 and "Sign-in paused" in locked.content.decode()
    assert not signed_in(client)
    # The lock is per account: from another address the right password is refused too.
    other = Client(REMOTE_ADDR="198.51.100.20")
    assert sign_in(other, path, editor.username, PASSWORD).status_code == 429
    assert AuditEvent.objects.filter(action="account.locked_out", object_id=str(editor.pk)).exists()


def test_one_address_trying_many_accounts_is_locked_out_too(throttling, editor, expert):
    client = Client(REMOTE_ADDR="203.0.113.7")
    codes = [sign_in(client, LOGIN, f"someone-{n}", "guess").status_code for n in range(12)]
    assert codes[-1] == 429
    assert sign_in(client, LOGIN, editor.username, PASSWORD).status_code == 429
    # Another address signs in as usual.
    elsewhere = Client(REMOTE_ADDR="198.51.100.20")
    assert sign_in(elsewhere, LOGIN, expert.user.username, PASSWORD).status_code == 302
    assert signed_in(elsewhere)


def test_in_production_a_revealer_without_a_device_is_sent_to_set_one_up_and_cannot_reveal(settings, revealer, callout):
    settings.ASKDESK_SECOND_FACTOR_REQUIRED = True
    question, _ = submit(callout, email="reader@example.com")
    client = login(Client(), revealer)

    home = client.get("/desk/")
    assert home.status_code == 302 and home["Location"].startswith(reverse("accounts:two_factor_setup"))
    reveal = client.post(reverse("desk:reveal_contact", args=[question.pk]))
    assert reveal.status_code == 302 and reveal["Location"].startswith(reverse("accounts:two_factor_setup"))
    assert "reader@example.com" not in reveal.content.decode()
    assert not AuditEvent.objects.filter(action="contact.view").exists()
    assert not can_reveal_contacts(revealer)


def test_in_production_a_revealer_with_a_verified_code_can_reveal(settings, revealer, callout):
    settings.ASKDESK_SECOND_FACTOR_REQUIRED = True
    question, _ = submit(callout, email="reader@example.com")
    device = TOTPDevice.objects.create(user=revealer, name="phone", confirmed=True)
    client = login(Client(), revealer)

    home = client.get("/desk/")
    assert home["Location"].startswith(reverse("accounts:two_factor_verify"))
    wrong = client.post(reverse("accounts:two_factor_verify"), {"token": "000000", "next": "/desk/"})
    assert wrong.status_code == 400
    unthrottle(device)
    verified = client.post(reverse("accounts:two_factor_verify"), {"token": current_code(device), "next": "/desk/"})
    assert verified.status_code == 302 and verified["Location"] == "/desk/"
    assert client.get("/desk/").status_code == 200
    reveal = client.post(reverse("desk:reveal_contact", args=[question.pk]))
    assert reveal.status_code == 200 and "reader@example.com" in reveal.content.decode()


def test_staff_set_up_an_authenticator_and_a_recovery_code_works_once(settings, revealer):
    settings.ASKDESK_SECOND_FACTOR_REQUIRED = True
    client = login(Client(), revealer)
    page = client.get(reverse("accounts:two_factor_setup"))
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.content.decode()
    device = TOTPDevice.objects.get(user=revealer, confirmed=False)

    assert client.post(reverse("accounts:two_factor_setup"), {"token": "123"}).status_code == 400
    unthrottle(device)
    done = client.post(reverse("accounts:two_factor_setup"), {"token": current_code(device)})
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert done.status_code == 200 and len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/desk/").status_code == 200, "the session that set it up is verified"
    assert AuditEvent.objects.filter(action="account.second_factor_on", object_id=str(revealer.pk)).exists()

    for expected in (302, 400):  # a recovery code works once
        fresh = login(Client(), revealer)
        answer = fresh.post(reverse("accounts:two_factor_verify"), {"token": codes[0], "next": "/desk/"})
        assert answer.status_code == expected


def test_the_demo_offers_the_second_factor_without_forcing_it(settings, revealer, callout):
    settings.ASKDESK_SECOND_FACTOR_REQUIRED = False
    question, _ = submit(callout, email="reader@example.com")
    client = login(Client(), revealer)
    home = client.get("/desk/")
    assert home.status_code == 200 and reverse("accounts:two_factor_setup") in home.content.decode()
    assert client.post(reverse("desk:reveal_contact", args=[question.pk])).status_code == 200
