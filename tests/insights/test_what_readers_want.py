"""The analytics pages: figures on a small known set of questions, accessible charts, access."""

from __future__ import annotations

import base64
import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from askdesk.accounts.models import Role
from askdesk.accounts.services import staff_create
from askdesk.answers.models import Answer
from askdesk.callouts.models import Callout
from askdesk.insights import selectors
from askdesk.insights.reports import duration_text
from askdesk.newsrooms.models import Newsroom
from askdesk.questions.models import Question, QuestionGroup, Theme
from tests.conftest import PASSWORD, login, submit

LONDON = ZoneInfo("Europe/London")
# A November day: London is on UTC, so local hours are plain.
DAY = datetime(2026, 11, 20, tzinfo=LONDON)
Status = Question.Status


@pytest.fixture(autouse=True)
def _fresh_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def asked(callout: Callout, at: datetime, text: str = "Will Iran retaliate?", **fields: Any) -> Question:
    """A reader's question, stored through the service, then dated ``at``."""
    question, _ = submit(callout, text, **fields)
    Question.objects.filter(pk=question.pk).update(submitted_at=at)
    question.refresh_from_db()
    return question


def published(question: Question, after: timedelta, *, source: str = Answer.Source.EXPERT) -> Question:
    Answer.objects.create(question=question, source=source, body="An answer.", status=Answer.Status.APPROVED)
    Question.objects.filter(pk=question.pk).update(status=Status.PUBLISHED, published_at=question.submitted_at + after)
    question.refresh_from_db()
    return question


def covered(question: Question, by: Question) -> None:
    Question.objects.filter(pk=question.pk).update(status=Status.COVERED, covered_by=by)


def set_status(question: Question, status: str) -> None:
    Question.objects.filter(pk=question.pk).update(status=status)


def analytics_url(callout: Callout) -> str:
    return reverse("insights:callout", args=[callout.pk])


def chart_svgs(html: str) -> list[tuple[str, str, str]]:
    """(role, alt, decoded SVG) of each chart image on a page."""
    found = []
    for tag in re.findall(r"<img [^>]*>", html):
        source = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', tag)
        if source is None:
            continue
        role = re.search(r'role="([^"]*)"', tag)
        alt = re.search(r'alt="([^"]*)"', tag)
        found.append(
            (role.group(1) if role else "", alt.group(1) if alt else "", base64.b64decode(source.group(1)).decode())
        )
    return found


def table_rows(html: str, section: str) -> list[list[str]]:
    """The body rows of the table in a section of the page, cell texts only."""
    block = html.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]
    body = block.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    return [[cell.strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)] for row in rows]


def test_questions_are_counted_per_hour_with_quiet_hours_as_zero_and_per_day(callout):
    for minute in (5, 40, 59):
        asked(callout, DAY.replace(hour=10, minute=minute))
    asked(callout, DAY.replace(hour=12, minute=10))
    asked(callout, DAY.replace(hour=12, minute=50))
    asked(callout, DAY + timedelta(days=2, hours=9))

    per_day = selectors.questions_per_day(callout=callout)
    assert [(moment.date().isoformat(), n) for moment, n in per_day] == [
        ("2026-11-20", 5),
        ("2026-11-21", 0),
        ("2026-11-22", 1),
    ]
    per_hour = dict(selectors.questions_per_hour(callout=callout))
    assert per_hour[DAY.replace(hour=10)] == 3
    assert per_hour[DAY.replace(hour=11)] == 0
    assert per_hour[DAY.replace(hour=12)] == 2
    assert per_hour[DAY + timedelta(days=2, hours=9)] == 1
    assert len(per_hour) == 48 and sum(per_hour.values()) == 6

    # A call-out that runs longer shows the last 48 hours, ending with the latest question.
    latest = asked(callout, DAY + timedelta(days=4, hours=9)).submitted_at
    hours = selectors.questions_per_hour(callout=callout)
    assert len(hours) == selectors.HOURS_SHOWN
    assert hours[0][0] == latest - timedelta(hours=47) and hours[-1] == (latest, 1)
    assert sum(n for _, n in hours) == 1


