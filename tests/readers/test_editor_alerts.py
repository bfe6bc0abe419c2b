"""Editors are told when it matters: a group passes their size, grows fast, or a vote closes."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from askdesk.accounts.models import Role
from askdesk.accounts.services import staff_create
from askdesk.questions.models import Question, QuestionGroup
from askdesk.readers.models import EditorAlert, EditorAlertSettings
from askdesk.readers.services import editor_alerts_check_groups
from tests.conftest import PASSWORD, make_newsroom, submit


def group_with(callout, size, *, recent=0):
    question, _ = submit(callout, "Will Iran retaliate?")
    group = QuestionGroup.objects.create(
        callout=callout, label="Will Iran retaliate?", representative=question, size=size
    )
    old = timezone.now() - timedelta(days=1)
    Question.objects.filter(pk=question.pk).update(group=group, submitted_at=old)
    for number in range(recent):
        fresh, _ = submit(callout, f"Will Iran strike back {number}?")
        Question.objects.filter(pk=fresh.pk).update(group=group)
    return group


def test_editors_are_told_once_in_the_desk_and_by_email_when_a_group_passes_ten(
    callout, editor, mail_server, django_capture_on_commit_callbacks
):
    editor.email = "eva@example.com"
    editor.save(update_fields=["email"])
    group_with(callout, 9)
    assert editor_alerts_check_groups() == 0
    group = group_with(callout, 10)
    with django_capture_on_commit_callbacks(execute=True):
        assert editor_alerts_check_groups() == 1
        assert editor_alerts_check_groups() == 0
    alert = EditorAlert.objects.get(user=editor)
    assert alert.kind == "group_size" and "10 asked" in alert.text and f"group={group.pk}" in alert.url
    assert "Iran" not in alert.text  # the group's label is read when shown, never copied
    [message] = mail_server.received
    assert message["To"] == "eva@example.com" and "passed 10 readers" in message["Subject"]
    text, _ = mail_server.bodies(message)
    assert '"Will Iran retaliate?"' in text
    assert str(message["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"


def test_only_the_newsrooms_own_editors_are_told(callout, editor):
    elsewhere = staff_create(
        username="olga", password=PASSWORD, role=Role.EDITOR, newsroom=make_newsroom("The Other Times", "other")
    )
    group_with(callout, 10)
    assert editor_alerts_check_groups() == 1
    assert EditorAlert.objects.filter(user=editor).count() == 1
    assert not EditorAlert.objects.filter(user=elsewhere).exists()


def test_each_editor_sets_their_own_size_or_turns_alerts_off(callout, editor, newsroom):
    other = staff_create(username="max", password=PASSWORD, role=Role.EDITOR, newsroom=newsroom, name="Max")
    quiet = staff_create(username="quin", password=PASSWORD, role=Role.EDITOR, newsroom=newsroom, name="Quin")
    EditorAlertSettings.objects.create(user=editor, group_size=3, by_email=False)
    EditorAlertSettings.objects.create(user=quiet, in_desk=False, by_email=False, group_size=3)
    group_with(callout, 4)
    editor_alerts_check_groups()
    assert EditorAlert.objects.filter(user=editor).count() == 1
    assert not EditorAlert.objects.filter(user__in=[other, quiet]).exists()


def test_editors_are_told_when_a_group_grows_fast(callout, editor, settings):
    settings.ASKDESK_ALERT_FAST_QUESTIONS = 5
    group_with(callout, 6, recent=5)
    EditorAlertSettings.objects.create(user=editor, group_size=0)
    editor_alerts_check_groups()
    [alert] = EditorAlert.objects.filter(user=editor)
    assert alert.kind == "fast_growth" and "Growing fast: 5 readers" in alert.text


def test_the_desk_shows_a_badge_until_the_editor_reads_the_alerts_and_can_change_them(editor_client, editor, callout):
    group_with(callout, 12)
    editor_alerts_check_groups()
    home = editor_client.get(reverse("desk:home")).content.decode()
    assert '<span class="badge" aria-label="1 new">1</span>' in home
    page = editor_client.get(reverse("readers:alerts")).content.decode()
    assert "12 asked: “Will Iran retaliate?”" in page
    assert 'class="badge"' not in editor_client.get(reverse("desk:home")).content.decode()
    editor_client.post(
        reverse("readers:alerts"), {"in_desk": "on", "group_size": "25", "fast_growth": "", "round_closed": "on"}
    )
    saved = EditorAlertSettings.objects.get(user=editor)
    assert (saved.in_desk, saved.by_email, saved.group_size, saved.fast_growth) == (True, False, 25, False)


def test_experts_and_readers_have_no_alerts_page(client, expert_client):
    assert expert_client.get(reverse("readers:alerts")).status_code == 403
    assert client.get(reverse("readers:alerts")).status_code == 302
