"""Requests no page should answer as asked, private pages kept out of caches, /readyz details kept for staff."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from askdesk.questions.models import Question
from tests.conftest import form_data, login, submit


def csrf_client_and_token(callout) -> tuple[Client, str]:
    """A browser held to the CSRF checks, with the signed form token its story page gave it.

    The reader form's own check is that token (docs/security.md); staff forms keep Django's.
    """
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(f"/stories/{callout.story.slug}/").content.decode()
    found = re.search(r'name="form_token" value="([^"]+)"', page)
    assert found is not None
    return browser, found.group(1)


@pytest.mark.parametrize("charset", ["latin-1", "iso-8859-1", "utf8", "utf-16"])
def test_a_form_body_in_another_charset_than_utf8_is_refused_with_400_before_the_csrf_check(callout, charset):
    browser, token = csrf_client_and_token(callout)
    body = urlencode(form_data(callout, question="Qué pasará en Isfahán?", form_token=token), encoding="latin-1")
    response = browser.generic(
        "POST",
        f"/ask/{callout.slug}/",
        body.encode("latin-1"),
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()


@pytest.mark.parametrize("field", ["question", "name"])
def test_a_form_field_with_a_nul_character_is_refused_with_400_and_nothing_is_stored(client, callout, field):
    response = client.post(f"/ask/{callout.slug}/", form_data(callout, **{field: "Will Iran\x00 retaliate?"}))
    assert response.status_code == 400 and "NUL" in response.content.decode()
    assert not Question.objects.exists()


def test_a_utf8_form_still_passes_the_csrf_check_and_is_stored(callout):
    browser, token = csrf_client_and_token(callout)
    body = urlencode(form_data(callout, question="Qué pasará en Isfahán?", form_token=token))
    response = browser.generic(
        "POST", f"/ask/{callout.slug}/", body.encode(), content_type="application/x-www-form-urlencoded; charset=UTF-8"
    )
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/desk/", "/desk/login/", "/healthz"])
def test_trace_is_answered_405(client, path):
    response = client.generic("TRACE", path)
    assert response.status_code == 405
    assert "TRACE" not in response["Allow"]


def test_private_pages_are_never_stored_by_a_cache(editor_client, callout, expert_client):
    question, token = submit(callout)
    private = [
        (Client(), f"/q/{token}/"),
        (Client(), f"/q/{token}/delete/"),
        (Client(), "/desk/login/"),
        (editor_client, "/desk/"),
        (editor_client, reverse("questions:triage", args=[callout.pk])),
        (editor_client, reverse("questions:detail", args=[question.pk])),
        (expert_client, reverse("answers:queue")),
    ]
    for client, path in private:
        response = client.get(path)
        assert response.status_code == 200, path
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, path
        assert "public" not in directives
    # The story page is the same for everyone: this rule leaves it alone.
    assert "no-store" not in Client().get(f"/stories/{callout.story.slug}/").get("Cache-Control", "")


@pytest.mark.django_db
def test_readyz_tells_anyone_only_ok_or_fail(client, settings):
    settings.ASKDESK_READYZ_TOKEN = "the-probes-token"
    assert client.get("/readyz").json() == {"status": "ok"}
    wrong = client.get("/readyz", headers={"Authorization": "Bearer not-the-token"})
    assert wrong.json() == {"status": "ok"}
    settings.ASKDESK_READY_REQUIRES_WORKER = True
    failing = client.get("/readyz")
    assert failing.status_code == 503 and failing.json() == {"status": "fail"}


def test_readyz_details_are_for_staff_and_for_the_token(client, settings, editor, expert):
    settings.ASKDESK_READYZ_TOKEN = "the-probes-token"
    probe = client.get("/readyz", headers={"Authorization": "Bearer the-probes-token"}).json()
    assert probe["checks"]["database"]["ok"] is True and "detail" in probe["checks"]["database"]
    for user in (editor, expert.user):
        assert "checks" in login(Client(), user).get("/readyz").json()
    settings.ASKDESK_READYZ_TOKEN = ""
    # No token configured: an empty bearer opens nothing.
    assert "checks" not in client.get("/readyz", headers={"Authorization": "Bearer "}).json()
