"""Question intelligence in the background: embed, group, find evidence in the story.

Runs in the worker (``askdesk.analysis.tasks``), never in a web request. Each worker
process keeps, per call-out, the incremental group index in memory and reloads it when
the call-out's ``groups_version`` says editors or a regroup changed the groups.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from askdesk.analysis.models import QuestionVector, SentenceVector, decode_vector
from askdesk.callouts.models import Callout
from askdesk.nlp.embed import Embedder, Vectors, get_embedder
from askdesk.nlp.evidence import StoryIndex
from askdesk.nlp.group import (
    MAX_PAIR_BLOCK,
    GroupIndex,
    carry_over,
    join_group,
    regroup,
    same_question_groups,
    themes_around_groups,
    themes_of_groups,
)
from askdesk.nlp.language import detect_language
from askdesk.questions.models import Question, QuestionEvidence, QuestionGroup, Theme
from askdesk.questions.selectors import triage_counts
from askdesk.questions.services import groups_refresh
from askdesk.questions.signals import group_sizes_changed
from askdesk.stories.models import Sentence, Story

TOP_EVIDENCE = 3


def embedder() -> Embedder:
    return get_embedder(settings.ASKDESK_EMBEDDER)


def to_bytes(vector: Vectors) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(raw: bytes | memoryview, dim: int) -> Vectors:
    return decode_vector(raw).reshape(dim)


# --- per-process caches ------------------------------------------------------------------


@dataclass
class _CalloutIndex:
    version: int
    index: GroupIndex


@dataclass
class _StoryEntry:
    index: StoryIndex
    keys: list[str]  # the stable key ("s12") of each indexed sentence


_lock = threading.Lock()
_group_indexes: dict[tuple[int, str], _CalloutIndex] = {}
_story_indexes: dict[tuple[int, str], _StoryEntry] = {}


def clear_caches() -> None:
    with _lock:
        _group_indexes.clear()
        _story_indexes.clear()


def _group_index(callout: Callout, model: Embedder) -> GroupIndex:
    """The call-out's grouped questions as an index, brought up to date when its groups changed.

    Built once per process and call-out; after a change of groups (an editor's merge, a
    regroup) only the group ids are read again and the rows that came or went are added or
    dropped, since a large call-out's index takes minutes to build (docs/benchmarks.md).
    """
    key = (callout.pk, model.name)
    cached = _group_indexes.get(key)
    if cached is not None and cached.version == callout.groups_version:
        return cached.index
    grouped = QuestionVector.objects.filter(
        question__callout=callout, embedder=model.name, question__group__isnull=False
    )
    if cached is not None:
        _refresh_group_index(cached.index, grouped, model)
        cached.version = callout.groups_version
        return cached.index
    rows = grouped.order_by("question_id").values_list("question_id", "vector", "question__group_id")
    index = GroupIndex.from_rows(
        ((qid, from_bytes(raw, model.dim), group) for qid, raw, group in rows.iterator(chunk_size=2000)),
        dim=model.dim,
    )
    _group_indexes[key] = _CalloutIndex(callout.groups_version, index)
    return index


def _refresh_group_index(index: GroupIndex, grouped: QuerySet[QuestionVector], model: Embedder) -> None:
    groups: dict[Hashable, int] = dict(grouped.values_list("question_id", "question__group_id"))
    for question_id in [q for q in index.question_ids() if q not in groups]:
        index.remove(question_id)  # deleted by its reader, or taken out of every group
    missing = [q for q in groups if q not in index]
    for start in range(0, len(missing), 500):
        rows = grouped.filter(question_id__in=missing[start : start + 500]).values_list("question_id", "vector")
        for question_id, raw in rows:
            index.insert(question_id, from_bytes(raw, model.dim), groups[question_id])
    index.set_groups(groups)


def story_index(story: Story, model: Embedder) -> _StoryEntry:
    """The story's sentences as an evidence index; sentence vectors are stored once and reused."""
    key = (story.pk, model.name)
    cached = _story_indexes.get(key)
    if cached is not None:
        return cached
    sentences = list(Sentence.objects.filter(story=story).order_by("position"))
    stored = {
        row.sentence_id: from_bytes(row.vector, model.dim)
        for row in SentenceVector.objects.filter(sentence__story=story, embedder=model.name)
    }
    missing = [s for s in sentences if s.pk not in stored]
    if missing:
        fresh = model.embed([s.text for s in missing])
        SentenceVector.objects.bulk_create(
            [
                SentenceVector(sentence=s, embedder=model.name, vector=to_bytes(v))
                for s, v in zip(missing, fresh, strict=True)
            ],
            ignore_conflicts=True,
        )
        stored.update({s.pk: v for s, v in zip(missing, fresh, strict=True)})
    vectors = np.stack([stored[s.pk] for s in sentences]).astype(np.float32)
    entry = _StoryEntry(StoryIndex([s.text for s in sentences], vectors, model), [s.key for s in sentences])
    _story_indexes[key] = entry
    return entry


