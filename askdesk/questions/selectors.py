from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language_info

from askdesk.accounts.models import Expert
from askdesk.audit.models import AuditEvent
from askdesk.audit.selectors import audit_for
from askdesk.callouts.models import Callout
from askdesk.nlp.language import FUNCTION_WORDS
from askdesk.questions.links import hash_token
from askdesk.questions.models import (
    CalloutChangeCount,
    CalloutHourCount,
    CalloutStateCount,
    GroupStateCount,
    Question,
    QuestionEvidence,
    QuestionGroup,
    ReaderContact,
    Theme,
)
from askdesk.search.selectors import search_questions
from askdesk.stories.models import Sentence


def question_by_token(*, token: str) -> Question | None:
    """The question behind a reader's private link, if any."""
    if not token or len(token) > 100:
        return None
    return Question.objects.select_related("callout__story").filter(access_token_hash=hash_token(token)).first()


def triage_counts(*, callout: Callout) -> dict[str, int]:
    """Number of questions in each state (every state present, zeros included).

    Read from the counters the services keep, so it costs the same whatever the call-out's size.
    """
    counts = dict.fromkeys(Question.Status.values, 0)
    rows = CalloutStateCount.objects.filter(callout=callout).values_list("status").annotate(n=Sum("count")).order_by()
    for status, number in rows:
        counts[status] = number
    return counts


@dataclass(frozen=True)
class DeskVersion:
    """How many times the call-out's triage changed, and how many questions arrived, ever."""

    changes: int
    arrivals: int


def desk_version(*, callout_id: int) -> DeskVersion:
    """The version of a call-out's triage, from its few change-counter rows (one query, no question read)."""
    row = CalloutChangeCount.objects.filter(callout_id=callout_id).aggregate(
        changes=Sum("changes", default=0), arrivals=Sum("arrivals", default=0)
    )
    return DeskVersion(changes=row["changes"], arrivals=row["arrivals"])


def group_state_counts(*, group: QuestionGroup) -> dict[str, int]:
    """Number of the group's questions in each state (every state present, zeros included).

    Read from the group's counters, which the services keep: the same cost for a group of two
    and one of twenty thousand.
    """
    counts = dict.fromkeys(Question.Status.values, 0)
    counters = GroupStateCount.objects.filter(group_id=group.pk, group__callout_id=group.callout_id)
    counts.update(counters.values_list("status", "count"))
    return counts


def arrivals_by_hour(*, callout_ids: Collection[int], hours: int = 12) -> list[tuple[dt.datetime, int]]:
    """Questions that reached these call-outs in each of the last ``hours`` hours, oldest first (zeros included)."""
    now = timezone.now().astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)
    first = now - dt.timedelta(hours=hours - 1)
    found = dict(
        CalloutHourCount.objects.filter(callout_id__in=callout_ids, hour__gte=first)
        .values_list("hour")
        .annotate(n=Sum("count"))
        .order_by()
    )
    slots = [first + dt.timedelta(hours=i) for i in range(hours)]
    return [(hour, found.get(hour, 0)) for hour in slots]


