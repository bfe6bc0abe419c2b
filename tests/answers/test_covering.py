"""One answer reaches only the readers it answers: editors tick who else it answers, readers can say no."""

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from askdesk.analysis.models import QuestionVector
from askdesk.answers.selectors import cover_candidates
from askdesk.answers.services import answer_publish, answer_publish_from_story, answer_save, question_unpublish
from askdesk.audit.models import AuditEvent
from askdesk.questions.models import Question, QuestionEvidence, QuestionGroup
from askdesk.questions.services import question_assign, question_decline_cover, question_transition
from tests.conftest import submit

ANSWER = "Officials say there are no plans to."


def unit(*values):
    vector = np.zeros(8, dtype=np.float32)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


SAME = unit(1.0)
CLOSE = unit(1.0, 0.2)  # cosine 0.98 with SAME
OTHER = unit(0.0, 1.0)  # cosine 0 with SAME


def with_vector(question, vector, embedder="test-8"):
    QuestionVector.objects.create(question=question, embedder=embedder, vector=np.asarray(vector).tobytes())
    return question


@pytest.fixture
def group(callout):
    return QuestionGroup.objects.create(callout=callout, label="Will Iran retaliate?")


def grouped(callout, group, text, vector=None):
    question, token = submit(callout, text)
    Question.objects.filter(pk=question.pk).update(group=group)
    question.refresh_from_db()
    if vector is not None:
        with_vector(question, vector)
    return question, token


def answered(question, expert, editor):
    question_assign(question=question, expert=expert, actor=editor)
    answer_save(question=question, expert=expert, body=ANSWER, submit=True)
    question.refresh_from_db()
    return question


@pytest.fixture
def readers(callout, group, expert, editor):
    """A published-to-be question and the other questions of its machine-made group."""
    anchor = answered(grouped(callout, group, "Will Iran retaliate?", SAME)[0], expert, editor)
    close, close_token = grouped(callout, group, "Is Iran going to retaliate?", CLOSE)
    other, _ = grouped(callout, group, "Does Iran actually have nuclear weapons?", OTHER)
    assigned, _ = grouped(callout, group, "Will Iran hit back?", CLOSE)
    question_assign(question=assigned, expert=expert, actor=editor)
    unseen, _ = grouped(callout, group, "Will Tehran respond?")  # the worker has not embedded it yet
    rejected, _ = grouped(callout, group, "Iran retaliate??", SAME)
    question_transition(question=rejected, action="reject", actor=editor)
    return {
        "anchor": anchor,
        "close": close,
        "close_token": close_token,
        "other": other,
        "assigned": assigned,
        "unseen": unseen,
        "rejected": rejected,
    }


def refreshed(*questions):
    for question in questions:
        question.refresh_from_db()
    return questions


def test_only_close_new_or_shortlisted_matches_are_ticked_by_default(readers):
    candidates = {c.question.pk: c for c in cover_candidates(question=readers["anchor"])}
    assert readers["rejected"].pk not in candidates  # set aside by an editor: never offered
    assert candidates[readers["close"].pk].ticked
    assert not candidates[readers["other"].pk].ticked
    assert candidates[readers["other"].pk].why_not == "may ask something else"
    assert not candidates[readers["assigned"].pk].ticked  # an expert's work is never swept up
    assert candidates[readers["unseen"].pk].score is None and not candidates[readers["unseen"].pk].ticked
    assert next(iter(candidates.values())).question == readers["close"]  # close matches first


def test_publishing_covers_exactly_the_ticked_questions_and_records_which_answer_covers_them(readers, editor):
    anchor, close, other, assigned = readers["anchor"], readers["close"], readers["other"], readers["assigned"]
    answer_publish(question=anchor, actor=editor, cover=[close.pk])
    refreshed(close, other, assigned)
    assert (close.status, close.covered_by_id) == ("covered", anchor.pk)
    assert (other.status, other.covered_by_id) == ("new", None)
    assert assigned.status == "assigned"
    event = AuditEvent.objects.get(action="question.publish", object_id=str(anchor.pk))
    assert event.detail["covered"] == [close.pk]
    assert AuditEvent.objects.filter(action="question.cover", object_id=str(close.pk)).exists()


