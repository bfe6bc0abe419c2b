"""What the API sends and accepts. Built from explicit fields only: no schema reads a model
whole, so a field added to a model never leaks through the API by accident (readers' contact
details are in no schema, and the byline holds only the parts the reader allowed).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.urls import NoReverseMatch, reverse
from ninja import Field, Schema

from askdesk.answers.models import Answer
from askdesk.callouts.models import Callout
from askdesk.questions.byline import byline_for
from askdesk.questions.models import Question, QuestionGroup, Theme
from askdesk.questions.redacted import label_without_contacts, wording_without_contacts
from askdesk.questions.selectors import says_may_answer

# Public page, embed and feeds of a call-out, by URL name: those not installed are null.
CALLOUT_LINKS = {
    "page": ("questions:story", "story"),
    "answers": ("answers:public", "callout"),
    "embed": ("answers:embed", "callout"),
    "rss": ("answers:feed_rss", "callout"),
    "atom": ("answers:feed_atom", "callout"),
    "json_feed": ("answers:feed_json", "callout"),
}


def absolute(path: str) -> str:
    from django.conf import settings

    return settings.ASKDESK_PUBLIC_BASE_URL.rstrip("/") + path


def _link(name: str, slug: str) -> str | None:
    try:
        return absolute(reverse(name, args=[slug]))
    except NoReverseMatch:
        return None


class StoryRef(Schema):
    slug: str
    title: str


class CalloutLinks(Schema):
    page: str | None
    answers: str | None
    embed: str | None
    rss: str | None
    atom: str | None
    json_feed: str | None


class CalloutOut(Schema):
    slug: str
    prompt: str
    status: Literal["open", "closed"]
    created_at: datetime
    closed_at: datetime | None
    story: StoryRef
    urls: CalloutLinks

    @classmethod
    def of(cls, callout: Callout) -> CalloutOut:
        story = callout.story
        slugs = {"story": story.slug, "callout": callout.slug}
        links = {key: _link(name, slugs[kind]) for key, (name, kind) in CALLOUT_LINKS.items()}
        return cls(
            slug=callout.slug,
            prompt=callout.prompt,
            status=callout.status,  # type: ignore[arg-type]
            created_at=callout.created_at,
            closed_at=callout.closed_at,
            story=StoryRef(slug=story.slug, title=story.title),
            urls=CalloutLinks(**links),
        )


class CalloutPage(Schema):
    items: list[CalloutOut]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last page.")


class ExpertRef(Schema):
    name: str
    title: str


class PublishedAnswer(Schema):
    body: str
    context: str = Field(description="An editor's line before a quoted story passage (answers from the story).")
    source: Literal["expert", "story"]
    expert: ExpertRef | None


class PublishedQuestion(Schema):
    id: int
    question: str
    byline: str
    published_at: datetime | None
    also_asked: int = Field(
        description="Other readers this answer serves: those who asked the same, and those who asked to know too."
    )
    answer: PublishedAnswer | None

    @classmethod
    def of(cls, question: Question) -> PublishedQuestion:
        answer = getattr(question, "answer", None)
        return cls(
            id=question.pk,
            question=question.display_text,
            byline=question.byline,
            published_at=question.published_at,
            also_asked=getattr(question, "also_asked", 0),
            answer=_published_answer(answer),
        )


def _published_answer(answer: Answer | None) -> PublishedAnswer | None:
    if answer is None:
        return None
    expert = answer.expert
    return PublishedAnswer(
        body=answer.body,
        context=answer.context,
        source=answer.source,  # type: ignore[arg-type]
        expert=ExpertRef(name=expert.name, title=expert.title) if expert is not None else None,
    )


class PublishedPage(Schema):
    items: list[PublishedQuestion]
    next_cursor: str | None


class AnswerOut(Schema):
    status: Literal["draft", "submitted", "approved"]
    source: Literal["expert", "story"]
    body: str
    expert_id: int | None


class QuestionOut(Schema):
    id: int
    callout: str
    status: Literal["new", "shortlisted", "assigned", "answered", "published", "rejected", "spam", "covered"]
    text: str = Field(description="The wording for publication; contact details typed into it are replaced.")
    byline: str = Field(description="The byline built from the parts the reader allowed to publish.")
    submitted_at: datetime
    published_at: datetime | None
    group_id: int | None
    assigned_to: int | None = Field(description="Id of the expert it is assigned to.")
    covered_by: int | None = Field(description="Id of the published question whose answer answers this one.")
    answer: AnswerOut | None
    evidence: EvidenceOut | None

    @classmethod
    def of(cls, question: Question, *, callout_slug: str | None = None) -> QuestionOut:
        answer = getattr(question, "answer", None)
        evidence = getattr(question, "evidence", None)
        return cls(
            id=question.pk,
            callout=callout_slug or question.callout.slug,
            status=question.status,  # type: ignore[arg-type]
            text=wording_without_contacts(question),
            byline=byline_for(question),
            submitted_at=question.submitted_at,
            published_at=question.published_at,
            group_id=question.group_id,
            assigned_to=question.assigned_to_id,
            covered_by=question.covered_by_id,
            answer=AnswerOut(
                status=answer.status,
                source=answer.source,
                body=answer.body,
                expert_id=answer.expert_id,
            )
            if answer is not None
            else None,
            evidence=EvidenceOut(answered=says_may_answer(evidence.answered), sentence_keys=evidence.keys)
            if evidence
            else None,
        )


class QuestionPage(Schema):
    items: list[QuestionOut]
    next_cursor: str | None


class GroupOut(Schema):
    id: int
    callout: str
    label: str
    size: int
    representative_id: int | None
    theme_id: int | None

    @classmethod
    def of(cls, group: QuestionGroup, *, callout_slug: str) -> GroupOut:
        return cls(
            id=group.pk,
            callout=callout_slug,
            label=label_without_contacts(group.display_label),
            size=group.size,
            representative_id=group.representative_id,
            theme_id=group.theme_id,
        )


class GroupPage(Schema):
    items: list[GroupOut]
    next_cursor: str | None


class ThemeOut(Schema):
    """Groups about the same subject, one level above groups: an overview, not one answer."""

    id: int
    callout: str
    label: str
    size: int
    groups: int

    @classmethod
    def of(cls, theme: Theme, *, callout_slug: str, groups: int) -> ThemeOut:
        return cls(
            id=theme.pk, callout=callout_slug, label=label_without_contacts(theme.label), size=theme.size, groups=groups
        )


class ThemePage(Schema):
    items: list[ThemeOut]
    next_cursor: str | None


class ExpertOut(Schema):
    id: int
    name: str
    title: str
    areas: list[str]


class StoryIn(Schema):
    text: str = Field(
        min_length=1,
        max_length=200_000,
        description="The story as text or HTML; a closing call-out paragraph opens a call-out.",
    )
    title: str | None = Field(default=None, max_length=200)


class StoryCreated(Schema):
    story: StoryRef
    sentences: int
    callout: CalloutOut | None


class CalloutStatusIn(Schema):
    status: Literal["open", "closed"]


TriageAction = Literal["shortlist", "reject", "spam", "restore", "assign"]


class TriageIn(Schema):
    action: TriageAction
    expert_id: int | None = Field(
        default=None, ge=1, le=2**62, description="The expert to assign to (action 'assign')."
    )


class GroupTriageOut(Schema):
    group: GroupOut | None
    done: int
    skipped: int


class PublishIn(Schema):
    cover: list[Annotated[int, Field(ge=1, le=2**62)]] = Field(
        default=[],
        max_length=1000,
        description="Ids of other open questions of the group this answer also answers (the desk's ticks).",
    )
    from_story: bool = Field(
        default=False, description="Publish a passage of the story as the answer instead of an expert's answer."
    )
    passage: list[Annotated[str, Field(max_length=16)]] = Field(
        default=[],
        max_length=20,
        description="With from_story: keys of consecutive story sentences (see the question's evidence).",
    )
    context: str = Field(default="", max_length=300, description="With from_story: an optional line before the quote.")


class EvidenceOut(Schema):
    answered: bool = Field(description="The story may answer the question, as far as askdesk can tell.")
    sentence_keys: list[str] = Field(description="Story sentences that may answer it, best first.")
