"""Constant-time counts: the per-state counters the services keep always equal a real count."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from askdesk.answers.services import answer_publish, answer_return, answer_save, question_unpublish
from askdesk.callouts.services import callout_set_status
from askdesk.privacy.services import retention_apply
from askdesk.questions.models import CalloutStateCount, Question
from askdesk.questions.selectors import triage_counts
from askdesk.questions.services import (
    group_apply,
    question_assign,
    question_delete_by_reader,
    question_move,
    question_transition,
    state_counts_rebuild,
)
from tests.conftest import submit


def real_counts(callout: Any) -> dict[str, int]:
    counts = dict.fromkeys(Question.Status.values, 0)
    counts.update(Question.objects.filter(callout=callout).values_list("status").annotate(n=Count("id")).order_by())
    return counts


def assert_counts_true(callout: Any) -> None:
    assert triage_counts(callout=callout) == real_counts(callout)


def test_every_editorial_path_keeps_the_state_counts_equal_to_a_real_count(callout, editor, expert):
    first, _ = submit(callout, "Will Iran retaliate?")
    second, _ = submit(callout, "Will Iran strike back?")
    third, _ = submit(callout, "Is the IAEA worried?")
    assert_counts_true(callout)
    for action in ("shortlist", "reject", "spam", "restore", "shortlist"):
        question_transition(question=third, action=action, actor=editor)
        assert_counts_true(callout)
    group = question_move(question=first, target=None, actor=editor)
    question_move(question=second, target=group, actor=editor)
    question_assign(question=first, expert=expert, actor=editor)
    answer_save(question=first, expert=expert, body="Not yet.", submit=True)
    assert_counts_true(callout)
    answer_return(question=first, actor=editor, note="Say more.")
    answer_save(question=first, expert=expert, body="Not yet, it says.", submit=True)
    answer_save(question=first, expert=expert, body="A draft again.", submit=False)
    answer_save(question=first, expert=expert, body="Not yet, it says.", submit=True)
    assert_counts_true(callout)
    answer_publish(question=first, actor=editor, cover=[second.pk])  # also covers the second question
    assert Question.objects.get(pk=second.pk).status == "covered"
    assert_counts_true(callout)
    question_unpublish(question=first, actor=editor)
    assert_counts_true(callout)
    group_apply(group=group, action="reject", actor=editor)
    assert_counts_true(callout)
    question_delete_by_reader(question=Question.objects.get(pk=second.pk))
    assert_counts_true(callout)


def test_retention_takes_deleted_questions_off_the_counts(callout, editor, settings):
    settings.ASKDESK_RETAIN_UNPUBLISHED_DAYS = 1
    submit(callout, "One?")
    question, _ = submit(callout, "Two?")
    question_transition(question=question, action="spam", actor=editor)
    callout_set_status(callout=callout, status="closed", actor=editor)
    retention_apply(now=callout.closed_at + dt.timedelta(days=2))
    assert sum(triage_counts(callout=callout).values()) == 0
    assert_counts_true(callout)


def test_rebuilding_the_counts_repairs_them(callout, editor):
    submit(callout, "One?")
    submit(callout, "Two?")
    CalloutStateCount.objects.filter(callout=callout).update(count=40)
    state_counts_rebuild(callout=callout)
    assert_counts_true(callout)


def test_the_triage_page_counts_no_questions_to_show_its_tabs_and_pages(editor_client, callout, editor):
    for number in range(5):
        question, _ = submit(callout, f"Question {number}?")
        if number % 2:
            question_transition(question=question, action="shortlist", actor=editor)
    for query in ("", "?status=shortlisted"):
        with CaptureQueriesContext(connection) as captured:
            page = editor_client.get(reverse("questions:triage", args=[callout.pk]) + query).content.decode()
        counting = [q["sql"] for q in captured if "COUNT(" in q["sql"].upper() and "questions_question" in q["sql"]]
        assert counting == []
    assert 'All <span class="count">5</span>' in page
    assert "2 questions" in page


def test_a_search_says_more_than_when_it_matches_more_than_it_counts(editor_client, callout, monkeypatch):
    monkeypatch.setattr("askdesk.questions.selectors.SEARCH_COUNT_CAP", 2)
    for number in range(4):
        submit(callout, f"Nuclear question {number}?")
    page = editor_client.get(reverse("questions:triage", args=[callout.pk]) + "?q=nuclear").content.decode()
    assert "More than 2 questions matching" in page