def test_a_publication_with_no_ticks_covers_no_one(readers, editor):
    answer_publish(question=readers["anchor"], actor=editor, cover=[])
    assert not Question.objects.filter(status="covered").exists()


def test_an_expert_s_question_is_covered_only_by_an_explicit_tick_and_gets_its_state_back(readers, editor):
    anchor, assigned = readers["anchor"], readers["assigned"]
    answer_publish(question=anchor, actor=editor, cover=[assigned.pk, readers["rejected"].pk])
    refreshed(assigned, readers["rejected"])
    assert (assigned.status, assigned.covered_by_id) == ("covered", anchor.pk)
    assert readers["rejected"].status == "rejected"  # not open to an answer: left alone
    question_unpublish(question=anchor, actor=editor)
    refreshed(assigned)
    assert (assigned.status, assigned.covered_by_id, assigned.assigned_to_id) == (
        "assigned",
        None,
        readers["anchor"].assigned_to_id,
    )


def test_the_editor_sees_who_else_the_answer_answers_and_unticks_before_publishing(editor_client, readers):
    anchor, close = readers["anchor"], readers["close"]
    detail = editor_client.get(reverse("questions:detail", args=[anchor.pk])).content.decode()
    assert reverse("answers:publish", args=[anchor.pk]) in detail
    page = editor_client.get(reverse("answers:publish", args=[anchor.pk])).content.decode()
    assert "This will also answer these 4 readers" in page
    assert f'value="{close.pk}" id="cover-{close.pk}" checked' in page
    assert f'value="{readers["other"].pk}" id="cover-{readers["other"].pk}">' in page
    # The editor unticks everything: only the published question is answered.
    response = editor_client.post(reverse("answers:publish", args=[anchor.pk]), {})
    assert response.status_code == 302
    refreshed(anchor, close)
    assert anchor.status == "published" and close.status == "new"


def test_publishing_in_one_click_without_seeing_the_list_is_not_possible(editor_client, readers):
    anchor = readers["anchor"]
    editor_client.post(reverse("answers:act", args=[anchor.pk]), {"action": "publish"})
    editor_client.post(reverse("answers:act", args=[anchor.pk]), {"action": "publish_from_story"})
    refreshed(anchor)
    assert anchor.status == "answered"


def test_a_covered_reader_sees_what_was_answered_and_can_send_their_question_back(
    client, editor_client, readers, editor
):
    anchor, close = readers["anchor"], readers["close"]
    answer_publish(question=anchor, actor=editor, cover=[close.pk])
    status_url = reverse("questions:status", args=[readers["close_token"]])
    page = client.get(status_url).content.decode()
    assert "You asked: <q>Is Iran going to retaliate?</q>" in page
    assert "We answered <q>Will Iran retaliate?</q>, which we think answers yours too." in page
    assert ANSWER in page
    decline_url = reverse("questions:decline_cover", args=[readers["close_token"]])
    assert client.get(decline_url).status_code == 405  # a link preview or crawler cannot send it back

    response = client.post(decline_url)
    assert response.status_code == 302 and response["Location"] == status_url
    refreshed(close)
    assert (close.status, close.covered_by_id, close.cover_declined_from_id) == ("new", None, anchor.pk)
    assert AuditEvent.objects.filter(action="question.cover_declined", object_id=str(close.pk)).exists()
    page = client.get(status_url).content.decode()
    assert ANSWER not in page and 'data-status="new">New</strong>' in page
    # Editors see it in triage and on both questions, and it is not ticked by default again.
    triage = editor_client.get(reverse("questions:triage", args=[close.callout_id])).content.decode()
    assert "Reader: the published answer missed it" in triage
    assert "does not answer theirs" in editor_client.get(reverse("questions:detail", args=[close.pk])).content.decode()
    published = editor_client.get(reverse("questions:detail", args=[anchor.pk])).content.decode()
    assert "1 reader says this answer does not answer their question" in published
    question_unpublish(question=anchor, actor=editor)
    again = {c.question.pk: c for c in cover_candidates(question=anchor)}
    assert not again[close.pk].ticked