def expert_load(*, experts: Collection[Expert]) -> list[tuple[Expert, int, int]]:
    """Each expert with the questions they still have to answer and the answers waiting for approval."""
    rows = (
        Question.objects.filter(
            assigned_to__in=experts, status__in=[Question.Status.ASSIGNED, Question.Status.ANSWERED]
        )
        .values_list("assigned_to_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    load: dict[tuple[int, str], int] = {(expert_id, status): n for expert_id, status, n in rows}
    return [
        (expert, load.get((expert.pk, Question.Status.ASSIGNED), 0), load.get((expert.pk, Question.Status.ANSWERED), 0))
        for expert in experts
    ]


def state_counts_for(*, callout_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per-state question counts of several call-outs, from the counters."""
    result = {pk: dict.fromkeys(Question.Status.values, 0) for pk in callout_ids}
    rows = (
        CalloutStateCount.objects.filter(callout_id__in=callout_ids)
        .values_list("callout_id", "status")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for callout_id, status, number in rows:
        result[callout_id][status] = number
    return result


# The welfare list above triage shows this many unless the editor asks for all of them.
WELFARE_SHOWN = 10
WELFARE_ALL = 500


def welfare_questions(*, callout: Callout, limit: int = WELFARE_SHOWN) -> tuple[list[Question], bool]:
    """Questions flagged as welfare or urgent, newest first (at most ``limit``), and whether there are more.

    One read of a partial index, as small as the flagged set: no count of the call-out.
    """
    flagged = list(Question.objects.filter(callout=callout, welfare=True).order_by("-submitted_at", "-id")[: limit + 1])
    return flagged[:limit], len(flagged) > limit


def triage_questions(
    *,
    callout: Callout,
    status: str = "",
    search: str = "",
    group: int | None = None,
    language: str = "",
    scan: bool = False,
) -> QuerySet[Question]:
    questions = Question.objects.filter(callout=callout).select_related("assigned_to", "answer", "evidence", "group")
    # Spam is set aside: shown only when asked for by its state.
    spam = Question.Status.SPAM
    questions = questions.filter(status=status) if status else questions.exclude(status=spam)
    if group is not None:
        questions = questions.filter(group_id=group)
    if language:
        questions = questions.filter(text_language=language)
    if search.strip():
        questions = search_questions(questions, search, scan=scan)
    return questions.order_by("-submitted_at", "-id")


def neighbours_in_list(
    *, question: Question, status: str = "", search: str = "", group: int | None = None, language: str = ""
) -> tuple[int | None, int | None]:
    """The questions before and after this one in the triage list it was opened from (newest first).

    Found from the question's own place, so they are right even after the question left the list.
    """
    questions = triage_questions(callout=question.callout, status=status, search=search, group=group, language=language)
    at, pk = question.submitted_at, question.pk
    older = questions.filter(Q(submitted_at__lt=at) | Q(submitted_at=at, id__lt=pk))
    newer = questions.filter(Q(submitted_at__gt=at) | Q(submitted_at=at, id__gt=pk))
    previous = newer.order_by("submitted_at", "id").values_list("pk", flat=True).first()
    following = older.order_by("-submitted_at", "-id").values_list("pk", flat=True).first()
    return previous, following


# A search counts its matches up to here and then says "more than".
SEARCH_COUNT_CAP = 1000
# A search of a large call-out looks first among (at least) this many of its newest questions,
# then among five times as many.
SEARCH_WINDOW = 20_000
SEARCH_WIDER = 5


class CountedPaginator(Paginator):  # type: ignore[type-arg]
    """A paginator told its count (from the state counters, or a capped count) instead of counting."""

    def __init__(self, object_list: Any, per_page: int, *, count: int, capped: bool = False) -> None:
        super().__init__(object_list, per_page)
        self.known_count = max(count, 0)
        self.capped = capped

    @cached_property
    def count(self) -> int:
        return self.known_count


class _IdsFirst:
    """A list whose later pages are read in two steps: the page's ids, then those rows.

    Skipping the rows before a page (OFFSET) then walks only the list's index, not every
    skipped row with its joined expert, answer, evidence and group: page 100 of a large
    call-out read 5,000 joined rows to show 50 (docs/benchmarks.md). The first page is one query.
    """

    ordered = True

    def __init__(self, questions: QuerySet[Question], *, always: bool = False) -> None:
        self.questions = questions
        self.always = always  # the first page too (its ids come from an index that covers the conditions)

    def count(self) -> int:
        return self.questions.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> Any:
        if not window.start and not self.always:
            return self.questions[window]
        ids = list(self.questions.values_list("pk", flat=True)[window])
        rows = self.questions.in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]


def triage_page(
    *,
    callout: Callout,
    status: str = "",
    search: str = "",
    group: int | None = None,
    page: int | str = 1,
    per_page: int = 50,
    counts: dict[str, int] | None = None,
    language: str = "",
) -> Page[Question]:
    """One page of the triage list; its total comes from the counters whenever the list is a whole state.

    ``counts``: the call-out's state counts, or the group's when ``group`` is given.
    """
    questions = _IdsFirst(
        triage_questions(callout=callout, status=status, search=search, group=group, language=language)
    )
    paginator: Paginator[Question]
    if search.strip():
        filters: dict[str, Any] = {"status": status, "search": search, "group": group, "language": language}
        starts = _window_starts(callout=callout)
        if starts[-1] is None:
            # A call-out that received fewer questions than the widest window is its own window:
            # its rows are read and tested newest first, never every match of the whole database's
            # GIN index (which holds every other call-out's too).
            questions = _IdsFirst(triage_questions(callout=callout, **filters, scan=True), always=True)
            starts = starts[:-1]
        recent = _newest_matches(callout=callout, starts=starts, filters=filters, at_least=SEARCH_COUNT_CAP + 1)
        if recent is not None:
            newest_first = _IdsFirst(recent, always=True)
            return CountedPaginator(newest_first, per_page, count=SEARCH_COUNT_CAP, capped=True).get_page(page)
        found = questions.questions.order_by()[: SEARCH_COUNT_CAP + 1].count()
        paginator = CountedPaginator(
            questions, per_page, count=min(found, SEARCH_COUNT_CAP), capped=found > SEARCH_COUNT_CAP
        )
    elif group is None and not language:
        counts = counts if counts is not None else triage_counts(callout=callout)
        paginator = CountedPaginator(questions, per_page, count=counts[status] if status else sum(counts.values()))
    elif not language:
        counts = counts if counts is not None else group_state_counts(group=QuestionGroup(pk=group, callout=callout))
        # A group's list leaves its spam out unless the spam tab is chosen.
        shown = counts[status] if status else sum(counts.values()) - counts[Question.Status.SPAM]
        paginator = CountedPaginator(questions, per_page, count=shown)
    else:
        paginator = CountedPaginator(questions, per_page, count=questions.count())  # a language: counted
    return paginator.get_page(page)


def _newest_matches(
    *, callout: Callout, starts: list[dt.datetime | None], filters: dict[str, Any], at_least: int
) -> QuerySet[Question] | None:
    """The search's matches among the call-out's newest questions (those since the first of
    ``starts`` that holds ``at_least`` of them; each window is only read where the one before
    ended), or None when none does.

    Then the newest ``at_least`` matches of the whole call-out are all among them, in the same
    order: the list's pages and its "more than" count come from the newest rows tested one by
    one until enough match, instead of every match read from the index and sorted (a common
    word matches tens of thousands of a million questions). A search with fewer matches there
    is rare across the call-out too, which the index finds quickly.
    """
    matching = triage_questions(callout=callout, **filters, scan=True)
    found = 0
    until: dt.datetime | None = None
    for since in starts:
        window = matching.filter(submitted_at__gte=since)
        unread = window.filter(submitted_at__lt=until) if until is not None else window
        found += unread.order_by()[: at_least - found].count()
        if found >= at_least:
            return window
        until = since
    return None


def _window_starts(*, callout: Callout) -> list[dt.datetime | None]:
    """Where the search windows start: the hours since which the call-out received SEARCH_WINDOW
    questions, then SEARCH_WIDER times as many, from its arrival counters (a few rows). None for
    a window larger than the call-out (the whole call-out), which is then the last. Questions
    deleted since make a window smaller, never wrong: a window with too few matches is not used."""
    hours = (
        CalloutHourCount.objects.filter(callout=callout).values_list("hour").annotate(n=Sum("count")).order_by("-hour")
    )
    wanted = [SEARCH_WINDOW, SEARCH_WINDOW * SEARCH_WIDER]
    starts: list[dt.datetime | None] = []
    received = 0
    for hour, number in hours:
        received += number
        while wanted and received >= wanted[0]:
            starts.append(hour)
            wanted.pop(0)
        if not wanted:
            return starts
    return [*starts, None]


def triage_page_ranked(
    *,
    callout: Callout,
    ranked: list[tuple[int, float]],
    status: str = "",
    group: int | None = None,
    page: int | str = 1,
    per_page: int = 50,
    language: str = "",
) -> Page[Question]:
    """One page of questions found by meaning (``ranked``: id and score, best first), kept to the
    list's call-out, state, group and language; each question gets its ``meaning_score``."""
    chosen = triage_questions(callout=callout, status=status, group=group, language=language)
    found = Paginator(_kept(chosen, ranked), per_page).get_page(page)
    rows = chosen.in_bulk([pk for pk, _ in found.object_list])
    questions = []
    for pk, score in found.object_list:
        if pk in rows:
            rows[pk].meaning_score = score  # type: ignore[attr-defined]
            questions.append(rows[pk])
    return Page(questions, found.number, found.paginator)  # type: ignore[arg-type]


def _kept(questions: QuerySet[Question], ranked: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """The ranked questions that are in ``questions`` (the list's call-out, state and group), in rank order."""
    kept = set(questions.filter(pk__in=[pk for pk, _ in ranked]).values_list("pk", flat=True))
    return [(pk, score) for pk, score in ranked if pk in kept]


def neighbours_in_ranking(
    *,
    question: Question,
    ranked: list[tuple[int, float]],
    status: str = "",
    group: int | None = None,
    language: str = "",
) -> tuple[int | None, int | None]:
    """The questions before and after this one in the search by meaning it was opened from.

    Found from the question's own rank, so they are right even after the question left the list.
    """
    order = [pk for pk, _ in ranked]
    if question.pk not in order:
        return None, None
    at = order.index(question.pk)
    listed = triage_questions(callout=question.callout, status=status, group=group, language=language)
    shown = {pk for pk, _ in _kept(listed, ranked)}
    before = [pk for pk in order[:at] if pk in shown]
    after = [pk for pk in order[at + 1 :] if pk in shown]
    return (before[-1] if before else None), (after[0] if after else None)


def triage_groups_page(
    *, callout: Callout, page: int | str = 1, per_page: int = 50, theme: int | None = None
) -> Page[QuestionGroup]:
    """The call-out's groups (or one theme's), largest first, each with its representative question."""
    groups = QuestionGroup.objects.filter(callout=callout, size__gt=0)
    if theme is not None:
        groups = groups.filter(theme_id=theme)
    groups = groups.select_related("representative", "theme").order_by("-size", "id")
    return Paginator(groups, per_page).get_page(page)


def triage_themes_page(*, callout: Callout, page: int | str = 1, per_page: int = 20) -> Page[Any]:
    """The call-out's themes, largest first, each with its groups (largest first) in ``theme_groups``."""
    groups = QuestionGroup.objects.filter(size__gt=0).select_related("representative").order_by("-size", "id")
    themes = (
        Theme.objects.filter(callout=callout, size__gt=0)
        .prefetch_related(Prefetch("groups", queryset=groups, to_attr="theme_groups"))
        .order_by("-size", "id")
    )
    return Paginator(themes, per_page).get_page(page)


def themes_for_filter(*, callout: Callout, limit: int = 100) -> list[Theme]:
    """The call-out's largest themes, to filter the groups by."""
    return list(Theme.objects.filter(callout=callout, size__gt=0).order_by("-size", "id")[:limit])


def groups_without_theme(*, callout: Callout, limit: int = 50) -> list[QuestionGroup]:
    """Groups not in a theme yet (made before themes existed, until the next regroup)."""
    groups = QuestionGroup.objects.filter(callout=callout, size__gt=0, theme__isnull=True)
    return list(groups.select_related("representative").order_by("-size", "id")[:limit])


def ungrouped_count(*, callout: Callout) -> int:
    """Questions the background worker has not grouped yet."""
    return Question.objects.filter(callout=callout, group__isnull=True).count()


def groups_for_moving(*, question: Question, limit: int = 30) -> list[QuestionGroup]:
    """The largest other groups of the question's call-out, to offer as places to move it."""
    groups = QuestionGroup.objects.filter(callout_id=question.callout_id, size__gt=0)
    if question.group_id is not None:
        groups = groups.exclude(pk=question.group_id)
    return list(groups.order_by("-size", "id")[:limit])


def expert_queue(*, expert: Expert, newsroom_ids: Collection[int] | None = None) -> QuerySet[Question]:
    """Questions assigned to an expert that still need or have their answer, oldest first.

    ``newsroom_ids`` keeps only the newsrooms the expert still answers for.
    """
    questions = Question.objects.filter(
        assigned_to=expert, status__in=[Question.Status.ASSIGNED, Question.Status.ANSWERED]
    )
    if newsroom_ids is not None:
        questions = questions.filter(callout__story__newsroom_id__in=newsroom_ids)
    return questions.select_related("callout__story", "answer").order_by("assigned_at", "id")


def question_history(question: Question) -> list[AuditEvent]:
    """What happened to a question and its answer, newest first."""
    events = audit_for(target=question)
    answer = getattr(question, "answer", None)
    if answer is not None:
        events += audit_for(target=answer)
    return sorted(events, key=lambda event: (event.at, event.pk), reverse=True)[:20]


def question_evidence(*, question: Question) -> tuple[QuestionEvidence | None, list[tuple[Sentence, float]]]:
    """The question's stored evidence (None until the worker computed it) and its sentences, best first."""
    evidence = QuestionEvidence.objects.filter(question=question).first()
    return evidence, evidence_sentences(question=question, evidence=evidence)


def evidence_sentences(*, question: Question, evidence: QuestionEvidence | None) -> list[tuple[Sentence, float]]:
    """The story sentences that may answer the question, best first, with their scores."""
    if evidence is None or not evidence.sentences:
        return []
    by_key = {s.key: s for s in Sentence.objects.filter(story_id=question.callout.story_id, key__in=evidence.keys)}
    return [(by_key[key], score) for key, score in evidence.sentences if key in by_key]


def story_may_answer(evidence: QuestionEvidence | None) -> bool:
    """Whether to point the reader to the story: only when the answered decision is yes (or maybe).

    The decision is a model's guess, so pages word it as a pointer ("may already answer"),
    never as a verdict.
    """
    return evidence is not None and says_may_answer(evidence.answered) and bool(evidence.sentences)


def says_may_answer(decision: object) -> bool:
    """An answered decision of yes or maybe: True today, "yes" or "maybe" once it has three levels."""
    return decision is True or decision in {"yes", "maybe"}


def reader_answer(*, question: Question) -> Any:
    """The published answer that answers this reader: their own question's, or its group's."""
    answered = question
    if question.status == Question.Status.COVERED and question.covered_by_id is not None:
        answered = question.covered_by  # type: ignore[assignment]
    if answered.status != Question.Status.PUBLISHED:
        return None
    return getattr(answered, "answer", None)


def published_count(*, callout: Callout) -> int:
    """How many of the call-out's questions are answered on its public page."""
    return Question.objects.filter(callout=callout, status=Question.Status.PUBLISHED).count()


def reader_has_email(*, question: Question) -> bool:
    """Whether the reader left an email address (found without decrypting it)."""
    return ReaderContact.objects.filter(question=question).exclude(email_digest="").exists()


def groups_with_joined(groups: list[QuestionGroup]) -> list[QuestionGroup]:
    """Set ``joined`` (readers who joined a question of the group without writing it, "I want to
    know too") and ``asked`` (all its readers) on each group, in one query.

    Joins are counted through the questions they joined (``Question.joined_readers``), so triage
    needs nothing from the app that stores them.
    """
    # Counted from the joins' side (few rows), not by walking every question of the largest
    # groups to find the joins (that grew with the call-out: 35 ms at 300,000 questions).
    joins = Question._meta.get_field("joined_readers").related_model
    rows = (
        joins.objects.filter(question__group_id__in=[group.pk for group in groups])  # type: ignore[union-attr]
        .values_list("question__group_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, int] = {group_id: number for group_id, number in rows}
    for group in groups:
        group.joined = counts.get(group.pk, 0)  # type: ignore[attr-defined]
        group.asked = group.size + group.joined  # type: ignore[attr-defined]
    return groups


# --- the language questions are written in ----------------------------------------------------


def callout_language(callout: Callout) -> str:
    """The language the call-out's story is written in: its newsroom's, as a primary code ("en")."""
    return callout.story.newsroom.language.split("-")[0].lower()


def question_languages() -> list[tuple[str, str]]:
    """The languages the worker can tell a question is written in, as (code, English name), to filter by."""
    return [(code, language_name(code)) for code in sorted(FUNCTION_WORDS, key=language_name)]


def language_name(code: str) -> str:
    """ "French" for "fr"; the code itself for a language Django does not know."""
    try:
        return str(get_language_info(code)["name"])
    except KeyError:
        return code


def language_apart(*, text_language: str, callout_language: str) -> str:
    """The question's language when it is known and is not the call-out's; "" otherwise.

    Only languages the worker can tell apart count: for a call-out in another language
    (Persian, say) every question reads as the default, so none is marked.
    """
    if not text_language or text_language == callout_language or callout_language not in FUNCTION_WORDS:
        return ""
    return text_language
