"""The desk home: counts per call-out, arrivals per hour and each expert's load."""

from __future__ import annotations

from django.urls import reverse

from askdesk.answers.services import answer_save
from askdesk.questions.models import CalloutHourCount
from askdesk.questions.services import question_assign, state_counts_rebuild
from tests.conftest import submit


def test_desk_home_shows_counts_arrivals_and_load_per_expert(editor_client, callout, editor, expert, other_expert):
    for number in range(3):
        submit(callout, f"Question {number}?")
    to_answer, _ = submit(callout, "For Lyse?")
    waiting, _ = submit(callout, "Answered by Lyse?")
    question_assign(question=to_answer, expert=expert, actor=editor)
    question_assign(question=waiting, expert=expert, actor=editor)
    answer_save(question=waiting, expert=expert, body="Yes.", submit=True)
    page = editor_client.get(reverse("desk:home")).content.decode()
    assert 'data-label="Questions">5</td>' in page
    assert 'data-label="New">3</td>' in page
    assert "5 questions to open call-outs." in page
    assert 'max="5" value="5"' in page  # all in the current hour
    lyse = page[page.index("Lyse Doucet") :]
    assert lyse.index('data-label="To answer">1</td>') < lyse.index("Omar Other")
    assert 'data-label="Waiting for approval">1</td>' in lyse


def test_arrival_counts_are_rebuilt_from_the_questions(callout):
    submit(callout, "One?")
    submit(callout, "Two?")
    CalloutHourCount.objects.all().delete()
    state_counts_rebuild(callout=callout)
    assert sum(CalloutHourCount.objects.values_list("count", flat=True)) == 2
