import pytest
from django.urls import reverse

from askdesk.audit.models import AuditEvent
from askdesk.questions.models import Question
from askdesk.questions.services import question_submit
from tests.conftest import login, submit


def triage_url(callout, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("questions:triage", args=[callout.pk]) + (f"?{query}" if query else "")


def act(client, question, **data):
    return client.post(reverse("questions:act", args=[question.pk]), data)


def test_editor_sees_counts_per_state_and_filters_by_state(editor_client, callout):
    first, _ = submit(callout, "Will Iran retaliate?")
    submit(callout, "What is the IAEA?")
    act(editor_client, first, action="shortlist")
    page = editor_client.get(triage_url(callout, status="all")).content.decode()
    assert "Will Iran retaliate?" in page and "What is the IAEA?" in page
    assert 'All <span class="count">2</span>' in page
    shortlisted = editor_client.get(triage_url(callout, status="shortlisted")).content.decode()
    assert "Will Iran retaliate?" in shortlisted and "What is the IAEA?" not in shortlisted


def test_editor_searches_question_text(editor_client, callout):
    submit(callout, "Will Iran retaliate?")
    submit(callout, "What is the IAEA?")
    page = editor_client.get(triage_url(callout, q="iaea")).content.decode()
    assert "What is the IAEA?" in page and "Will Iran retaliate?" not in page


def test_triage_pages_through_questions_with_a_constant_number_of_queries(
    editor_client, callout, expert, settings, django_assert_max_num_queries
):
    settings.ASKDESK_TRIAGE_PAGE_SIZE = 10
    for number in range(25):
        question, _ = submit(callout, f"Question number {number}?")
        if number % 3 == 0:
            act(editor_client, question, action="assign", expert=expert.pk)
    # Session, user, roles, call-out, experts, counts, questions flagged as welfare (a partial
    # index), page count, page rows: no query per row.
    with django_assert_max_num_queries(13):
        page1 = editor_client.get(triage_url(callout, status="all")).content.decode()
    assert "Page 1 of 3" in page1 and "Question number 24?" in page1
    page3 = editor_client.get(triage_url(callout, status="all", page=3)).content.decode()
    assert "Question number 0?" in page3 and "Question number 24?" not in page3


def test_shortlist_assign_reject_spam_and_restore_are_recorded(editor_client, editor, callout, expert):
    question, _ = submit(callout)
    act(editor_client, question, action="shortlist")
    act(editor_client, question, action="assign", expert=expert.pk)
    question.refresh_from_db()
    assert question.status == "assigned" and question.assigned_to == expert
    act(editor_client, question, action="reject")
    question.refresh_from_db()
    assert question.status == "rejected" and question.assigned_to is None
    act(editor_client, question, action="spam")
    act(editor_client, question, action="restore")
    question.refresh_from_db()
    assert question.status == "new"
    events = AuditEvent.objects.filter(object_type="questions.question", object_id=str(question.pk))
    actions = list(events.order_by("id").values_list("action", "actor"))
    assert actions == [
        ("question.shortlist", editor.pk),
        ("question.assign", editor.pk),
        ("question.reject", editor.pk),
        ("question.spam", editor.pk),
        ("question.restore", editor.pk),
    ]


def test_an_action_that_does_not_fit_the_state_is_refused_and_changes_nothing(editor_client, callout):
    question, _ = submit(callout)
    question.status = Question.Status.PUBLISHED
    question.save(update_fields=["status"])
    response = act(editor_client, question, action="spam")
    follow = editor_client.get(response["Location"]).content.decode()
    assert "cannot be marked as spam" in follow
    question.refresh_from_db()
    assert question.status == "published"


def test_editing_the_wording_keeps_the_readers_original(editor_client, callout):
    question, _ = submit(callout, "will iran hit back??? my neighbour says yes")
    act(editor_client, question, action="edit_wording", public_text="Will Iran hit back?")
    question.refresh_from_db()
    assert question.text == "will iran hit back??? my neighbour says yes"
    assert question.display_text == "Will Iran hit back?"
    page = editor_client.get(reverse("questions:detail", args=[question.pk])).content.decode()
    assert "Reader's original" in page and "my neighbour says yes" in page


def test_experts_and_anonymous_readers_cannot_triage(client, expert, callout):
    question, _ = submit(callout)
    anonymous = client.get(triage_url(callout))
    assert anonymous.status_code == 302 and "/desk/login/" in anonymous["Location"]
    expert_client = login(client, expert.user)
    assert expert_client.get(triage_url(callout)).status_code == 403
    assert act(expert_client, question, action="shortlist").status_code == 403
    question.refresh_from_db()
    assert question.status == "new"


def test_an_expert_sees_only_questions_assigned_to_them(client, editor_client, callout, expert, other_expert):
    mine, _ = submit(callout, "Mine to answer?")
    act(editor_client, mine, action="assign", expert=expert.pk)
    other = login(client, other_expert.user)
    assert other.get(reverse("questions:detail", args=[mine.pk])).status_code == 404
    assert other.get(reverse("answers:edit", args=[mine.pk])).status_code == 404
    assert "Mine to answer?" not in other.get(reverse("answers:queue")).content.decode()


def test_a_question_is_counted_once_even_if_submitted_concurrently(callout):
    import uuid

    key = uuid.uuid4()
    first = question_submit(callout=callout, submission_key=key, text="Same?", consent=True)
    second = question_submit(callout=callout, submission_key=key, text="Same?", consent=True)
    assert first[0].pk == second[0].pk and first[1] == second[1]
    assert (first[2], second[2]) == (True, False)


@pytest.mark.parametrize("status", ["closed"])
def test_editor_closes_and_reopens_a_callout(editor_client, callout, status):
    editor_client.post(reverse("desk:callout_status", args=[callout.pk]), {"status": status})
    callout.refresh_from_db()
    assert callout.status == "closed" and callout.closed_at is not None
    editor_client.post(reverse("desk:callout_status", args=[callout.pk]), {"status": "open"})
    callout.refresh_from_db()
    assert callout.is_open and callout.closed_at is None


def test_the_all_tab_counts_the_questions_it_lists_which_leave_spam_out(editor_client, callout):
    submit(callout, "Will the road reopen?")
    junk, _ = submit(callout, "Buy cheap watches now")
    act(editor_client, junk, action="spam")
    page = editor_client.get(triage_url(callout, status="all")).content.decode()
    assert "Will the road reopen?" in page and "Buy cheap watches now" not in page
    assert 'All <span class="count">1</span>' in page
    assert 'data-state="spam">Spam <span class="count">1</span>' in page