# --- one question ---------------------------------------------------------------------------


def question_analyse(*, question_id: int) -> None:
    """Embed a new question, put it in a group, and find the story sentences that may answer it.

    Idempotent: a worker killed half-way leaves a task that is run again, so each step keeps
    what an earlier run stored (vector, group, evidence) and a second run changes nothing.
    """
    question = Question.objects.select_related("callout__story").filter(pk=question_id).first()
    if question is None:
        return  # deleted by its reader before the worker got to it
    model = embedder()
    stored = QuestionVector.objects.filter(question=question, embedder=model.name).first()
    vector = from_bytes(stored.vector, model.dim) if stored else model.embed([question.text])[0]
    if stored is None:
        # Another run of the same task may have stored it meanwhile: keep the first vector.
        QuestionVector.objects.bulk_create(
            [QuestionVector(question=question, embedder=model.name, vector=to_bytes(vector))], ignore_conflicts=True
        )
    language = detect_language(question.text)
    if question.text_language != language:
        Question.objects.filter(pk=question.pk).update(text_language=language)
    with _lock:
        if question.group_id is None:
            _assign_group(question, vector, model)
        if not QuestionEvidence.objects.filter(question=question, embedder=model.name).exists():
            _record_evidence(question, vector, model)
    _maybe_regroup(question.callout_id)


# How many nearest questions the pair model compares a new question with.
JOIN_CANDIDATES = 300


def _assign_group(question: Question, vector: Vectors, model: Embedder) -> None:
    """A question arriving alone joins the same-question group the pair model finds, or starts one.

    The new question is compared with its JOIN_CANDIDATES nearest grouped questions (the
    whole call-out while it is smaller) by the same pair model and average-link rule as a
    full regroup. A new group goes into the theme of the nearest question when it is close
    enough (the theme-level threshold), else into a theme of its own.
    """
    callout = question.callout
    index = _group_index(callout, model)
    candidates = index.nearest(vector, JOIN_CANDIDATES)
    texts: dict[Hashable, str] = dict(
        Question.objects.filter(pk__in=[c.question_id for c in candidates]).values_list("pk", "text")
    )
    candidates = [c for c in candidates if c.question_id in texts]
    joined = None
    if candidates:
        joined = join_group(
            np.stack([index.vector_of(c.question_id) for c in candidates]),
            [texts[c.question_id] for c in candidates],
            [c.group_id for c in candidates],
            vector,
            question.text,
            title=callout.story.title,
        )
    with transaction.atomic():
        # Checked again inside the transaction: a run in another process may have placed it.
        if Question.objects.select_for_update().filter(pk=question.pk, group__isnull=False).exists():
            return
        group = QuestionGroup.objects.select_for_update().filter(pk=joined, callout=callout).first() if joined else None
        if group is None:
            nearest = candidates[0] if candidates else None
            theme_id = None
            if nearest is not None and nearest.similarity >= index.threshold:
                theme_id = QuestionGroup.objects.filter(pk=nearest.group_id).values_list("theme_id", flat=True).first()
            if theme_id is None:
                theme_id = Theme.objects.create(callout=callout).pk
            group = QuestionGroup.objects.create(callout=callout, representative=question, size=0, theme_id=theme_id)
        Question.objects.filter(pk=question.pk).update(group=group)
        groups_refresh(callout_id=callout.pk, group_ids=[group.pk])
        group_sizes_changed.send(sender=QuestionGroup, callout_id=callout.pk)
    index.insert(question.pk, vector, group.pk)


def _record_evidence(question: Question, vector: Vectors, model: Embedder) -> None:
    entry = story_index(question.callout.story, model)
    found = entry.index.evidence([question.text], top_k=TOP_EVIDENCE, vectors=vector[None, :])[0]
    keys = entry.keys
    QuestionEvidence.objects.update_or_create(
        question=question,
        defaults={
            "answered": found.answered,
            "verdict": found.verdict,
            "confidence": round(found.confidence, 4),
            "sentences": [[keys[s.index], round(s.score, 4)] for s in found.sentences],
            "embedder": model.name,
            "computed_at": timezone.now(),
        },
    )


def _maybe_regroup(callout_id: int) -> None:
    """Regroup a call-out as a whole once enough questions were analysed since the last time.

    Counted in analysed questions, not arrivals: after a burst the worker drains a backlog, and a
    regroup at its start (over the few questions analysed so far) must not count the questions
    still waiting, or the backlog would be grouped one by one with no full regroup after it.
    """
    callout = Callout.objects.get(pk=callout_id)
    total = sum(triage_counts(callout=callout).values())  # the state counters: no count of the call-out
    needed = max(settings.ASKDESK_REGROUP_EVERY, int(settings.ASKDESK_REGROUP_SHARE * total))
    if total - callout.questions_at_last_regroup < needed:
        return  # the usual case, and no question counted
    if _analysed(callout_id) - callout.questions_at_last_regroup >= needed:
        from askdesk.analysis.tasks import regroup_callout

        regroup_callout.enqueue(callout_id=callout_id)


