from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from askdesk.accounts.models import Expert
from askdesk.answers.models import Answer
from askdesk.audit.services import audit_record
from askdesk.nlp.scrub import find_contact_details
from askdesk.questions.byline import byline_for
from askdesk.questions.models import Question, QuestionEvidence
from askdesk.questions.services import QuestionRefused, questions_set_status, state_counts_move

Status = Question.Status


@transaction.atomic
def answer_save(*, question: Question, expert: Expert, body: str, submit: bool) -> Answer:
    """An expert writes (and optionally submits for approval) the answer to an assigned question."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.assigned_to_id != expert.pk:
        raise QuestionRefused("This question is not assigned to you.")
    if question.status not in {Status.ASSIGNED, Status.ANSWERED}:
        raise QuestionRefused(f"A {question.get_status_display().lower()} question cannot be answered now.")
    text = body.strip()
    if submit and not text:
        raise QuestionRefused("Write the answer before sending it for approval.")
    now = timezone.now()
    answer, created = Answer.objects.get_or_create(
        question=question, defaults={"expert": expert, "body": text, "created_at": now, "updated_at": now}
    )
    if not created:
        answer.expert = expert
        answer.body = text
        answer.updated_at = now
    answer.status = Answer.Status.SUBMITTED if submit else Answer.Status.DRAFT
    answer.submitted_at = now if submit else None
    answer.approved_by = None
    answer.approved_at = None
    answer.save()
    if submit and question.status != Status.ANSWERED:
        state_counts_move(callout_id=question.callout_id, previous=question.status, status=Status.ANSWERED)
        question.status = Status.ANSWERED
        question.save(update_fields=["status"])
    elif not submit and question.status == Status.ANSWERED:
        state_counts_move(callout_id=question.callout_id, previous=question.status, status=Status.ASSIGNED)
        question.status = Status.ASSIGNED
        question.save(update_fields=["status"])
    audit_record(actor=expert.user, action="answer.submit" if submit else "answer.draft", target=answer)
    return answer


@transaction.atomic
def answer_return(*, question: Question, actor: Any, note: str = "") -> Answer:
    """Send an answer back to its expert for changes."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    answer = Answer.objects.filter(question=question).first()
    if answer is None or question.status != Status.ANSWERED:
        raise QuestionRefused("There is no answer waiting for approval.")
    answer.status = Answer.Status.DRAFT
    answer.save(update_fields=["status"])
    state_counts_move(callout_id=question.callout_id, previous=question.status, status=Status.ASSIGNED)
    question.status = Status.ASSIGNED
    question.save(update_fields=["status"])
    audit_record(actor=actor, action="answer.return", target=answer, note=note.strip()[:500])
    return answer


@transaction.atomic
def answer_edit_by_editor(*, question: Question, body: str, actor: Any) -> Answer:
    """An editor fixes an answer waiting for approval (a typo, a name) before approving it.

    The expert's words before the change stay in the audit trail.
    """
    question = Question.objects.select_for_update().get(pk=question.pk)
    answer = Answer.objects.filter(question=question).first()
    if answer is None or question.status != Status.ANSWERED or answer.status != Answer.Status.SUBMITTED:
        raise QuestionRefused("Only an answer waiting for approval can be edited here.")
    text = body.strip()
    if not text:
        raise QuestionRefused("The answer cannot be empty.")
    if text == answer.body:
        return answer
    previous = answer.body
    answer.body = text
    answer.updated_at = timezone.now()
    answer.save(update_fields=["body", "updated_at"])
    audit_record(actor=actor, action="answer.edit", target=answer, previous=previous)
    return answer


# A published answer also answers the other questions of its group, unless an editor set them aside.
COVERABLE = {Status.NEW, Status.SHORTLISTED, Status.ASSIGNED, Status.ANSWERED}


def _check_publishable(question: Question) -> None:
    if find_contact_details(question.display_text):
        raise QuestionRefused(
            'The question still contains contact details. Remove them before publishing ("Remove contact details").'
        )
    if question.consented_at is None or question.terms_id is None or question.privacy_policy_id is None:
        raise QuestionRefused("The reader's consent is not recorded; this question cannot be published.")


