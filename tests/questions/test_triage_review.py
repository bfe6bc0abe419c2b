"""What a review of the triage in the browser asked for: default tab, counts in a group, keeping the place."""

from __future__ import annotations

from django.urls import reverse

from askdesk.questions.services import question_move, question_transition
from tests.conftest import submit


def triage(client, callout, query=""):
    return client.get(reverse("questions:triage", args=[callout.pk]) + query).content.decode()


def test_triage_opens_on_the_questions_that_need_a_decision(editor_client, callout, editor):
    decided, _ = submit(callout, "Already shortlisted?")
    submit(callout, "Still to decide?")
    question_transition(question=decided, action="shortlist", actor=editor)
    page = triage(editor_client, callout)
    assert "Still to decide?" in page and "Already shortlisted?" not in page
    assert 'aria-current="page" data-state="new">New' in page
    everything = triage(editor_client, callout, "?status=all")
    assert "Still to decide?" in everything and "Already shortlisted?" in everything


def test_tabs_in_one_group_count_the_group_and_keep_it(editor_client, callout, editor):
    first, _ = submit(callout, "Will Iran retaliate?")
    second, _ = submit(callout, "Will Iran strike back?")
    for number in range(5):
        submit(callout, f"Unrelated {number}?")
    group = question_move(question=first, target=None, actor=editor)
    question_move(question=second, target=group, actor=editor)
    question_transition(question=second, action="reject", actor=editor)
    page = triage(editor_client, callout, f"?group={group.pk}")
    assert 'All <span class="count">2</span>' in page
    assert 'data-state="rejected">Rejected <span class="count">1</span>' in page
    assert f"status=rejected&amp;group={group.pk}" in page
    assert "Unrelated" not in page


def test_an_empty_search_says_nothing_matched_and_offers_every_state(editor_client, callout):
    submit(callout, "Will Iran retaliate?")
    page = triage(editor_client, callout, "?q=submarines")
    assert "No question matches “submarines”" in page
    assert "No questions here yet" not in page


def test_an_action_in_the_list_comes_back_to_the_same_place(editor_client, callout):
    older, _ = submit(callout, "Older question?")
    newer, _ = submit(callout, "Newer question?")
    list_url = reverse("questions:triage", args=[callout.pk]) + "?status=new"
    page = editor_client.get(list_url).content.decode()
    assert f'name="next" value="{list_url}#q-{older.pk}"' in page
    response = editor_client.post(
        reverse("questions:act", args=[newer.pk]), {"action": "reject", "next": f"{list_url}#q-{older.pk}"}
    )
    assert response["Location"] == f"{list_url}#q-{older.pk}"


def test_the_question_page_leads_to_the_next_question_of_the_same_list(editor_client, callout, editor):
    oldest, _ = submit(callout, "Oldest?")
    middle, _ = submit(callout, "Middle?")
    newest, _ = submit(callout, "Newest?")
    question_transition(question=middle, action="spam", actor=editor)
    page = editor_client.get(reverse("questions:detail", args=[newest.pk]) + "?status=new").content.decode()
    assert reverse("questions:detail", args=[oldest.pk]) + "?status=new" in page  # the spam one is skipped
    last = editor_client.get(reverse("questions:detail", args=[oldest.pk]) + "?status=new").content.decode()
    assert "No more questions in this list" in last
    assert reverse("questions:detail", args=[newest.pk]) + "?status=new" in last


def test_each_state_has_one_name_on_the_desk_and_on_the_readers_page(client, editor_client, callout, editor, expert):
    from askdesk.answers.services import answer_save
    from askdesk.questions.services import question_assign

    question, token = submit(callout, "Will Iran retaliate?")
    question_assign(question=question, expert=expert, actor=editor)
    answer_save(question=question, expert=expert, body="Not yet.", submit=True)
    desk = editor_client.get(reverse("questions:detail", args=[question.pk])).content.decode()
    reader = client.get(reverse("questions:status", args=[token])).content.decode()
    assert 'id="question-status">Waiting for approval<' in desk
    assert 'data-status="answered">Waiting for approval</strong>' in reader
    question_transition(question=question, action="reject", actor=editor)
    reader = client.get(reverse("questions:status", args=[token])).content.decode()
    assert "Not selected for an answer" in reader and "Rejected" not in reader