def test_shares_count_published_and_covered_as_answered_and_the_story_answers_apart(callout):
    questions = [asked(callout, DAY + timedelta(minutes=n), f"Question {n}?") for n in range(10)]
    by_expert = published(questions[0], timedelta(hours=1))
    by_story = published(questions[1], timedelta(hours=1), source=Answer.Source.STORY)
    covered(questions[2], by_story)
    covered(questions[3], by_expert)
    set_status(questions[4], Status.REJECTED)
    set_status(questions[5], Status.SPAM)
    set_status(questions[6], Status.SPAM)

    shares = selectors.answer_shares(callout=callout)

    assert (shares.total, shares.answered, shares.by_story, shares.rejected, shares.spam) == (10, 4, 2, 1, 2)
    assert shares.share(shares.answered) == 0.4


def test_median_and_p90_run_from_the_question_to_the_publication_that_answered_it(callout):
    waits = [1, 2, 3, 4]
    for hours in waits:
        published(asked(callout, DAY, f"Asked, answered after {hours} h?"), timedelta(hours=hours))
    # Covered 10 hours after it was asked, by a question published then.
    late = asked(callout, DAY.replace(hour=1), "Asked early, covered later?")
    cover = published(asked(callout, DAY.replace(hour=10), "Published at 11?"), timedelta(hours=1))
    covered(late, cover)
    asked(callout, DAY, "Not answered yet?")

    times = selectors.answer_times(callout=callout)

    expected = [1, 2, 3, 4, 10, 1]
    assert times.answered == 6
    assert times.median == timedelta(hours=float(numpy.percentile(expected, 50)))
    assert times.p90 == timedelta(hours=float(numpy.percentile(expected, 90)))
    assert duration_text(times.p90) == "7 h 00 min"


def test_the_largest_groups_are_listed_with_how_they_grew(callout):
    big = QuestionGroup.objects.create(callout=callout, label="Will Iran retaliate?")
    small = QuestionGroup.objects.create(callout=callout, label="Is it safe to travel?")
    for hour, group in [(9, big), (9, big), (10, small), (11, big)]:
        question = asked(callout, DAY.replace(hour=hour))
        Question.objects.filter(pk=question.pk).update(group=group)
    QuestionGroup.objects.filter(pk=big.pk).update(size=3)
    QuestionGroup.objects.filter(pk=small.pk).update(size=1)

    figures = selectors.callout_figures(callout=callout)

    assert figures.largest_groups == [("Will Iran retaliate?", 3), ("Is it safe to travel?", 1)]
    assert figures.growth_step == "hour"
    assert [(item.label, [n for _, n in item.points]) for item in figures.growth] == [
        ("Will Iran retaliate?", [2, 2, 3]),
        ("Is it safe to travel?", [0, 1, 1]),
    ]


