import itertools

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from askdesk.answers.models import Answer
from askdesk.answers.services import answer_publish, answer_save
from askdesk.questions.byline import build_byline
from askdesk.questions.models import Question
from askdesk.questions.services import QuestionRefused, question_assign
from tests.conftest import submit


def answered(callout, expert, editor, text="Will Iran retaliate?", **reader):
    question, token = submit(callout, text, **reader)
    question_assign(question=question, expert=expert, actor=editor)
    answer_save(question=question, expert=expert, body="Iran has said it has no plans to retaliate.", submit=True)
    question.refresh_from_db()
    return question, token


@pytest.mark.parametrize(
    ("publish_name", "publish_age", "publish_location"), list(itertools.product([True, False], repeat=3))
)
def test_byline_shows_only_what_the_reader_allowed(publish_name, publish_age, publish_location):
    byline = build_byline(
        name="Sara",
        age=34,
        location="Leeds",
        publish_name=publish_name,
        publish_age=publish_age,
        publish_location=publish_location,
    )
    assert ("Sara" in byline) == publish_name
    assert ("34" in byline) == publish_age
    assert ("Leeds" in byline) == publish_location
    expected = {
        (True, True, True): "Sara, 34, Leeds",
        (True, True, False): "Sara, 34",
        (True, False, True): "Sara, Leeds",
        (True, False, False): "Sara",
        (False, True, True): "A 34-year-old reader from Leeds",
        (False, True, False): "A 34-year-old reader",
        (False, False, True): "A reader from Leeds",
        (False, False, False): "A reader",
    }
    assert byline == expected[(publish_name, publish_age, publish_location)]


def test_byline_uses_exactly_what_the_reader_typed():
    assert (
        build_byline(
            name="dr. j. o'neill",
            age=None,
            location="nr Cork, Ireland",
            publish_name=True,
            publish_age=True,
            publish_location=True,
        )
        == "dr. j. o'neill, nr Cork, Ireland"
    )
    assert (
        build_byline(name="", age=None, location="", publish_name=True, publish_age=True, publish_location=True)
        == "A reader"
    )


def test_expert_answers_editor_publishes_and_the_public_page_shows_it(
    client, editor_client, expert_client, callout, expert
):
    question, _ = submit(callout, "Will Iran retaliate?", name="Sara", age=34, location="Leeds", publish_age=False)
    editor_client.post(reverse("questions:act", args=[question.pk]), {"action": "assign", "expert": expert.pk})
    queue = expert_client.get(reverse("answers:queue")).content.decode()
    assert "Will Iran retaliate?" in queue
    page = expert_client.get(reverse("answers:edit", args=[question.pk])).content.decode()
    assert "No casualties have been reported." in page  # the story is beside the answer
    expert_client.post(
        reverse("answers:edit", args=[question.pk]), {"body": "Not for now, officials say.", "submit": "1"}
    )
    question.refresh_from_db()
    assert question.status == "answered" and question.answer.status == "submitted"
    public_url = reverse("answers:public", args=[callout.slug])
    assert "Will Iran retaliate?" not in client.get(public_url).content.decode()

    editor_client.post(reverse("answers:publish", args=[question.pk]))
    question.refresh_from_db()
    assert question.status == "published" and question.byline == "Sara, Leeds"
    assert question.answer.status == "approved" and question.answer.approved_by is not None
    public = client.get(public_url).content.decode()
    assert "Will Iran retaliate?" in public
    assert "Asked by Sara, Leeds" in public
    assert "Not for now, officials say." in public
    assert "Lyse Doucet" in public and "Chief international correspondent" in public
    assert "34" not in public.split("Asked by")[1].split("</p>")[0]

    editor_client.post(reverse("answers:act", args=[question.pk]), {"action": "unpublish"})
    assert "Will Iran retaliate?" not in client.get(public_url).content.decode()


def test_public_page_lists_newest_first_without_a_query_per_question(
    client, callout, expert, editor, django_assert_max_num_queries
):
    for number in range(6):
        question, _ = answered(callout, expert, editor, f"Question {number}?")
        answer_publish(question=question, actor=editor)
    # The call-out's version, the call-out with its counts, the published questions, the
    # questions readers may join: the same for 6 questions as for 600 (and 0 once cached).
    with django_assert_max_num_queries(4):
        page = client.get(reverse("answers:public", args=[callout.slug])).content.decode()
    assert page.index("Question 5?") < page.index("Question 0?")


def test_an_expert_can_save_a_draft_that_is_not_yet_for_approval(expert_client, editor, callout, expert):
    question, _ = submit(callout)
    question_assign(question=question, expert=expert, actor=editor)
    expert_client.post(reverse("answers:edit", args=[question.pk]), {"body": "Half an answer", "submit": "0"})
    question.refresh_from_db()
    assert question.status == "assigned" and question.answer.status == "draft"
    with pytest.raises(QuestionRefused):
        answer_publish(question=question, actor=editor)


def test_sending_an_empty_answer_is_refused_with_a_message(expert_client, editor, callout, expert):
    question, _ = submit(callout)
    question_assign(question=question, expert=expert, actor=editor)
    response = expert_client.post(reverse("answers:edit", args=[question.pk]), {"body": "  ", "submit": "1"})
    assert response.status_code == 400
    assert "Write the answer before sending it" in response.content.decode()
    assert not Answer.objects.exists()


def test_editor_sends_an_answer_back_to_the_expert(editor_client, editor, callout, expert):
    question, _ = answered(callout, expert, editor)
    editor_client.post(reverse("answers:act", args=[question.pk]), {"action": "return"})
    question.refresh_from_db()
    assert question.status == "assigned" and question.answer.status == "draft"


def test_a_question_without_recorded_consent_cannot_be_stored_or_published(editor, callout, expert):
    with pytest.raises(QuestionRefused, match="Consent"):
        submit(callout, consent=False)
    question, _ = answered(callout, expert, editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.filter(pk=question.pk).update(consented_at=None)
    question.refresh_from_db()
    assert question.consented_at is not None and question.status == "answered"


def test_the_reader_sees_the_answer_through_their_private_link(client, editor, callout, expert):
    question, token = answered(callout, expert, editor)
    answer_publish(question=question, actor=editor)
    page = client.get(reverse("questions:status", args=[token])).content.decode()
    assert 'data-status="published">Published</strong>' in page
    assert "Iran has said it has no plans to retaliate." in page


def test_a_reader_deleting_a_published_question_removes_it_from_the_public_page(client, editor, callout, expert):
    question, token = answered(callout, expert, editor, "Delete me later?")
    answer_publish(question=question, actor=editor)
    client.post(reverse("questions:delete", args=[token]))
    assert "Delete me later?" not in client.get(reverse("answers:public", args=[callout.slug])).content.decode()
    assert not Answer.objects.exists()
