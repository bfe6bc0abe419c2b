"""What each row of the triage list shows, prepared once per page in Python.

Fifty rows with their controls were most of a desk page's time: each row resolved three or
four ``{% url %}`` tags, two date filters, a language filter and an include, and printed
its numbers through the localisation machinery. Here the addresses come from one reversed
pattern per page, the labels from dictionaries built once, and the template only prints
strings (docs/benchmarks.md, "Triage at 1,000,000 questions").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from askdesk.questions.models import Question, QuestionEvidence, QuestionGroup, Theme
from askdesk.questions.selectors import language_apart, language_name

# A number no question has, replaced in a reversed address by each row's own id.
_PLACEHOLDER = 2147480647


def url_for_each(name: str) -> Callable[[int], str]:
    """The address of view ``name`` for any id, from one ``reverse``."""
    before, _, after = reverse(name, args=[_PLACEHOLDER]).partition(str(_PLACEHOLDER))
    return lambda pk: f"{before}{pk}{after}"


# The states a row offers each action in (the buttons at the end of a row).
SHORTLIST_FROM = frozenset({Question.Status.NEW, Question.Status.REJECTED, Question.Status.SPAM})
REJECT_FROM = frozenset({Question.Status.NEW, Question.Status.SHORTLISTED})


@dataclass(frozen=True)
class TriageRow:
    question: Question
    id: str
    # The wording cut to 80 characters, for the tick box's label.
    short_text: str
    detail_url: str
    act_url: str
    # Where an action on this row returns: the same list, at the row that takes its place.
    back: str
    status_label: str
    submitted_iso: str
    submitted_label: str
    # The language the question is written in when it is not the call-out's ("" when it is).
    language: str
    language_label: str
    story_answers: bool
    shortlist: bool
    reject: bool


def triage_rows(
    questions: Sequence[Question], *, list_path: str, filters: str, callout_language: str
) -> list[TriageRow]:
    """The rows of one page of the triage list; ``list_path`` is the list's own address (path and query)."""
    detail_url = url_for_each("questions:detail")
    act_url = url_for_each("questions:act")
    labels = dict(Question.Status.choices)
    query = f"?{filters}" if filters else ""
    rows = []
    for i, question in enumerate(questions):
        # After an action the list comes back at the row that takes the acted-on row's place.
        then = questions[i + 1].pk if i + 1 < len(questions) else (questions[i - 1].pk if i else None)
        code = language_apart(text_language=question.text_language, callout_language=callout_language)
        submitted = timezone.localtime(question.submitted_at)
        try:
            evidence: QuestionEvidence | None = question.evidence  # read with the row (select_related)
        except QuestionEvidence.DoesNotExist:
            evidence = None
        rows.append(
            TriageRow(
                question=question,
                id=str(question.pk),
                short_text=_shortened(question.display_text, 80),
                detail_url=detail_url(question.pk) + query,
                act_url=act_url(question.pk),
                back=f"{list_path}#q-{then}" if then else list_path,
                status_label=str(labels.get(question.status, question.status)),
                submitted_iso=submitted.isoformat(),
                submitted_label=dateformat.format(submitted, "j M, H:i"),
                language=code,
                language_label=language_name(code) if code else "",
                story_answers=bool(evidence is not None and evidence.answered),
                shortlist=question.status in SHORTLIST_FROM,
                reject=question.status in REJECT_FROM,
            )
        )
    return rows


def _shortened(text: str, length: int) -> str:
    """As the ``truncatechars`` filter cuts it; a text no longer than ``length`` is never cut, so it skips the work."""
    return text if len(text) <= length else Truncator(text).chars(length)


def prepare_group_rows(groups: Iterable[QuestionGroup], *, themes: Sequence[Theme], callout_language: str) -> None:
    """Give each group of the groups view what its row shows, made once per page:

    ``theme_choices``, the options of the themes it can move to (all but its own: a hundred
    themes on fifty rows were five thousand loops in the template); ``representative_url``;
    and ``representative_language`` with its ``representative_language_name`` when the
    representative question is written in another language than the call-out's.
    """
    options = [(t.pk, format_html('<option value="{}">{}</option>', t.pk, _shortened(t.label, 50))) for t in themes]
    detail_url = url_for_each("questions:detail")
    for group in groups:
        # Every piece is escaped by format_html above.
        group.theme_choices = mark_safe("".join(o for pk, o in options if pk != group.theme_id))  # type: ignore[attr-defined]  # noqa: S308
        representative = group.representative
        code = ""
        if representative is not None:
            group.representative_url = detail_url(representative.pk)  # type: ignore[attr-defined]
            code = language_apart(text_language=representative.text_language, callout_language=callout_language)
        group.representative_language = code  # type: ignore[attr-defined]
        group.representative_language_name = language_name(code) if code else ""  # type: ignore[attr-defined]
