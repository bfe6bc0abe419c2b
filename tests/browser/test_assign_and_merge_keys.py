"""Two more keys of the desk: `a` goes to the assign control of the current item, and `m` merges
the current group into the group above; both listed under `?`, both buttons without JavaScript."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from playwright.sync_api import BrowserContext, Page, expect

from askdesk.accounts.models import Expert
from askdesk.callouts.models import Callout
from askdesk.questions.models import Question, QuestionGroup, Theme
from tests.conftest import login, submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _focused_id(page: Page) -> str:
    """The id of the focused element, read through the debugging protocol (the page's CSP forbids eval)."""
    return str(page.evaluate("document.activeElement ? document.activeElement.id : ''"))


def _two_groups(callout: Callout) -> tuple[QuestionGroup, QuestionGroup]:
    """Two groups of the call-out, outside any theme, made by hand: the larger is listed first."""
    wordings = [
        ["Will Iran retaliate?", "Is Iran going to retaliate?", "Will there be a response?"],
        ["Will Iran strike back?", "Could Iran hit back?"],
    ]
    members = [[submit(callout, text)[0] for text in texts] for texts in wordings]
    # Drop what the background grouping made of them.
    QuestionGroup.objects.filter(callout=callout).delete()
    Theme.objects.filter(callout=callout).delete()
    groups = []
    for texts, questions in zip(wordings, members, strict=True):
        group = QuestionGroup.objects.create(
            callout=callout, label=texts[0], size=len(questions), representative=questions[0]
        )
        Question.objects.filter(pk__in=[q.pk for q in questions]).update(group=group, group_locked=True)
        groups.append(group)
    return groups[0], groups[1]


def test_m_merges_the_current_group_into_the_group_above_and_a_goes_to_its_expert_list(
    callout: Callout,
    editor: User,
    expert: Expert,
    new_context: Callable[..., BrowserContext],
    sign_in: Callable[[BrowserContext, User], Page],
) -> None:
    larger, smaller = _two_groups(callout)
    desk = sign_in(new_context(), editor)
    desk.goto(f"/desk/callouts/{callout.pk}/?view=groups")

    desk.keyboard.press("j")
    desk.keyboard.press("a")
    assert _focused_id(desk) == f"expert_{larger.pk}"
    desk.locator(f"#expert_{larger.pk}").select_option(str(expert.pk))
    desk.keyboard.press("Escape")

    desk.locator(f"#g-{smaller.pk} a").first.focus()
    desk.keyboard.press("j")
    expect(desk.locator(f"#g-{smaller.pk}")).to_have_class("group-row is-current")
    desk.keyboard.press("m")
    expect(desk.get_by_text("Merged into the group above: 5 readers now in one group.")).to_be_visible()
    assert not QuestionGroup.objects.filter(pk=smaller.pk).exists()
    assert Question.objects.filter(group=larger).count() == 5
    # Back at the merged group, ready for the next key.
    assert desk.url.endswith(f"#g-{larger.pk}")
    expect(desk.locator(f"#g-{larger.pk}")).to_have_class("group-row is-current")

    # Both keys are in the list that `?` opens.
    desk.keyboard.press("?")
    help_dialog = desk.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_dialog).to_contain_text("Merge into the group above")
    expect(help_dialog).to_contain_text("Assign: go to the group's expert list")


def test_a_ticks_the_current_question_and_goes_to_the_expert_list_that_assigns_it(
    callout: Callout,
    editor: User,
    expert: Expert,
    new_context: Callable[..., BrowserContext],
    sign_in: Callable[[BrowserContext, User], Page],
) -> None:
    submit(callout, "Older question?")
    newest, _ = submit(callout, "Newest question?")
    desk = sign_in(new_context(), editor)
    desk.goto(f"/desk/callouts/{callout.pk}/")
    desk.keyboard.press("j")
    desk.keyboard.press("a")
    expert_list = desk.get_by_label("Expert for the ticked questions")
    assert _focused_id(desk) == "bulk-expert"
    expect(desk.locator(f"#tick-{newest.pk}")).to_be_checked()
    expert_list.select_option(str(expert.pk))
    desk.get_by_role("button", name="Assign", exact=True).click()
    expect(desk.get_by_text("1 question assigned.")).to_be_visible()
    newest.refresh_from_db()
    assert newest.status == Question.Status.ASSIGNED and newest.assigned_to_id == expert.pk
    desk.keyboard.press("?")
    help_dialog = desk.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_dialog).to_contain_text("Assign: go to the expert list (the current question is ticked)")


def test_merging_into_the_group_above_works_without_javascript(callout: Callout, editor: User) -> None:
    larger, smaller = _two_groups(callout)
    desk = login(Client(), editor)
    page = desk.get(f"/desk/callouts/{callout.pk}/?view=groups").content.decode()
    assert f'value="{smaller.pk}:{larger.pk}"' in page
    assert f'value="{larger.pk}:' not in page  # the first group of a list has none above it
    response = desk.post(f"/desk/callouts/{callout.pk}/groups/", {"merge_into": f"{smaller.pk}:{larger.pk}"})
    assert response.status_code == 302 and response["Location"].endswith(f"?view=groups#g-{larger.pk}")
    assert Question.objects.filter(group=larger).count() == 5
