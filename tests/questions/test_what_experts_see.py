"""Experts see the question they answer, not the reader's byline or consent (docs/privacy.md)."""

from __future__ import annotations

from django.urls import reverse

from askdesk.questions.services import question_assign
from tests.conftest import submit


def test_an_expert_sees_the_question_but_not_the_readers_byline_or_consent(
    editor_client, expert_client, editor, callout, expert
):
    question, _ = submit(callout, "Will Iran retaliate?", name="Sarawakiana", age=34, location="Ramsbottomleigh")
    question_assign(question=question, expert=expert, actor=editor)
    url = reverse("questions:detail", args=[question.pk])

    for page in (url, reverse("answers:edit", args=[question.pk]), reverse("answers:queue")):
        seen_by_expert = expert_client.get(page).content.decode()
        assert "Will Iran retaliate?" in seen_by_expert
        for private in ("Sarawakiana", "Ramsbottomleigh", "Byline if published", "Consent", "Privacy policy"):
            assert private not in seen_by_expert, page

    seen_by_editor = editor_client.get(url).content.decode()
    assert "Sarawakiana, 34, Ramsbottomleigh" in seen_by_editor and "Consent" in seen_by_editor
