"""Webhooks through the API: registration with the 'webhooks' scope, the secret shown once."""

from __future__ import annotations

from django.db import connection

from askdesk.audit.models import AuditEvent
from tests.api.conftest import ApiClient


def test_the_api_registers_a_webhook_and_returns_its_secret_once(api, newsroom):
    created = api.post("/api/v1/webhooks/", {"url": "https://hooks.example.org/a", "events": ["answer.published"]})
    assert created.status_code == 201
    secret = created.json()["secret"]
    assert secret.startswith("whsec_")
    listing = api.get("/api/v1/webhooks/")
    assert listing.status_code == 200 and secret not in listing.content.decode()
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM webhooks_webhookendpoint")
        stored = cursor.fetchone()[0]
    assert secret not in stored and "whsec_" not in stored, "the secret is encrypted at rest"
    assert AuditEvent.objects.get(action="webhook.create").actor_label.startswith("API key askd_")
    bad = api.post("/api/v1/webhooks/", {"url": "http://10.0.0.1/", "events": ["answer.published"]})
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "body.url"
    webhook_id = created.json()["id"]
    assert api.post(f"/api/v1/webhooks/{webhook_id}/rotate-secret").json()["secret"].startswith("whsec_")
    assert api.delete(f"/api/v1/webhooks/{webhook_id}").status_code == 204


def test_registering_webhooks_needs_the_webhooks_scope(make_key, newsroom):
    reader = ApiClient(make_key("read"))
    response = reader.post("/api/v1/webhooks/", {"url": "https://hooks.example.org/a", "events": ["callout.closed"]})
    assert response.status_code == 403
