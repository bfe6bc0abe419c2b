"""How triage stays as costly at a million questions as at a thousand: later pages, group counts, search."""

import re

import pytest
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from askdesk.answers.services import answer_publish, answer_return, answer_save, question_unpublish
from askdesk.questions.models import GroupStateCount, Question, QuestionGroup, Theme
from askdesk.questions.selectors import group_state_counts
from askdesk.questions.services import (
    group_apply,
    group_merge,
    groups_refresh,
    question_assign,
    question_delete_by_reader,
    question_edit_wording,
    question_move,
    question_transition,
    state_counts_rebuild,
)
from askdesk.search.selectors import search_questions
from tests.conftest import submit


def triage_url(callout, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("questions:triage", args=[callout.pk]) + (f"?{query}" if query else "")


def listed_ids(html):
    return [int(pk) for pk in re.findall(r'<li class="question-row" data-question="(\d+)"', html)]


def test_later_pages_list_the_next_questions_newest_first_with_their_details(editor_client, callout, expert, settings):
    settings.ASKDESK_TRIAGE_PAGE_SIZE = 4
    now = timezone.now()
    questions = []
    for number in range(10):
        question, _ = submit(callout, f"Question number {number}?")
        questions.append(question)
    # Two questions sent in the same second are ordered by id, on every page as on one list.
    Question.objects.filter(pk__in=[q.pk for q in questions[3:6]]).update(submitted_at=now)
    Question.objects.filter(pk=questions[2].pk).update(assigned_to=expert)
    expected = list(
        Question.objects.filter(callout=callout).order_by("-submitted_at", "-id").values_list("pk", flat=True)
    )

    pages = [editor_client.get(triage_url(callout, status="all", page=n)).content.decode() for n in (1, 2, 3)]

    assert [listed_ids(page) for page in pages] == [expected[0:4], expected[4:8], expected[8:10]]
    later = pages[1] + pages[2]
    assert "assigned to Lyse Doucet" in later
    assert "Page 2 of 3" in pages[1] and 'rel="prev"' in pages[1] and 'rel="next"' in pages[1]


def real_group_counts(group):
    counts = dict.fromkeys(Question.Status.values, 0)
    counts.update(Question.objects.filter(group=group).values_list("status").annotate(n=Count("id")).order_by())
    return counts


def assert_group_counts_true(callout):
    for group in QuestionGroup.objects.filter(callout=callout):
        assert group_state_counts(group=group) == real_group_counts(group), group


def test_every_editorial_path_keeps_each_groups_state_counts_equal_to_a_real_count(callout, editor, expert):
    first, _ = submit(callout, "Will Iran retaliate?")
    second, _ = submit(callout, "Will Iran strike back?")
    third, _ = submit(callout, "Is the IAEA worried?")
    group = question_move(question=first, target=None, actor=editor)
    question_move(question=second, target=group, actor=editor)
    question_move(question=third, target=group, actor=editor)
    assert_group_counts_true(callout)
    for action in ("shortlist", "reject", "spam", "restore", "shortlist"):
        question_transition(question=third, action=action, actor=editor)
        assert_group_counts_true(callout)
    question_assign(question=first, expert=expert, actor=editor)
    answer_save(question=first, expert=expert, body="Not yet.", submit=True)
    answer_return(question=first, actor=editor, note="Say more.")
    answer_save(question=first, expert=expert, body="Not yet, it says.", submit=True)
    assert_group_counts_true(callout)
    answer_publish(question=first, actor=editor, cover=[second.pk])  # also covers the second question
    assert_group_counts_true(callout)
    question_unpublish(question=first, actor=editor)
    assert_group_counts_true(callout)
    group_apply(group=group, action="reject", actor=editor)
    assert_group_counts_true(callout)
    question_delete_by_reader(question=Question.objects.get(pk=second.pk))
    assert_group_counts_true(callout)
    assert group_state_counts(group=group)["rejected"] == 2


def test_moving_and_merging_questions_keeps_both_groups_counts_right(callout, editor):
    questions = [submit(callout, f"Question {n}?")[0] for n in range(5)]
    big = question_move(question=questions[0], target=None, actor=editor)
    small = question_move(question=questions[3], target=None, actor=editor)
    for question in questions[1:3]:
        question_move(question=question, target=big, actor=editor)
    question_move(question=questions[4], target=small, actor=editor)
    question_transition(question=questions[1], action="shortlist", actor=editor)
    question_transition(question=questions[4], action="reject", actor=editor)
    question_move(question=Question.objects.get(pk=questions[1].pk), target=small, actor=editor)
    assert group_state_counts(group=big) == {**real_group_counts(big), "new": 2}
    assert group_state_counts(group=small) == {**real_group_counts(small), "new": 1, "shortlisted": 1, "rejected": 1}
    group_merge(target=big, others=[small], actor=editor)
    assert group_state_counts(group=big) == {**real_group_counts(big), "new": 3, "shortlisted": 1, "rejected": 1}
    assert not GroupStateCount.objects.filter(group_id=small.pk).exists()


def test_a_state_change_rolled_back_leaves_the_group_counts_as_they_were(callout, editor):
    question, _ = submit(callout)
    group = question_move(question=question, target=None, actor=editor)
    with pytest.raises(RuntimeError), transaction.atomic():
        question_transition(question=question, action="shortlist", actor=editor)
        raise RuntimeError("the request failed after the change")
    assert group_state_counts(group=group) == {**real_group_counts(group), "new": 1}


def test_rebuilding_the_counts_repairs_the_groups_counts(callout, editor):
    question, _ = submit(callout)
    group = question_move(question=question, target=None, actor=editor)
    GroupStateCount.objects.filter(group=group).update(count=40)
    state_counts_rebuild(callout=callout)
    assert_group_counts_true(callout)


def test_one_groups_list_shows_its_tabs_and_total_without_counting_its_questions(editor_client, callout, editor):
    questions = [submit(callout, f"Question {n}?")[0] for n in range(4)]
    submit(callout, "Not in the group?")
    group = question_move(question=questions[0], target=None, actor=editor)
    for question in questions[1:]:
        question_move(question=question, target=group, actor=editor)
    question_transition(question=questions[1], action="shortlist", actor=editor)
    question_transition(question=questions[2], action="spam", actor=editor)
    with CaptureQueriesContext(connection) as captured:
        page = editor_client.get(triage_url(callout, group=group.pk)).content.decode()
    counting = [q["sql"] for q in captured if "COUNT(" in q["sql"].upper() and "questions_question" in q["sql"]]
    assert counting == []
    assert 'All <span class="count">3</span>' in page  # as many as it lists: spam has its own tab
    assert 'Shortlisted <span class="count">1</span>' in page and 'Spam <span class="count">1</span>' in page
    assert "3 questions" in page  # the list leaves its spam out
    assert len(listed_ids(page)) == 3


def arrived_in_hour(question, hours_ago, minute):
    """Put the question in the clock hour ``hours_ago`` full hours before this one, at ``minute``."""
    this_hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    at = this_hour - timezone.timedelta(hours=hours_ago + 1) + timezone.timedelta(minutes=minute)
    Question.objects.filter(pk=question.pk).update(submitted_at=at)


def test_a_search_of_a_large_callout_lists_its_newest_matches_as_a_search_of_every_question_would(
    editor_client, callout, editor, monkeypatch, settings
):
    settings.ASKDESK_TRIAGE_PAGE_SIZE = 1
    # Two questions an hour over five hours; the newest hour's do not match.
    for hour in range(5):
        for minute in (10, 20):
            question, _ = submit(callout, f"Nuclear strike {hour}-{minute}?" if hour else f"Ceasefire {minute}?")
            arrived_in_hour(question, hour, minute)
    spam, _ = submit(callout, "Nuclear spam?")
    arrived_in_hour(spam, 1, 30)
    question_transition(question=spam, action="spam", actor=editor)
    state_counts_rebuild(callout=callout)  # the arrivals by hour, from the times set above
    expected = list(
        Question.objects.filter(callout=callout, text__startswith="Nuclear strike")
        .order_by("-submitted_at", "-id")
        .values_list("pk", flat=True)
    )

    def pages(query, numbers):
        """The ids listed on these pages of the search, one page after another."""
        return [
            pk
            for n in numbers
            for pk in listed_ids(editor_client.get(triage_url(callout, q=query, page=n)).content.decode())
        ]

    assert pages("nuclear", range(1, 9)) == expected
    # The newest 6 questions arrived in the last three hours, with 4 matches: enough to list the
    # first 2 and say "more than 2" without looking further back.
    monkeypatch.setattr("askdesk.questions.selectors.SEARCH_WINDOW", 6)
    monkeypatch.setattr("askdesk.questions.selectors.SEARCH_COUNT_CAP", 2)
    with CaptureQueriesContext(connection) as captured:
        first = editor_client.get(triage_url(callout, q="nuclear")).content.decode()
    assert listed_ids(first) == expected[:1] and "More than 2 questions matching" in first
    assert any('"submitted_at" >=' in query["sql"] for query in captured)
    assert pages("nuclear", [2, 3]) == [expected[1], expected[1]]  # two pages for "more than 2"
    # The newest 2 (the last hour) hold no match; the wider window, the newest 6 (three hours), does.
    monkeypatch.setattr("askdesk.questions.selectors.SEARCH_WINDOW", 2)
    monkeypatch.setattr("askdesk.questions.selectors.SEARCH_WIDER", 3)
    first = editor_client.get(triage_url(callout, q="nuclear")).content.decode()
    assert listed_ids(first) == expected[:1] and "More than 2 questions matching" in first
    assert pages("nuclear", [2, 3]) == [expected[1], expected[1]]
    monkeypatch.setattr("askdesk.questions.selectors.SEARCH_WINDOW", 6)
    # Too few matches among the newest for the count: every question is searched and counted.
    monkeypatch.setattr("askdesk.questions.selectors.SEARCH_COUNT_CAP", 100)
    with CaptureQueriesContext(connection) as captured:
        first = editor_client.get(triage_url(callout, q="nuclear")).content.decode()
    assert "8 questions matching" in first and listed_ids(first) == expected[:1]
    assert pages("nuclear", range(1, 9)) == expected


def test_the_newest_first_form_of_a_search_finds_what_the_indexed_one_finds_after_edits(callout, editor):
    question, _ = submit(callout, "Will Iran retaliate?")
    submit(callout, "What is the IAEA?")
    every = Question.objects.filter(callout=callout)
    for words in ("iran", "retal", "iaea", "inspector"):
        assert set(search_questions(every, words, scan=True)) == set(search_questions(every, words)), words
    question_edit_wording(question=question, public_text="Will the IAEA inspectors go back?", actor=editor)
    assert set(search_questions(every, "inspector", scan=True)) == {question}
    assert set(search_questions(every, "inspector")) == {question}


def test_the_groups_view_offers_each_group_every_theme_but_its_own(editor_client, callout, editor):
    first = question_move(question=submit(callout, "Will Iran retaliate?")[0], target=None, actor=editor)
    second = question_move(question=submit(callout, "Is the IAEA worried?")[0], target=None, actor=editor)
    iran = Theme.objects.create(callout=callout)
    nuclear = Theme.objects.create(callout=callout)
    # A theme is labelled after its largest group, here by the editor's title for it.
    QuestionGroup.objects.filter(pk=first.pk).update(theme=iran, title="Iran & <Israel>")
    QuestionGroup.objects.filter(pk=second.pk).update(theme=nuclear, title="Nuclear " + "sites " * 20)
    groups_refresh(callout_id=callout.pk)
    page = editor_client.get(triage_url(callout, view="groups", theme=iran.pk)).content.decode()
    choices = re.search(rf'<select id="theme_{first.pk}".*?</select>', page, re.S).group(0)
    assert f'<option value="{nuclear.pk}">Nuclear sites sites sites sites sites sites sites…</option>' in choices
    assert f'value="{iran.pk}"' not in choices
    page = editor_client.get(triage_url(callout, view="groups", theme=nuclear.pk)).content.decode()
    choices = re.search(rf'<select id="theme_{second.pk}".*?</select>', page, re.S).group(0)
    assert f'<option value="{iran.pk}">Iran &amp; &lt;Israel&gt;</option>' in choices
