from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from askdesk.accounts.models import Expert
from askdesk.answers.models import Answer
from askdesk.answers.selectors import COVERABLE
from askdesk.answers.signals import questions_answered
from askdesk.audit.services import actor_user, audit_record
from askdesk.callouts.services import callout_public_changed
from askdesk.nlp.invisible import visible_strip
from askdesk.nlp.scrub import find_contact_details
from askdesk.questions.byline import byline_for
from askdesk.questions.models import Question, QuestionEvidence
from askdesk.questions.selectors import story_may_answer
from askdesk.questions.services import (
    QuestionRefused,
    group_deltas,
    group_state_counts_add,
    release_covered,
    set_status,
    state_counts_add,
)
from askdesk.stories.models import Sentence

Status = Question.Status


@transaction.atomic
def answer_save(*, question: Question, expert: Expert, body: str, submit: bool) -> Answer:
    """An expert writes (and optionally submits for approval) the answer to an assigned question."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.assigned_to_id != expert.pk:
        raise QuestionRefused("This question is not assigned to you.")
    if question.status not in {Status.ASSIGNED, Status.ANSWERED}:
        raise QuestionRefused(f"A {question.get_status_display().lower()} question cannot be answered now.")
    text = visible_strip(body)
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
        question.save(update_fields=set_status(question, Status.ANSWERED))
    elif not submit and question.status == Status.ANSWERED:
        question.save(update_fields=set_status(question, Status.ASSIGNED))
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
    question.save(update_fields=set_status(question, Status.ASSIGNED))
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


CONTEXT_LENGTH = 300
# A passage from the story is one of the top sentences, extended by at most one neighbour each side.
PASSAGE_MAX_SENTENCES = 3


def _check_publishable(question: Question) -> None:
    if question.welfare:
        raise QuestionRefused(
            "This question is flagged as welfare or urgent: it is not published. Clear the flag first if it should be."
        )
    if find_contact_details(question.display_text):
        raise QuestionRefused(
            'The question still contains contact details. Remove them before publishing ("Remove contact details").'
        )
    if question.consented_at is None or question.terms_id is None or question.privacy_policy_id is None:
        raise QuestionRefused("The reader's consent is not recorded; this question cannot be published.")


def _cover(question: Question, cover: Sequence[int], actor: Any) -> list[int]:
    """Mark the questions the editor ticked as answered by ``question``; returns their ids.

    Only questions of the same call-out still open to an answer are covered: one whose state
    changed since the editor saw the list is left as it is.
    """
    wanted = {pk for pk in cover if pk != question.pk}
    if not wanted:
        return []
    rows = list(
        Question.objects.select_for_update()
        .filter(pk__in=wanted, callout_id=question.callout_id, status__in=COVERABLE)
        .order_by("id")
        .values_list("id", "status", "group_id")
    )
    ids = [pk for pk, _, _ in rows]
    deltas = Counter(status for _, status, _ in rows)
    state_counts_add(
        callout_id=question.callout_id,
        deltas={**{status: -n for status, n in deltas.items()}, Status.COVERED: len(rows)},
    )
    group_state_counts_add(deltas=group_deltas(((group_id, status) for _, status, group_id in rows), Status.COVERED))
    targets = Question.objects.filter(pk__in=ids)
    targets.update(status_before_cover=F("status"))
    targets.update(
        status=Status.COVERED,
        covered_by=question,
        cover_declined_from=None,
        decided_at=Coalesce(F("decided_at"), Value(timezone.now())),
    )
    for covered in targets.only("id"):
        audit_record(actor=actor, action="question.cover", target=covered, by=question.pk)
    return ids


def _publish(question: Question, actor: Any, now: Any, cover: Sequence[int]) -> Question:
    """The byline is built here, from only the parts the reader allowed."""
    question.byline = byline_for(question)
    update = set_status(question, Status.PUBLISHED)
    question.published_at = now
    question.save(update_fields=[*update, "byline", "published_at"])
    covered = _cover(question, cover, actor)
    audit_record(
        actor=actor,
        action="question.publish",
        target=question,
        covered=covered,
        not_covered=len(set(cover)) - len(covered),
    )
    callout_public_changed(callout_id=question.callout_id)
    # The one point where questions become answered (their own publication, or covered by it).
    questions_answered.send(sender=Question, question_ids=[question.pk, *covered], answered_by=question.pk)
    return question


@transaction.atomic
def answer_publish(*, question: Question, actor: Any, cover: Sequence[int] = ()) -> Question:
    """Approve the expert's answer and publish the question with it.

    The answer also answers the other questions listed in ``cover`` (ids the editor ticked),
    and no others. A question without recorded consent, or whose wording still holds contact
    details, is never published.
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
        answer.approved_by = actor_user(actor)
        answer.approved_at = now
        answer.save(update_fields=["status", "approved_by", "approved_at"])
        audit_record(actor=actor, action="answer.approve", target=answer)
    return _publish(question, actor, now, cover)