def _publish(question: Question, actor: Any, now: Any) -> Question:
    """The byline is built here, from only the parts the reader allowed."""
    question.byline = byline_for(question)
    state_counts_move(callout_id=question.callout_id, previous=question.status, status=Status.PUBLISHED)
    question.status = Status.PUBLISHED
    question.published_at = now
    question.save(update_fields=["byline", "status", "published_at"])
    covered = 0
    if question.group_id is not None:
        members = Question.objects.filter(group_id=question.group_id, status__in=COVERABLE).exclude(pk=question.pk)
        covered = questions_set_status(
            callout_id=question.callout_id, questions=members, status=Status.COVERED, covered_by=question
        )
    audit_record(actor=actor, action="question.publish", target=question, group_members_answered=covered)
    return question


@transaction.atomic
def answer_publish(*, question: Question, actor: Any) -> Question:
    """Approve the expert's answer and publish the question with it, for its whole group.

    A question without recorded consent, or whose wording still holds contact details,
    is never published.
    """
    question = Question.objects.select_for_update().get(pk=question.pk)
    answer = Answer.objects.filter(question=question).first()
    if question.status != Status.ANSWERED or answer is None or answer.status == Answer.Status.DRAFT:
        raise QuestionRefused("Only a question with an answer waiting for approval can be published.")
    if not answer.body.strip():
        raise QuestionRefused("The answer is empty.")
    _check_publishable(question)
    now = timezone.now()
    if answer.status != Answer.Status.APPROVED:
        answer.status = Answer.Status.APPROVED
        answer.approved_by = actor
        answer.approved_at = now
        answer.save(update_fields=["status", "approved_by", "approved_at"])
        audit_record(actor=actor, action="answer.approve", target=answer)
    return _publish(question, actor, now)


@transaction.atomic
def answer_publish_from_story(*, question: Question, actor: Any) -> Question:
    """Publish, as the answer, the story sentences that answer the question (one editor action)."""
    question = Question.objects.select_for_update().select_related("callout__story").get(pk=question.pk)
    if question.status not in COVERABLE:
        raise QuestionRefused(f"A {question.get_status_display().lower()} question cannot be published now.")
    evidence = QuestionEvidence.objects.filter(question=question).first()
    if evidence is None or not evidence.answered:
        raise QuestionRefused("The story does not answer this question, as far as askdesk can tell.")
    if Answer.objects.filter(question=question).exclude(status=Answer.Status.DRAFT).exists():
        raise QuestionRefused("An expert has already answered this question: publish that answer instead.")
    _check_publishable(question)
    best_key = evidence.keys[0]
    sentence = question.callout.story.sentences.get(key=best_key)
    now = timezone.now()
    Answer.objects.update_or_create(
        question=question,
        defaults={
            "expert": None,
            "source": Answer.Source.STORY,
            "body": sentence.text,
            "status": Answer.Status.APPROVED,
            "created_at": now,
            "updated_at": now,
            "approved_by": actor,
            "approved_at": now,
        },
    )
    audit_record(actor=actor, action="answer.from_story", target=question, sentence=best_key)
    return _publish(question, actor, now)


@transaction.atomic
def question_unpublish(*, question: Question, actor: Any) -> Question:
    """Take a question and its answer off the public page; the approved answer is kept.

    The other questions of its group that it answered go back to the shortlist.
    """
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.status != Status.PUBLISHED:
        raise QuestionRefused("This question is not published.")
    state_counts_move(callout_id=question.callout_id, previous=question.status, status=Status.ANSWERED)
    question.status = Status.ANSWERED
    question.published_at = None
    question.byline = ""
    question.save(update_fields=["status", "published_at", "byline"])
    covered = Question.objects.filter(covered_by=question, status=Status.COVERED)
    questions_set_status(callout_id=question.callout_id, questions=covered, status=Status.SHORTLISTED, covered_by=None)
    audit_record(actor=actor, action="question.unpublish", target=question)
    return question
