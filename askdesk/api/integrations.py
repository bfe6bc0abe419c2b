"""Endpoints for a newsroom's own systems, with a key. Each calls one selector or one service."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Literal

from django.db.models import Count
from django.http import HttpRequest, StreamingHttpResponse
from ninja import Field as F
from ninja import Query, Router, Schema, Status

from askdesk.answers import services as answers
from askdesk.api import auth
from askdesk.api.access import get_callout_for_key, get_group_for_key, get_question_for_key
from askdesk.api.models import ApiKey
from askdesk.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, paginate
from askdesk.api.problems import INVALID_INPUT, ApiProblem
from askdesk.api.schemas import (
    CalloutOut,
    CalloutStatusIn,
    ExpertOut,
    GroupOut,
    GroupPage,
    GroupTriageOut,
    PublishIn,
    QuestionOut,
    QuestionPage,
    StoryCreated,
    StoryIn,
    StoryRef,
    ThemeOut,
    ThemePage,
    TriageIn,
)
from askdesk.api.selectors import newsroom_experts
from askdesk.api.services import questions_export_record
from askdesk.callouts.services import callout_set_status, story_import
from askdesk.questions import services as questions
from askdesk.questions.byline import byline_for
from askdesk.questions.models import Question, QuestionGroup, Theme
from askdesk.questions.redacted import wording_without_contacts
from askdesk.questions.selectors import triage_questions

router = Router(tags=["newsroom"])

QuestionStatus = Literal["new", "shortlisted", "assigned", "answered", "published", "rejected", "spam", "covered"]


def key_of(request: HttpRequest) -> ApiKey:
    key = request.auth  # type: ignore[attr-defined]
    assert isinstance(key, ApiKey)
    return key


class QuestionQuery(Schema):
    status: QuestionStatus | None = F(default=None, description="Only questions in this state.")
    q: str | None = F(default=None, max_length=200, description="Words the wording must contain.")
    group: int | None = F(default=None, ge=1, le=2**62, description="Only questions of this group.")
    cursor: str | None = F(default=None, max_length=500)
    limit: int = F(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class PageQuery(Schema):
    cursor: str | None = F(default=None, max_length=500)
    limit: int = F(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


# --- reads ------------------------------------------------------------------------------------


@router.get("/callouts/{slug}/questions/", response=QuestionPage, auth=auth.read, summary="Triage list")
def list_questions(request: HttpRequest, slug: str, filters: Query[QuestionQuery]) -> QuestionPage:
    """A call-out's questions, newest first, with the triage filters (state, group) and search."""
    callout = get_callout_for_key(key_of(request), slug)
    found = triage_questions(callout=callout, status=filters.status or "", search=filters.q or "", group=filters.group)
    rows, cursor = paginate(found, order=["-submitted_at", "-id"], cursor=filters.cursor, limit=filters.limit)
    return QuestionPage(items=[QuestionOut.of(q, callout_slug=callout.slug) for q in rows], next_cursor=cursor)


EXPORT_COLUMNS = ["id", "status", "submitted_at", "text", "byline", "group_id", "assigned_to", "published_at"]