def test_a_shortlisted_reader_who_declines_goes_back_to_the_shortlist(readers, editor):
    close = readers["close"]
    question_transition(question=close, action="shortlist", actor=editor)
    answer_publish(question=readers["anchor"], actor=editor, cover=[close.pk])
    question_decline_cover(question=close)
    refreshed(close)
    assert close.status == "shortlisted"


# The answer from the story -----------------------------------------------------------------


@pytest.fixture
def story_answered(callout, group):
    """A question the story answers, with the passages the worker found."""
    question, token = grouped(callout, group, "Were there any casualties?", SAME)
    sentence = callout.story.sentences.get(text="No casualties have been reported.")
    other = callout.story.sentences.exclude(pk=sentence.pk).order_by("position").first()
    QuestionEvidence.objects.create(
        question=question,
        answered=True,
        confidence=0.8,
        sentences=[[sentence.key, 0.9], [other.key, 0.5]],
        embedder="test-8",
    )
    return question, token, sentence


def test_publishing_from_the_story_opens_a_preview_and_nothing_is_public_until_confirmed(
    client, editor_client, callout, story_answered
):
    question, _, sentence = story_answered
    before = callout.story.sentences.get(position=sentence.position - 1)
    url = reverse("answers:publish_from_story", args=[question.pk])
    page = editor_client.get(url).content.decode()
    assert "What readers will see" in page and sentence.text in page
    assert f'value="{before.key},{sentence.key}"' in page  # extend to the sentence before
    # An updated preview publishes nothing.
    preview = editor_client.post(
        url, {"passage": f"{before.key},{sentence.key}", "context": "Our story says:", "confirm": "0"}
    ).content.decode()
    assert f"{before.text} {sentence.text}" in preview and "Our story says:" in preview
    refreshed(question)
    assert question.status == "new"

    editor_client.post(url, {"passage": f"{before.key},{sentence.key}", "context": "Our story says:", "confirm": "1"})
    refreshed(question)
    assert question.status == "published"
    assert question.answer.body == f"{before.text} {sentence.text}"
    assert question.answer.context == "Our story says:"
    assert question.answer.sentence_keys == [before.key, sentence.key]
    public = client.get(reverse("answers:public", args=[callout.slug])).content.decode()
    assert "Our story says:" in public
    assert f'{reverse("questions:story", args=[callout.story.slug])}#{before.key}">our story</a>' in public


def test_a_story_passage_must_be_consecutive_sentences_around_a_found_one(editor, callout, story_answered):
    question, _, sentence = story_answered
    far = callout.story.sentences.get(position=sentence.position + 2)
    next_one = callout.story.sentences.get(position=sentence.position + 1)
    with pytest.raises(Exception, match="consecutive"):
        answer_publish_from_story(question=question, actor=editor, passage=[sentence.key, far.key])
    with pytest.raises(Exception, match="passages askdesk found"):
        answer_publish_from_story(question=question, actor=editor, passage=[far.key])
    with pytest.raises(Exception, match="contact details"):
        answer_publish_from_story(
            question=question, actor=editor, passage=[sentence.key], context="Call me on 07700 900123"
        )
    answer_publish_from_story(question=question, actor=editor, passage=[sentence.key, next_one.key])
    refreshed(question)
    assert question.status == "published"


def test_the_story_pointer_shows_only_when_the_story_may_answer(client, story_answered):
    question, token, sentence = story_answered
    status_url = reverse("questions:status", args=[token])
    page = client.get(status_url).content.decode()
    assert "The story may already answer this" in page and sentence.text in page
    QuestionEvidence.objects.filter(question=question).update(answered=False)
    page = client.get(status_url).content.decode()
    assert "The story may already answer this" not in page and sentence.text not in page


def test_the_publish_page_makes_the_same_number_of_queries_for_a_larger_group(editor_client, readers, callout, group):
    url = reverse("answers:publish", args=[readers["anchor"].pk])
    with CaptureQueriesContext(connection) as small:
        editor_client.get(url)
    for n in range(6):
        grouped(callout, group, f"Will Iran retaliate soon, question {n}?", CLOSE)
    with CaptureQueriesContext(connection) as large:
        page = editor_client.get(url).content.decode()
    assert "This will also answer these 10 readers" in page
    assert len(large) == len(small)