def test_the_largest_themes_are_charted_with_how_they_grew_beside_their_tables(editor_client, callout):
    war = Theme.objects.create(callout=callout, label="Will Iran retaliate?")
    travel = Theme.objects.create(callout=callout, label="Is it safe to travel?")
    retaliate = QuestionGroup.objects.create(callout=callout, label="Will Iran retaliate?", theme=war)
    escalate = QuestionGroup.objects.create(callout=callout, label="Will this escalate?", theme=war)
    flights = QuestionGroup.objects.create(callout=callout, label="Is it safe to travel?", theme=travel)
    QuestionGroup.objects.create(callout=callout, label="Not in a theme", size=1)
    for hour, group in [(9, retaliate), (9, flights), (10, escalate), (11, escalate), (11, flights)]:
        question = asked(callout, DAY.replace(hour=hour))
        Question.objects.filter(pk=question.pk).update(group=group)
    Theme.objects.filter(pk=war.pk).update(size=3)
    Theme.objects.filter(pk=travel.pk).update(size=2)
    Theme.objects.create(callout=callout, label="An emptied theme", size=0)

    figures = selectors.callout_figures(callout=callout)

    assert figures.largest_themes == [("Will Iran retaliate?", 3), ("Is it safe to travel?", 2)]
    assert figures.theme_growth_step == "hour"
    assert [(item.label, [n for _, n in item.points]) for item in figures.theme_growth] == [
        ("Will Iran retaliate?", [1, 2, 3]),
        ("Is it safe to travel?", [1, 1, 2]),
    ]
    html = editor_client.get(analytics_url(callout)).content.decode()
    assert table_rows(html, "themes") == [["Will Iran retaliate?", "3"], ["Is it safe to travel?", "2"]]
    assert table_rows(html, "theme-growth") == [
        ["20 Nov 09:00", "1", "1"],
        ["20 Nov 10:00", "2", "1"],
        ["20 Nov 11:00", "3", "2"],
    ]
    titles = [alt for _, alt, _ in chart_svgs(html)]
    assert "The 2 largest themes by questions" in titles
    assert "Growth of the 2 largest themes, per hour" in titles
    for slug in ("themes", "theme-growth"):
        block = html.split(f'id="{slug}"', 1)[1].split("</section>", 1)[0]
        assert 'role="img"' in block and "<caption>" in block
    assert "An emptied theme" not in html


def test_a_call_out_without_themes_says_so_instead_of_an_empty_chart(editor_client, callout):
    asked(callout, DAY)

    html = editor_client.get(analytics_url(callout)).content.decode()

    block = html.split('id="themes"', 1)[1].split("</section>", 1)[0]
    assert "No themes yet" in block and "<img" not in block


def test_locations_are_listed_exactly_as_typed_only_when_readers_allowed_it_and_never_contact_details(
    editor_client, callout
):
    asked(callout, DAY, location="Leeds", email="sara@example.com", phone="+44 7700 900123")
    asked(callout, DAY, location="Leeds")
    asked(callout, DAY, location="leeds")
    asked(callout, DAY, location="Tehran (my family)")
    asked(callout, DAY, location="Secret Town", publish_location=False)
    asked(callout, DAY, location="reach me at omar@example.org")
    asked(callout, DAY, location="07700 900456")
    spam = asked(callout, DAY, location="Spamtown")
    set_status(spam, Status.SPAM)

    assert selectors.reader_locations(callout=callout) == [("Leeds", 2), ("Tehran (my family)", 1), ("leeds", 1)]
    html = editor_client.get(analytics_url(callout)).content.decode()
    assert table_rows(html, "locations") == [["Leeds", "2"], ["Tehran (my family)", "1"], ["leeds", "1"]]
    for hidden in ("Secret Town", "Spamtown", "example.com", "example.org", "900123", "900456"):
        assert hidden not in html
        assert all(hidden not in svg for _, _, svg in chart_svgs(html))


def test_languages_are_counted_and_blank_ones_are_said_not_recorded(callout):
    asked(callout, DAY, language="fa")
    asked(callout, DAY, language="fa")
    asked(callout, DAY, language="en")
    asked(callout, DAY)

    assert selectors.reader_languages(callout=callout) == [("fa", 2), ("en", 1), ("not recorded", 1)]