def _analysed(callout_id: int) -> int:
    return QuestionVector.objects.filter(question__callout_id=callout_id, embedder=embedder().name).count()


# --- a whole call-out ------------------------------------------------------------------------


def callout_regroup(*, callout_id: int) -> int:
    """Recompute both levels of a call-out; returns the number of groups.

    Same-question groups come first: they are recomputed over the whole call-out for the
    questions no editor placed by hand. Themes are then made of whole groups (hand-placed
    ones included, see ``themes_around_groups``), for every group whose theme no editor
    chose. Ids carry over (a cluster takes the stored id most of its members had), so
    groups and themes editors already know keep their id.
    """
    model = embedder()
    callout = Callout.objects.select_related("story").get(pk=callout_id)
    rows = list(
        QuestionVector.objects.filter(question__callout=callout, embedder=model.name)
        .order_by("question_id")
        .values_list("question_id", "question__text", "vector", "question__group_id", "question__group_locked")
    )
    representatives: dict[int, int] = {}
    if rows:
        ids = [r[0] for r in rows]
        texts = [r[1] for r in rows]
        vectors = np.stack([from_bytes(r[2], model.dim) for r in rows])
        locked = np.array([r[4] for r in rows], dtype=bool)
        # Subjects only split a big call-out into blocks for the pair scores.
        subjects = regroup(vectors, texts) if len(rows) > MAX_PAIR_BLOCK else None
        free = np.flatnonzero(~locked)
        final_groups = np.array([r[3] if r[3] is not None else -1 for r in rows], dtype=np.int64)
        with transaction.atomic():
            if len(free):
                labels = same_question_groups(
                    vectors[free],
                    [texts[i] for i in free],
                    themes=None if subjects is None else subjects[free],
                    title=callout.story.title,
                )
                previous = final_groups[free]
                carried = carry_over(previous, labels)
                # Fresh ids are above every previous one but may be a stored group's pk: only
                # the previous ids of these questions are carried over.
                stored = set(previous.tolist()) - {-1}
                for cluster in np.unique(carried).tolist():
                    members = free[carried == cluster]
                    if cluster in stored:
                        group_id = cluster
                    else:
                        group_id = QuestionGroup.objects.create(callout=callout, representative_id=ids[members[0]]).pk
                    Question.objects.filter(pk__in=[ids[i] for i in members]).update(group_id=group_id)
                    final_groups[members] = group_id
            representatives = _central_members(ids, vectors, final_groups)
            _write_themes(callout, final_groups, themes_around_groups(vectors, texts, final_groups, subjects=subjects))
    with transaction.atomic():
        Callout.objects.filter(pk=callout.pk).update(
            groups_version=F("groups_version") + 1,
            questions_at_last_regroup=len(rows),  # the questions it grouped
        )
        groups_refresh(callout_id=callout.pk, representatives=representatives)
        group_sizes_changed.send(sender=QuestionGroup, callout_id=callout.pk)
    return QuestionGroup.objects.filter(callout=callout).count()


def _central_members(ids: list[int], vectors: Vectors, groups: npt.NDArray[np.int64]) -> dict[int, int]:
    """Each group's most central question: the member most similar to the group's mean vector."""
    out: dict[int, int] = {}
    for group in np.unique(groups[groups >= 0]).tolist():
        members = np.flatnonzero(groups == group)
        centroid = vectors[members].mean(axis=0)
        out[int(group)] = ids[int(members[int(np.argmax(vectors[members] @ centroid))])]
    return out


def _write_themes(callout: Callout, groups: npt.NDArray[np.int64], subjects: npt.NDArray[np.int64]) -> None:
    """Put every group whose theme no editor chose in its theme (the one most of its members are in)."""
    grouped = groups >= 0
    by_group = themes_of_groups(groups[grouped], subjects[grouped])
    group_ids = groups[grouped]
    theme_of: dict[int, int] = {}
    for group, theme in zip(group_ids.tolist(), by_group.tolist(), strict=True):
        theme_of[group] = theme
    stored = {
        pk: (theme_id, locked)
        for pk, theme_id, locked in QuestionGroup.objects.filter(callout=callout).values_list(
            "pk", "theme_id", "theme_locked"
        )
    }
    free = [g for g in sorted(theme_of) if g in stored and not stored[g][1]]
    if not free:
        return
    previous = [stored[g][0] if stored[g][0] is not None else -1 for g in free]
    carried = carry_over(previous, [theme_of[g] for g in free])
    existing = set(previous) - {-1}
    created: dict[int, int] = {}
    for group, theme in zip(free, carried.tolist(), strict=True):
        if theme not in existing:
            if theme not in created:
                created[theme] = Theme.objects.create(callout=callout).pk
            theme = created[theme]
        if stored[group][0] != theme:
            QuestionGroup.objects.filter(pk=group).update(theme_id=theme)