def test_ticked_questions_are_acted_on_in_one_request_and_others_left_alone(editor_client, callout, editor, expert):
    from askdesk.audit.models import AuditEvent
    from askdesk.questions.models import Question

    first, _ = submit(callout, "First?")
    second, _ = submit(callout, "Second?")
    submit(callout, "Untouched?")
    question_transition(question=second, action="spam", actor=editor)
    list_url = reverse("questions:triage", args=[callout.pk]) + "?status=new"
    assert 'form="bulk-form"' in editor_client.get(list_url).content.decode()
    response = editor_client.post(
        reverse("questions:bulk_act", args=[callout.pk]),
        {"bulk_action": "assign", "expert": expert.pk, "selected": [first.pk, second.pk], "next": list_url},
        follow=True,
    )
    assert "1 question assigned (1 left as they were)." in response.content.decode()
    states = dict(Question.objects.values_list("text", "status"))
    assert states == {"First?": "assigned", "Second?": "spam", "Untouched?": "new"}
    assert AuditEvent.objects.filter(action="question.assign").count() == 1


def test_questions_of_another_call_out_cannot_be_ticked_in(editor_client, callout, editor, newsroom):
    from askdesk.callouts.services import story_import
    from askdesk.questions.models import Question
    from tests.conftest import DEMO_STORY

    _, other_callout = story_import(newsroom=newsroom, raw=DEMO_STORY.read_text(), title="Other")
    stranger, _ = submit(other_callout, "Another call-out's question?")
    editor_client.post(
        reverse("questions:bulk_act", args=[callout.pk]), {"bulk_action": "reject", "selected": [stranger.pk]}
    )
    assert Question.objects.get(pk=stranger.pk).status == "new"


def test_the_last_action_can_be_undone_for_a_short_while(editor_client, callout, editor, monkeypatch):
    from askdesk.questions.models import Question
    from askdesk.questions.selectors import triage_counts

    first, _ = submit(callout, "First?")
    second, _ = submit(callout, "Second?")
    question_transition(question=second, action="shortlist", actor=editor)
    editor_client.post(
        reverse("questions:bulk_act", args=[callout.pk]), {"bulk_action": "reject", "selected": [first.pk, second.pk]}
    )
    page = triage(editor_client, callout, "?status=all")
    assert "You rejected 2 questions." in page
    editor_client.post(reverse("questions:undo", args=[callout.pk]))
    assert dict(Question.objects.values_list("text", "status")) == {"First?": "new", "Second?": "shortlisted"}
    assert triage_counts(callout=callout)["rejected"] == 0
    assert "You rejected" not in triage(editor_client, callout, "?status=all")
    # Later than the undo window: nothing to undo.
    editor_client.post(reverse("questions:act", args=[first.pk]), {"action": "spam"})
    monkeypatch.setattr("askdesk.questions.views.UNDO_SECONDS", -1)
    response = editor_client.post(reverse("questions:undo", args=[callout.pk]), follow=True)
    assert "There is nothing to undo any more." in response.content.decode()
    assert Question.objects.get(pk=first.pk).status == "spam"


def test_undo_leaves_a_question_another_editor_changed_since(editor_client, callout, editor):
    from askdesk.questions.models import Question

    question, _ = submit(callout, "Contested?")
    editor_client.post(reverse("questions:act", args=[question.pk]), {"action": "reject"})
    question_transition(question=question, action="spam", actor=editor)
    editor_client.post(reverse("questions:undo", args=[callout.pk]))
    assert Question.objects.get(pk=question.pk).status == "spam"
