"""Public endpoints, no key: what anyone can already read on askdesk's public pages."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field as F
from ninja import Query, Router, Schema

from askdesk.api.auth import public_access
from askdesk.api.pagination import DEFAULT_LIMIT, MAX_LIMIT, paginate
from askdesk.api.schemas import CalloutOut, CalloutPage, PublishedPage, PublishedQuestion
from askdesk.api.selectors import open_callouts
from askdesk.callouts.models import Callout
from askdesk.public.selectors import published_with_joins, with_other_readers

router = Router(tags=["public"], auth=public_access)


class PageQuery(Schema):
    cursor: str | None = F(default=None, max_length=500, description="From the previous page's next_cursor.")
    limit: int = F(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


@router.get("/callouts/", response=CalloutPage, summary="Open call-outs")
def list_open_callouts(request: HttpRequest, page: Query[PageQuery]) -> CalloutPage:
    """Open call-outs, newest first, each with its story, prompt and the URLs of its pages and feeds."""
    rows, cursor = paginate(open_callouts(), order=["-created_at", "-id"], cursor=page.cursor, limit=page.limit)
    return CalloutPage(items=[CalloutOut.of(c) for c in rows], next_cursor=cursor)


@router.get("/callouts/{slug}/answers/", response=PublishedPage, summary="Published questions and answers")
def list_published_answers(request: HttpRequest, slug: str, page: Query[PageQuery]) -> PublishedPage:
    """A call-out's published questions with their answers and public bylines, newest first."""
    callout = get_object_or_404(Callout, slug=slug)
    rows, cursor = paginate(
        published_with_joins(callout=callout),
        order=["-published_at", "-id"],
        cursor=page.cursor,
        limit=page.limit,
    )
    return PublishedPage(items=[PublishedQuestion.of(q) for q in with_other_readers(rows)], next_cursor=cursor)
