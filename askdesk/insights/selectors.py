"""What readers want: the figures behind a call-out's and a newsroom's analytics pages.

Every figure is aggregated by the database (GROUP BY on truncated times, conditional counts,
an ordered offset for percentiles); Python only shapes the few aggregated rows into series.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, DateTimeField, DurationField, ExpressionWrapper, F, Max, Min, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDay, TruncHour

from askdesk.answers.models import Answer
from askdesk.callouts.models import Callout
from askdesk.newsrooms.models import Newsroom
from askdesk.nlp.scrub import find_contact_details
from askdesk.questions.models import Question

Status = Question.Status

# How much the page shows: hours of the busiest stretch, groups (and themes), places and languages listed.
HOURS_SHOWN = 48
GROUPS_SHOWN = 8
GROWTH_GROUPS_SHOWN = 5
LOCATIONS_SHOWN = 15
LANGUAGES_SHOWN = 10
# A call-out spread over more than this many hours shows its groups' growth per day.
HOURLY_GROWTH_LIMIT = 72
NOT_RECORDED = "not recorded"


@dataclass(frozen=True)
class Shares:
    total: int
    answered: int
    by_story: int
    rejected: int
    spam: int

    def share(self, count: int) -> float:
        return count / self.total if self.total else 0.0


@dataclass(frozen=True)
class AnswerTimes:
    answered: int
    median: timedelta | None
    p90: timedelta | None


@dataclass(frozen=True)
class GroupGrowth:
    label: str
    size: int
    # (bucket start, questions of the group submitted up to the end of that bucket)
    points: list[tuple[datetime, int]] = field(default_factory=list)


@dataclass(frozen=True)
class CalloutFigures:
    per_hour: list[tuple[datetime, int]]
    per_day: list[tuple[datetime, int]]
    largest_groups: list[tuple[str, int]]
    growth: list[GroupGrowth]
    growth_step: str  # "hour" or "day"
    largest_themes: list[tuple[str, int]]
    theme_growth: list[GroupGrowth]
    theme_growth_step: str
    shares: Shares
    answer_times: AnswerTimes
    locations: list[tuple[str, int]]
    languages: list[tuple[str, int]]


@dataclass(frozen=True)
class CalloutComparison:
    callout_id: int
    prompt: str
    questions: int
    answered_share: float
    median: timedelta | None


def _fill(rows: list[tuple[datetime, int]], step: timedelta, last: int | None = None) -> list[tuple[datetime, int]]:
    """Buckets from the first to the last row with zeros where nothing arrived (``last``: keep only
    that many trailing buckets)."""
    if not rows:
        return []
    counts = dict(rows)
    start, end = rows[0][0], rows[-1][0]
    if last is not None:
        start = max(start, end - step * (last - 1))
    filled = []
    moment = start
    while moment <= end:
        filled.append((moment, counts.get(moment, 0)))
        moment += step
    return filled


def _arrivals(questions: QuerySet[Question], trunc: type[TruncHour] | type[TruncDay]) -> list[tuple[datetime, int]]:
    rows = (
        questions.annotate(bucket=trunc("submitted_at"))
        .values_list("bucket")
        .annotate(n=Count("id"))
        .order_by("bucket")
    )
    return [(bucket, n) for bucket, n in rows]


def questions_per_hour(*, callout: Callout) -> list[tuple[datetime, int]]:
    """Questions received per hour (spam included) over the last HOURS_SHOWN hours that had any."""
    rows = _arrivals(Question.objects.filter(callout=callout), TruncHour)
    return _fill(rows, timedelta(hours=1), last=HOURS_SHOWN)


def questions_per_day(*, callout: Callout) -> list[tuple[datetime, int]]:
    rows = _arrivals(Question.objects.filter(callout=callout), TruncDay)
    # Days are local calendar days: step by date, not by 24 hours, across a clock change.
    if not rows:
        return []
    counts = {bucket.date(): n for bucket, n in rows}
    tz = rows[0][0].tzinfo
    day, end = rows[0][0].date(), rows[-1][0].date()
    filled = []
    while day <= end:
        filled.append((datetime(day.year, day.month, day.day, tzinfo=tz), counts.get(day, 0)))
        day += timedelta(days=1)
    return filled


def largest_groups(*, callout: Callout) -> list[tuple[int, str, int]]:
    """(id, label, size) of the largest groups, from the size counter the services keep."""
    rows = (
        callout.groups.filter(size__gt=0)
        .order_by("-size", "id")
        .values_list("id", "label", "representative__text", "size")[:GROUPS_SHOWN]
    )
    return [(pk, label or (text or "")[:80] or f"Group {pk}", size) for pk, label, text, size in rows]


def group_growth(*, callout: Callout, groups: list[tuple[int, str, int]]) -> tuple[list[GroupGrowth], str]:
    """How the largest groups grew: their members counted by the hour (or day) they were asked."""
    chosen = groups[:GROWTH_GROUPS_SHOWN]
    members = Question.objects.filter(callout=callout, group_id__in=[pk for pk, _, _ in chosen])
    return _growth(members, "group_id", chosen)


def largest_themes(*, callout: Callout) -> list[tuple[int, str, int]]:
    """(id, label, size) of the largest themes (groups about the same subject), from their size counter."""
    rows = callout.themes.filter(size__gt=0).order_by("-size", "id").values_list("id", "label", "size")
    return [(pk, label or f"Theme {pk}", size) for pk, label, size in rows[:GROUPS_SHOWN]]


def theme_growth(*, callout: Callout, themes: list[tuple[int, str, int]]) -> tuple[list[GroupGrowth], str]:
    """How the largest themes grew: the questions of their groups counted by the hour (or day) asked."""
    chosen = themes[:GROWTH_GROUPS_SHOWN]
    members = Question.objects.filter(callout=callout, group__theme_id__in=[pk for pk, _, _ in chosen])
    return _growth(members, "group__theme_id", chosen)


def _growth(members: QuerySet[Question], key: str, chosen: list[tuple[int, str, int]]) -> tuple[list[GroupGrowth], str]:
    """Running counts of ``members`` per ``key`` (a group or a theme) by hour, or by day past
    HOURLY_GROWTH_LIMIT hours, in two aggregate queries."""
    if not chosen:
        return [], "hour"
    span = members.aggregate(earliest=Min("submitted_at"), latest=Max("submitted_at"))
    hourly = span["earliest"] is None or span["latest"] - span["earliest"] <= timedelta(hours=HOURLY_GROWTH_LIMIT)
    trunc = TruncHour if hourly else TruncDay
    rows = (
        members.annotate(bucket=trunc("submitted_at"))
        .values_list(key, "bucket")
        .annotate(n=Count("id"))
        .order_by("bucket")
    )
    buckets = sorted({bucket for _, bucket, _ in rows})
    added: dict[int, dict[datetime, int]] = {}
    for owner, bucket, n in rows:
        added.setdefault(owner, {})[bucket] = n
    growth = []
    for pk, label, size in chosen:
        running, points = 0, []
        for bucket in buckets:
            running += added.get(pk, {}).get(bucket, 0)
            points.append((bucket, running))
        growth.append(GroupGrowth(label=label, size=size, points=points))
    return growth, "hour" if hourly else "day"


def answer_shares(*, callout: Callout) -> Shares:
    """Answered (published, or covered by a published question), answered by the story, set aside."""
    story = Answer.Source.STORY
    by_story = Q(status=Status.PUBLISHED, answer__source=story) | Q(
        status=Status.COVERED, covered_by__answer__source=story
    )
    row = Question.objects.filter(callout=callout).aggregate(
        total=Count("id"),
        answered=Count("id", filter=Q(status__in=[Status.PUBLISHED, Status.COVERED])),
        by_story=Count("id", filter=by_story),
        rejected=Count("id", filter=Q(status=Status.REJECTED)),
        spam=Count("id", filter=Q(status=Status.SPAM)),
    )
    return Shares(**row)


def _answered_durations(questions: QuerySet[Question]) -> QuerySet[Question]:
    """Answered questions with ``waited``: from submission to the publication that answered them."""
    published = Coalesce(F("covered_by__published_at"), F("published_at"), output_field=DateTimeField())
    return (
        questions.filter(status__in=[Status.PUBLISHED, Status.COVERED])
        .annotate(waited=ExpressionWrapper(published - F("submitted_at"), output_field=DurationField()))
        .filter(waited__isnull=False)
    )


def _percentile(durations: QuerySet[Question], count: int, fraction: float) -> timedelta | None:
    """The ``fraction`` percentile by linear interpolation between the two closest ranks (as numpy's
    default): the database sorts and returns just those two values."""
    if count == 0:
        return None
    position = (count - 1) * fraction
    low = math.floor(position)
    ordered = durations.order_by("waited", "id").values_list("waited", flat=True)  # type: ignore[misc]
    values = list(ordered[low : low + 2])
    if len(values) == 1 or position == low:
        return values[0]  # type: ignore[no-any-return]
    below, above = values
    return below + (above - below) * (position - low)  # type: ignore[no-any-return]


def answer_times(*, callout: Callout) -> AnswerTimes:
    durations = _answered_durations(Question.objects.filter(callout=callout))
    count = durations.count()
    return AnswerTimes(
        answered=count, median=_percentile(durations, count, 0.5), p90=_percentile(durations, count, 0.9)
    )


def reader_locations(*, callout: Callout) -> list[tuple[str, int]]:
    """Where readers say they are, exactly as they typed it, counted: only readers who allowed their
    location to be published, spam left out. A location holding contact details is never listed."""
    rows = (
        Question.objects.filter(callout=callout, publish_location=True)
        .exclude(status=Status.SPAM)
        .exclude(location="")
        .values_list("location")
        .annotate(n=Count("id"))
        .order_by("-n", "location")[: LOCATIONS_SHOWN * 2]
    )
    shown = [(location, n) for location, n in rows if not find_contact_details(location)]
    return shown[:LOCATIONS_SHOWN]


def reader_languages(*, callout: Callout) -> list[tuple[str, int]]:
    """The language of the page each reader asked from; blank is "not recorded"."""
    rows = (
        Question.objects.filter(callout=callout)
        .exclude(status=Status.SPAM)
        .values_list("language")
        .annotate(n=Count("id"))
        .order_by("-n", "language")[:LANGUAGES_SHOWN]
    )
    # Those without a recorded language come last, whatever their number.
    ordered = sorted(rows, key=lambda row: (row[0] == "", -row[1], row[0]))
    return [(language or NOT_RECORDED, n) for language, n in ordered]


def callout_figures(*, callout: Callout) -> CalloutFigures:
    groups = largest_groups(callout=callout)
    growth, step = group_growth(callout=callout, groups=groups)
    themes = largest_themes(callout=callout)
    themes_grew, themes_step = theme_growth(callout=callout, themes=themes)
    return CalloutFigures(
        per_hour=questions_per_hour(callout=callout),
        per_day=questions_per_day(callout=callout),
        largest_groups=[(label, size) for _, label, size in groups],
        growth=growth,
        growth_step=step,
        largest_themes=[(label, size) for _, label, size in themes],
        theme_growth=themes_grew,
        theme_growth_step=themes_step,
        shares=answer_shares(callout=callout),
        answer_times=answer_times(callout=callout),
        locations=reader_locations(callout=callout),
        languages=reader_languages(callout=callout),
    )


def newsroom_comparison(*, newsroom: Newsroom, callouts: QuerySet[Callout]) -> list[CalloutComparison]:
    """Each call-out of the newsroom: questions received, share answered, median time to answer."""
    rows = (
        callouts.filter(story__newsroom=newsroom)
        .annotate(
            total=Count("questions"),
            answered=Count("questions", filter=Q(questions__status__in=[Status.PUBLISHED, Status.COVERED])),
        )
        .order_by("-created_at", "-id")
        .values_list("id", "prompt", "total", "answered")
    )
    comparison = []
    for pk, prompt, total, answered in rows:
        durations = _answered_durations(Question.objects.filter(callout_id=pk))
        count = durations.count() if answered else 0
        comparison.append(
            CalloutComparison(
                callout_id=pk,
                prompt=prompt,
                questions=total,
                answered_share=answered / total if total else 0.0,
                median=_percentile(durations, count, 0.5),
            )
        )
    return comparison
