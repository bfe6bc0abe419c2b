"""The analytics pages as sections (a chart and the table of its figures), cached for a few minutes.

Figures and charts are computed together and cached per call-out (or newsroom) and per time
bucket, so the table beside a chart always holds the chart's own figures, and a page costs its
queries and its drawing once per bucket whatever the number of editors looking.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from askdesk.callouts.models import Callout
from askdesk.insights import charts, selectors
from askdesk.insights.charts import Chart
from askdesk.newsrooms.models import Newsroom

CACHE_BUCKET_SECONDS = 300


@dataclass(frozen=True)
class Section:
    slug: str
    heading: str
    caption: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]
    chart: Chart | None = None
    empty: str = "Nothing yet."
    notes: list[str] = field(default_factory=list)

    @property
    def cells(self) -> list[list[tuple[str, str]]]:
        """Each row's cells with their column name (a phone shows the name beside each value)."""
        return [list(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Report:
    sections: list[Section]
    as_of: str


def duration_text(value: timedelta | None) -> str:
    """'3 h 05 min', '12 min', '2 d 4 h'; an en dash when there is nothing to measure."""
    if value is None:
        return "–"
    minutes = round(value.total_seconds() / 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min"


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def _bucket() -> int:
    return int(time.time() // CACHE_BUCKET_SECONDS)


def _as_of() -> str:
    return timezone.localtime().strftime("%H:%M")


def _bars(title: str, items: list[tuple[str, int]]) -> Chart | None:
    """Horizontal bars of counted things, or no chart when there is nothing to count."""
    return charts.bars(title, [label for label, _ in items], [n for _, n in items]) if items else None


def _arrivals_sections(figures: selectors.CalloutFigures) -> list[Section]:
    hours = [(moment.strftime("%d %b %H:00"), count) for moment, count in figures.per_hour]
    days = [(moment.strftime("%d %b"), count) for moment, count in figures.per_day]
    per_hour = Section(
        slug="per-hour",
        heading="Questions per hour",
        caption="Questions received per hour (spam included), local time",
        columns=("Hour", "Questions"),
        rows=[(label, str(count)) for label, count in hours],
        chart=charts.columns(
            f"Questions received per hour, last {len(hours)} hours",
            [moment.strftime("%H:%M") for moment, _ in figures.per_hour],
            [count for _, count in hours],
            ylabel="Questions",
        )
        if hours
        else None,
        empty="No questions yet.",
    )
    per_day = Section(
        slug="per-day",
        heading="Questions per day",
        caption="Questions received per day (spam included)",
        columns=("Day", "Questions"),
        rows=[(label, str(count)) for label, count in days],
        chart=charts.columns(
            f"Questions received per day, {len(days)} days",
            [label for label, _ in days],
            [count for _, count in days],
            ylabel="Questions",
        )
        if days
        else None,
        empty="No questions yet.",
    )
    return [per_hour, per_day]


def _group_sections(figures: selectors.CalloutFigures) -> list[Section]:
    return _largest_and_growth(
        noun="group",
        growth_slug="growth",
        caption="Groups of questions that ask the same thing, by number of questions",
        largest=figures.largest_groups,
        growth=figures.growth,
        step=figures.growth_step,
        empty="No groups yet: questions are grouped in the background as they arrive.",
    )


def _theme_sections(figures: selectors.CalloutFigures) -> list[Section]:
    return _largest_and_growth(
        noun="theme",
        growth_slug="theme-growth",
        caption="Themes: groups of questions about the same subject, by number of questions",
        largest=figures.largest_themes,
        growth=figures.theme_growth,
        step=figures.theme_growth_step,
        empty="No themes yet: the groups are put in themes in the background as questions arrive.",
    )


def _largest_and_growth(
    *,
    noun: str,
    growth_slug: str,
    caption: str,
    largest: list[tuple[str, int]],
    growth: list[selectors.GroupGrowth],
    step: str,
    empty: str,
) -> list[Section]:
    """The largest groups (or themes) as bars, and how the largest of them grew as lines."""
    nouns = f"{noun}s"
    largest_section = Section(
        slug=nouns,
        heading=f"Largest {nouns}",
        caption=caption,
        columns=(noun.capitalize(), "Questions"),
        rows=[(label, str(size)) for label, size in largest],
        chart=_bars(f"The {len(largest)} largest {nouns} by questions", largest),
        empty=empty,
    )
    fmt = "%d %b %H:00" if step == "hour" else "%d %b"
    moments = [moment for moment, _ in growth[0].points] if growth else []
    grew = Section(
        slug=growth_slug,
        heading=f"How the largest {nouns} grew",
        caption=f"Questions in each {noun}, counted up to the end of each {step}",
        columns=(step.capitalize(), *(charts.short(item.label) for item in growth)),
        rows=[
            (moment.strftime(fmt), *(str(item.points[index][1]) for item in growth))
            for index, moment in enumerate(moments)
        ],
        chart=charts.lines(
            f"Growth of the {len(growth)} largest {nouns}, per {step}",
            moments,
            [(item.label, [n for _, n in item.points]) for item in growth],
            fmt="%H:%M" if step == "hour" else "%d %b",
        )
        if growth
        else None,
        empty=f"No {nouns} yet.",
    )
    return [largest_section, grew]


def _answer_sections(figures: selectors.CalloutFigures) -> list[Section]:
    shares = figures.shares
    measures = [
        ("Answered (published or covered)", shares.answered),
        ("Answered by the story", shares.by_story),
        ("Rejected", shares.rejected),
        ("Spam", shares.spam),
    ]
    share_section = Section(
        slug="shares",
        heading="What happened to the questions",
        caption=f"Share of the {shares.total} questions received",
        columns=("Outcome", "Questions", "Share"),
        rows=[(name, str(count), _percent(shares.share(count))) for name, count in measures],
        chart=charts.bars(
            f"Share of {shares.total} questions answered, answered by the story, rejected or spam",
            [name for name, _ in measures],
            [round(shares.share(count) * 100, 1) for _, count in measures],
            value_format="{:.0f}%",
        )
        if shares.total
        else None,
        empty="No questions yet.",
    )
    times = figures.answer_times
    time_section = Section(
        slug="time-to-answer",
        heading="Time from question to answer",
        caption=f"From a reader's question to the publication that answered it ({times.answered} answered)",
        columns=("Measure", "Time"),
        rows=[("Median", duration_text(times.median)), ("90th percentile", duration_text(times.p90))]
        if times.answered
        else [],
        empty="No question answered yet.",
    )
    return [share_section, time_section]


def _reader_sections(figures: selectors.CalloutFigures) -> list[Section]:
    places, languages = figures.locations, figures.languages
    where = Section(
        slug="locations",
        heading="Where readers say they are",
        caption="Locations exactly as readers typed them, only from readers who allowed theirs to be published",
        columns=("Location as given", "Questions"),
        rows=[(place, str(n)) for place, n in places],
        chart=_bars(f"Where readers say they are: the {len(places)} most given locations", places),
        empty="No reader has given a location they allowed to be published.",
    )
    recorded = [item for item in languages if item[0] != selectors.NOT_RECORDED]
    spoken = Section(
        slug="languages",
        heading="Languages",
        caption="The language of the page each reader asked from (spam left out)",
        columns=("Language", "Questions"),
        rows=[(language, str(n)) for language, n in languages],
        chart=_bars(f"Questions by the language readers asked in, {len(recorded)} languages", recorded),
        empty="No questions yet.",
        notes=[] if recorded or not languages else ["Languages are not recorded for these questions."],
    )
    return [where, spoken]


def callout_report(*, callout: Callout) -> Report:
    key = f"insights:callout:{callout.pk}:{_bucket()}"
    cached = cache.get(key)
    if isinstance(cached, Report):
        return cached
    figures = selectors.callout_figures(callout=callout)
    report = Report(
        sections=[
            *_arrivals_sections(figures),
            *_group_sections(figures),
            *_theme_sections(figures),
            *_answer_sections(figures),
            *_reader_sections(figures),
        ],
        as_of=_as_of(),
    )
    cache.set(key, report, CACHE_BUCKET_SECONDS)
    return report


def newsroom_report(*, newsroom: Newsroom, callouts: QuerySet[Callout]) -> tuple[Report, list[int]]:
    """The newsroom's call-outs compared; also the ids, in the table's order, to link each one."""
    key = f"insights:newsroom:{newsroom.pk}:{_bucket()}"
    cached = cache.get(key)
    if isinstance(cached, tuple):
        return cached
    rows = selectors.newsroom_comparison(newsroom=newsroom, callouts=callouts)
    hours = [row.median.total_seconds() / 3600 if row.median else 0.0 for row in rows]
    section = Section(
        slug="callouts",
        heading="Call-outs compared",
        caption="Each call-out: questions received, share answered, median time from question to answer",
        columns=("Call-out", "Questions", "Answered", "Median wait"),
        rows=[
            (f"{number}. {row.prompt}", str(row.questions), _percent(row.answered_share), duration_text(row.median))
            for number, row in enumerate(rows, start=1)
        ],
        # The chart numbers the call-outs as the table does, so the bars keep the width of a phone.
        chart=charts.comparison(
            f"{len(rows)} call-outs compared, numbered as in the table: questions, share answered,"
            " median hours to answer",
            [str(number) for number in range(1, len(rows) + 1)],
            [
                ("Questions", [row.questions for row in rows], "{:g}"),
                ("Answered", [round(row.answered_share * 100) for row in rows], "{:g}%"),
                ("Median hours", [round(value, 1) for value in hours], "{:g} h"),
            ],
        )
        if rows
        else None,
        empty="No call-outs yet.",
    )
    result = (Report(sections=[section], as_of=_as_of()), [row.callout_id for row in rows])
    cache.set(key, result, CACHE_BUCKET_SECONDS)
    return result
