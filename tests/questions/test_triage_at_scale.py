"""How triage stays as costly at a million questions as at a thousand: later pages, group counts, search."""

import re

from django.urls import reverse
from django.utils import timezone

from askdesk.questions.models import Question
from tests.conftest import submit


def triage_url(callout, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("questions:triage", args=[callout.pk]) + (f"?{query}" if query else "")


def listed_ids(html):
    return [int(pk) for pk in re.findall(r'<li class="question-row" data-question="(\d+)"', html)]


def test_later_pages_list_the_next_questions_newest_first_with_their_details(
    editor_client, callout, expert, settings
):
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
