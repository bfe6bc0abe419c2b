"""Recounting groups and themes after questions move: right sizes and labels, at a cost that does
not grow with the number of themes in the call-out."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from askdesk.questions.models import Question, QuestionGroup, Theme
from askdesk.questions.services import group_move_to_theme, groups_refresh, question_move
from tests.conftest import submit


def theme_with_group(callout, text: str) -> tuple[Theme, QuestionGroup, Question]:
    question, _ = submit(callout, text)
    theme = Theme.objects.create(callout=callout)
    group = QuestionGroup.objects.create(callout=callout, representative=question, size=0, theme=theme)
    Question.objects.filter(pk=question.pk).update(group=group)
    groups_refresh(callout_id=callout.pk, group_ids=[group.pk])
    return theme, group, question


def queries_to_refresh(callout, group: QuestionGroup) -> int:
    groups_refresh(callout_id=callout.pk, group_ids=[group.pk])  # settles what changed since
    with CaptureQueriesContext(connection) as queries:
        groups_refresh(callout_id=callout.pk, group_ids=[group.pk])
    return len(queries)


def test_refreshing_one_group_costs_the_same_with_five_themes_or_forty(callout):
    _, first, _ = theme_with_group(callout, "Will Iran retaliate?")
    for n in range(4):
        theme_with_group(callout, f"Question number {n} about the strike?")
    with_five = queries_to_refresh(callout, first)
    for n in range(35):
        theme_with_group(callout, f"Another question {n} about the strike?")
    assert Theme.objects.filter(callout=callout).count() == 40
    assert queries_to_refresh(callout, first) == with_five


def test_a_theme_a_question_or_group_leaves_gets_its_size_and_label_again(callout, editor):
    big, group, question = theme_with_group(callout, "Will Iran retaliate?")
    second, _ = submit(callout, "Is Iran going to strike back?")
    Question.objects.filter(pk=second.pk).update(group=group)
    groups_refresh(callout_id=callout.pk, group_ids=[group.pk])
    small, other, _ = theme_with_group(callout, "Were nuclear sites hit?")
    big.refresh_from_db()
    assert (big.size, big.label) == (2, "Will Iran retaliate?")

    question_move(question=Question.objects.get(pk=question.pk), target=other, actor=editor)
    big.refresh_from_db()
    small.refresh_from_db()
    assert (big.size, big.label) == (1, "Is Iran going to strike back?")
    assert small.size == 2

    group_move_to_theme(group=QuestionGroup.objects.get(pk=group.pk), theme=small, actor=editor)
    assert not Theme.objects.filter(pk=big.pk).exists()  # emptied: gone
    small.refresh_from_db()
    assert small.size == 3 and small.label == "Were nuclear sites hit?"
