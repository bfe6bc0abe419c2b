from django.urls import reverse

from askdesk.newsrooms.models import LegalDocument


def test_admins_publish_a_new_version_of_the_terms_and_cannot_rewrite_an_old_one(admin_client, newsroom):
    response = admin_client.post(
        reverse("admin:newsrooms_legaldocument_add"),
        {
            "newsroom": newsroom.pk,
            "kind": "terms",
            "version": "2",
            "body": "New terms.",
            "effective_at_0": "2026-01-01",
            "effective_at_1": "00:00:00",
        },
    )
    assert response.status_code == 302
    assert LegalDocument.objects.filter(newsroom=newsroom, kind="terms", version="2").exists()
    old = LegalDocument.objects.get(newsroom=newsroom, kind="terms", version="1")
    admin_client.post(
        reverse("admin:newsrooms_legaldocument_change", args=[old.pk]),
        {"newsroom": newsroom.pk, "kind": "terms", "version": "1", "body": "Rewritten!"},
    )
    old.refresh_from_db()
    assert old.body == "Be civil."


def test_admin_pages_of_askdesk_models_open(admin_client, callout):
    for name in ("stories_story", "callouts_callout", "accounts_expert", "newsrooms_newsroom", "audit_auditevent"):
        assert admin_client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:callouts_callout_change", args=[callout.pk])).status_code == 200