def test_every_chart_is_an_svg_image_with_a_title_beside_a_table_of_the_same_figures(
    editor_client, callout, django_assert_num_queries
):
    for minute in (5, 40):
        asked(callout, DAY.replace(hour=10, minute=minute))
    answered = published(asked(callout, DAY.replace(hour=12)), timedelta(minutes=30), source=Answer.Source.STORY)
    assert answered.status == Status.PUBLISHED

    # Session, user, roles, call-out; the figures: groups, themes, arrivals per hour and per day,
    # shares, the answered count and two percentiles, locations, languages; the page's alerts badge
    # and permissions (4: the newsroom memberships too). Nothing per question.
    with django_assert_num_queries(18):
        response = editor_client.get(analytics_url(callout))
    html = response.content.decode()
    # Readers' locations are on it: never kept by a browser or a shared cache.
    assert "no-store" in response["Cache-Control"]

    charts = chart_svgs(html)
    assert len(charts) >= 3
    for role, alt, svg in charts:
        assert role == "img" and alt
        root = re.search(r"<svg[^>]*>", svg)
        assert root is not None
        assert 'role="img"' in root.group(0) and "viewBox=" in root.group(0) and 'width="100%"' in root.group(0)
        title = re.search(r"<title[^>]*>(.*?)</title>", svg)
        assert title is not None and title.group(1) == alt
    assert table_rows(html, "per-hour") == [["20 Nov 10:00", "2"], ["20 Nov 11:00", "0"], ["20 Nov 12:00", "1"]]
    assert table_rows(html, "shares") == [
        ["Answered (published or covered)", "1", "33%"],
        ["Answered by the story", "1", "33%"],
        ["Rejected", "0", "0%"],
        ["Spam", "0", "0%"],
    ]
    assert table_rows(html, "time-to-answer") == [["Median", "30 min"], ["90th percentile", "30 min"]]
    # Each chart has its table, with a caption, in the same section.
    for block in html.split('class="panel insight"')[1:]:
        block = block.split("</section>", 1)[0]
        assert ("<img " in block) <= ("<caption>" in block)
    # A second look within the cache bucket costs no figures and no drawing.
    with django_assert_num_queries(8):
        editor_client.get(analytics_url(callout))


def test_the_triage_page_links_to_the_analytics(editor_client, callout):
    html = editor_client.get(reverse("questions:triage", args=[callout.pk])).content.decode()
    assert f'href="{analytics_url(callout)}"' in html


def test_the_newsroom_page_compares_its_callouts(editor_client, callout, newsroom, django_assert_num_queries):
    published(asked(callout, DAY), timedelta(hours=2))
    asked(callout, DAY)
    # Session, user, roles, newsroom; the call-outs with their counts, then for the one with
    # answers its answered count and median; the page's alerts badge and permissions (3).
    with django_assert_num_queries(11):
        response = editor_client.get(reverse("insights:newsroom", args=[newsroom.pk]))
    html = response.content.decode()
    assert table_rows(html, "callouts") == [[f"1. {callout.prompt}", "2", "50%", "2 h 00 min"]]
    ((role, alt, svg),) = chart_svgs(html)
    assert role == "img" and "call-outs compared" in alt and "<title" in svg
    assert f'href="{analytics_url(callout)}"' in html


def test_experts_and_anonymous_visitors_cannot_see_analytics(client, expert_client, callout, newsroom):
    for url in (analytics_url(callout), reverse("insights:newsroom", args=[newsroom.pk])):
        assert expert_client.get(url).status_code in (403, 404)
        response = Client().get(url)
        assert response.status_code == 302 and "/desk/login/" in response["Location"]


def test_an_editor_of_another_newsroom_cannot_see_this_newsrooms_analytics(callout, newsroom):
    other_room = Newsroom.objects.create(name="The Other Paper", slug="other")
    outsider = staff_create(username="otto", password=PASSWORD, role=Role.EDITOR, newsroom=other_room)
    other = login(Client(), outsider)
    assert other.get(analytics_url(callout)).status_code in (403, 404)
    assert other.get(reverse("insights:newsroom", args=[newsroom.pk])).status_code in (403, 404)


def test_readers_words_are_drawn_as_plain_text_in_the_charts(editor_client, callout):
    typed = ['Paris <script>alert("x")</script>', "$5 or $10 & \\frac{", "Zürich & Köln"]
    for location in typed:
        asked(callout, DAY, location=location)

    response = editor_client.get(analytics_url(callout))

    assert response.status_code == 200
    ((_, _, svg),) = [chart for chart in chart_svgs(response.content.decode()) if "locations" in chart[1]]
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert "$5 or $10 &amp;" in svg and "Zürich &amp; Köln" in svg