@transaction.atomic
def answer_publish_from_story(
    *,
    question: Question,
    actor: Any,
    passage: Sequence[str],
    context: str = "",
    cover: Sequence[int] = (),
) -> Question:
    """Publish, as the answer, a passage of the story the editor chose and previewed.

    ``passage`` holds the keys of consecutive story sentences, at least one of them among
    the question's evidence; ``context`` is the editor's optional line before the quote.
    """
    question = Question.objects.select_for_update().select_related("callout__story").get(pk=question.pk)
    if question.status not in COVERABLE:
        raise QuestionRefused(f"A {question.get_status_display().lower()} question cannot be published now.")
    evidence = QuestionEvidence.objects.filter(question=question).first()
    if evidence is None or not story_may_answer(evidence):
        raise QuestionRefused("The story does not answer this question, as far as askdesk can tell.")
    if Answer.objects.filter(question=question).exclude(status=Answer.Status.DRAFT).exists():
        raise QuestionRefused("An expert has already answered this question: publish that answer instead.")
    _check_publishable(question)
    sentences = _passage(question, evidence, passage)
    line = " ".join(context.split())
    if len(line) > CONTEXT_LENGTH:
        raise QuestionRefused(f"The line of context is longer than {CONTEXT_LENGTH} characters.")
    if find_contact_details(line):
        raise QuestionRefused("The line of context contains contact details.")
    now = timezone.now()
    Answer.objects.update_or_create(
        question=question,
        defaults={
            "expert": None,
            "source": Answer.Source.STORY,
            "body": " ".join(s.text for s in sentences),
            "context": line,
            "sentence_keys": [s.key for s in sentences],
            "status": Answer.Status.APPROVED,
            "created_at": now,
            "updated_at": now,
            "approved_by": actor_user(actor),
            "approved_at": now,
        },
    )
    audit_record(
        actor=actor,
        action="answer.from_story",
        target=question,
        sentences=[s.key for s in sentences],
        context=bool(line),
    )
    return _publish(question, actor, now, cover)


def _passage(question: Question, evidence: QuestionEvidence, keys: Sequence[str]) -> list[Sentence]:
    """The chosen sentences, checked: consecutive, few, and anchored on a passage askdesk found."""
    if not keys:
        raise QuestionRefused("Choose the passage of the story to publish.")
    if len(keys) > PASSAGE_MAX_SENTENCES:
        raise QuestionRefused(f"A passage has at most {PASSAGE_MAX_SENTENCES} sentences.")
    sentences = sorted(
        Sentence.objects.filter(story_id=question.callout.story_id, key__in=keys), key=lambda s: s.position
    )
    if len(sentences) != len(set(keys)):
        raise QuestionRefused("That passage is not in the story.")
    positions = [s.position for s in sentences]
    if positions != list(range(positions[0], positions[0] + len(positions))):
        raise QuestionRefused("A passage is made of consecutive sentences.")
    if not set(evidence.keys) & set(keys):
        raise QuestionRefused("Choose one of the passages askdesk found for this question.")
    return sentences


@transaction.atomic
def question_unpublish(*, question: Question, actor: Any) -> Question:
    """Take a question and its answer off the public page; the approved answer is kept.

    The other questions it answered go back to the state they were in before.
    """
    question = Question.objects.select_for_update().get(pk=question.pk)
    if question.status != Status.PUBLISHED:
        raise QuestionRefused("This question is not published.")
    update = set_status(question, Status.ANSWERED)
    question.published_at = None
    question.byline = ""
    question.save(update_fields=[*update, "published_at", "byline"])
    released = release_covered(question)
    callout_public_changed(callout_id=question.callout_id)
    audit_record(actor=actor, action="question.unpublish", target=question, released=released)
    return question