def _csv_rows(found: Iterator[Question]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for question in found:
        writer.writerow(
            [
                question.pk,
                question.status,
                question.submitted_at.isoformat(),
                wording_without_contacts(question),
                byline_for(question),
                question.group_id or "",
                question.assigned_to_id or "",
                question.published_at.isoformat() if question.published_at else "",
            ]
        )
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


@router.get(
    "/callouts/{slug}/questions/export",
    auth=auth.read,
    summary="Export questions (CSV)",
    openapi_extra={
        "responses": {
            "200": {
                "description": "CSV, one question a row (no contact details).",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def export_questions(request: HttpRequest, slug: str, status: QuestionStatus | None = None) -> StreamingHttpResponse:
    """Every question of a call-out as CSV, oldest first: the same filters as the desk, no contact details."""
    key = key_of(request)
    callout = get_callout_for_key(key, slug)
    found = triage_questions(callout=callout, status=status or "").order_by("submitted_at", "id")
    questions_export_record(callout=callout, key=key, rows=found.count())
    response = StreamingHttpResponse(_csv_rows(found.iterator(chunk_size=2000)), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{callout.slug}-questions.csv"'
    return response


@router.get("/callouts/{slug}/groups/", response=GroupPage, auth=auth.read, summary="Groups of a call-out")
def list_groups(request: HttpRequest, slug: str, page: Query[PageQuery]) -> GroupPage:
    """Groups of questions that ask the same thing, largest first ("N readers asked this")."""
    callout = get_callout_for_key(key_of(request), slug)
    found = QuestionGroup.objects.filter(callout=callout, size__gt=0)
    rows, cursor = paginate(found, order=["-size", "id"], cursor=page.cursor, limit=page.limit)
    return GroupPage(items=[GroupOut.of(g, callout_slug=callout.slug) for g in rows], next_cursor=cursor)


@router.get("/callouts/{slug}/themes/", response=ThemePage, auth=auth.read, summary="Themes of a call-out")
def list_themes(request: HttpRequest, slug: str, page: Query[PageQuery]) -> ThemePage:
    """Themes: groups about the same subject, largest first; each group names its theme (``theme_id``)."""
    callout = get_callout_for_key(key_of(request), slug)
    found = Theme.objects.filter(callout=callout, size__gt=0).annotate(group_count=Count("groups"))
    rows, cursor = paginate(found, order=["-size", "id"], cursor=page.cursor, limit=page.limit)
    return ThemePage(
        items=[ThemeOut.of(t, callout_slug=callout.slug, groups=t.group_count) for t in rows],  # type: ignore[attr-defined]
        next_cursor=cursor,
    )


@router.get("/experts/", response=list[ExpertOut], auth=auth.read, summary="Experts of the newsroom")
def list_experts(request: HttpRequest) -> list[ExpertOut]:
    return [
        ExpertOut(id=e.pk, name=e.name, title=e.title, areas=e.area_list)
        for e in newsroom_experts(newsroom=key_of(request).newsroom)
    ]


@router.get("/questions/{question_id}", response=QuestionOut, auth=auth.read, summary="One question")
def get_question(request: HttpRequest, question_id: int) -> QuestionOut:
    return QuestionOut.of(get_question_for_key(key_of(request), question_id))


# --- writes -----------------------------------------------------------------------------------


@router.post("/stories/", response={201: StoryCreated}, auth=auth.publish, summary="Import a story")
def create_story(request: HttpRequest, payload: StoryIn) -> Status[StoryCreated]:
    """Import a story from text or HTML, as the desk's importer does; a closing call-out opens under it."""
    key = key_of(request)
    try:
        story, callout = story_import(newsroom=key.newsroom, raw=payload.text, title=payload.title, actor=key)
    except ValueError as error:
        raise ApiProblem(
            422, str(error), type=INVALID_INPUT, errors=[{"field": "body.text", "message": str(error)}]
        ) from error
    return Status(
        201,
        StoryCreated(
            story=StoryRef(slug=story.slug, title=story.title),
            sentences=story.sentences.count(),
            callout=CalloutOut.of(callout) if callout is not None else None,
        ),
    )


@router.post("/callouts/{slug}/status", response=CalloutOut, auth=auth.publish, summary="Open or close a call-out")
def set_callout_status(request: HttpRequest, slug: str, payload: CalloutStatusIn) -> CalloutOut:
    key = key_of(request)
    callout = callout_set_status(callout=get_callout_for_key(key, slug), status=payload.status, actor=key)
    return CalloutOut.of(callout)


def _expert_for(key: ApiKey, payload: TriageIn) -> object:
    if payload.action != "assign":
        return None
    expert = newsroom_experts(newsroom=key.newsroom).filter(pk=payload.expert_id or 0).first()
    if expert is None:
        raise ApiProblem(
            422,
            "Choose an expert of the newsroom to assign to.",
            type=INVALID_INPUT,
            errors=[{"field": "body.expert_id", "message": "No such expert in this newsroom"}],
        )
    return expert


@router.post("/questions/{question_id}/triage", response=QuestionOut, auth=auth.triage, summary="Triage a question")
def triage_question(request: HttpRequest, question_id: int, payload: TriageIn) -> QuestionOut:
    """Shortlist, reject, mark as spam, restore, or assign to an expert."""
    key = key_of(request)
    question = get_question_for_key(key, question_id)
    expert = _expert_for(key, payload)
    if expert is not None:
        questions.question_assign(question=question, expert=expert, actor=key)  # type: ignore[arg-type]
    else:
        questions.question_transition(question=question, action=payload.action, actor=key)
    return QuestionOut.of(get_question_for_key(key, question_id))


@router.post("/groups/{group_id}/triage", response=GroupTriageOut, auth=auth.triage, summary="Triage a whole group")
def triage_group(request: HttpRequest, group_id: int, payload: TriageIn) -> GroupTriageOut:
    """The same action on every question of a group; questions it cannot apply to are skipped."""
    key = key_of(request)
    group = get_group_for_key(key, group_id)
    expert = _expert_for(key, payload)
    done, skipped = questions.group_apply(group=group, action=payload.action, actor=key, expert=expert)  # type: ignore[arg-type]
    group.refresh_from_db()
    return GroupTriageOut(group=GroupOut.of(group, callout_slug=group.callout.slug), done=done, skipped=skipped)


@router.post("/questions/{question_id}/publish", response=QuestionOut, auth=auth.publish, summary="Publish an answer")
def publish_answer(request: HttpRequest, question_id: int, payload: PublishIn) -> QuestionOut:
    """Approve and publish the answer waiting for approval (or a passage of the story).

    It also answers the other questions of the group listed in ``cover``, and only those:
    a group is a suggestion, an answer is a promise.
    """
    key = key_of(request)
    question = get_question_for_key(key, question_id)
    if payload.from_story:
        if not payload.passage:
            raise ApiProblem(
                422,
                "Choose the story sentences to publish.",
                type=INVALID_INPUT,
                errors=[{"field": "body.passage", "message": "Required with from_story"}],
            )
        answers.answer_publish_from_story(
            question=question, actor=key, passage=payload.passage, context=payload.context, cover=payload.cover
        )
    else:
        answers.answer_publish(question=question, actor=key, cover=payload.cover)
    return QuestionOut.of(get_question_for_key(key, question_id))


@router.post("/questions/{question_id}/unpublish", response=QuestionOut, auth=auth.publish, summary="Unpublish")
def unpublish_answer(request: HttpRequest, question_id: int) -> QuestionOut:
    key = key_of(request)
    answers.question_unpublish(question=get_question_for_key(key, question_id), actor=key)
    return QuestionOut.of(get_question_for_key(key, question_id))
