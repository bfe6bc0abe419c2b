"""Question intelligence in the background: embed, group, find evidence in the story.

Runs in the worker (``askdesk.analysis.tasks``), never in a web request. Each worker
process keeps, per call-out, the incremental group index in memory and reloads it when
the call-out's ``groups_version`` says editors or a regroup changed the groups.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from askdesk.analysis.models import QuestionVector, SentenceVector
from askdesk.callouts.models import Callout
from askdesk.nlp.embed import Embedder, Vectors, get_embedder
from askdesk.nlp.evidence import StoryIndex
from askdesk.nlp.group import GroupIndex, GroupSummary, carry_over, describe_groups, regroup
from askdesk.questions.models import Question, QuestionEvidence, QuestionGroup
from askdesk.questions.signals import group_sizes_changed
from askdesk.stories.models import Sentence, Story

TOP_EVIDENCE = 3
LABEL_LENGTH = 200


def embedder() -> Embedder:
    return get_embedder(settings.ASKDESK_EMBEDDER)


def to_bytes(vector: Vectors) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(raw: bytes | memoryview, dim: int) -> Vectors:
    return np.frombuffer(bytes(raw), dtype=np.float32).reshape(dim)


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
    """The call-out's grouped questions as an index, rebuilt when its groups changed."""
    key = (callout.pk, model.name)
    cached = _group_indexes.get(key)
    if cached is not None and cached.version == callout.groups_version:
        return cached.index
    rows = (
        QuestionVector.objects.filter(question__callout=callout, embedder=model.name, question__group__isnull=False)
        .order_by("question_id")
        .values_list("question_id", "vector", "question__group_id")
    )
    index = GroupIndex.from_rows(
        ((qid, from_bytes(raw, model.dim), group) for qid, raw, group in rows.iterator(chunk_size=2000)),
        dim=model.dim,
    )
    _group_indexes[key] = _CalloutIndex(callout.groups_version, index)
    return index


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
    with _lock:
        if question.group_id is None:
            _assign_group(question, vector, model)
        if not QuestionEvidence.objects.filter(question=question, embedder=model.name).exists():
            _record_evidence(question, vector, model)
    _maybe_regroup(question.callout_id)


def _assign_group(question: Question, vector: Vectors, model: Embedder) -> None:
    callout = question.callout
    index = _group_index(callout, model)
    nearest = index.nearest(vector, 1)
    with transaction.atomic():
        # Checked again inside the transaction: a run in another process may have placed it.
        if Question.objects.select_for_update().filter(pk=question.pk, group__isnull=False).exists():
            return
        if nearest and nearest[0].similarity >= index.threshold:
            group = QuestionGroup.objects.select_for_update().get(pk=nearest[0].group_id)
            QuestionGroup.objects.filter(pk=group.pk).update(size=F("size") + 1)
        else:
            group = QuestionGroup.objects.create(
                callout=callout, label=_label(question.text), representative=question, size=1
            )
        Question.objects.filter(pk=question.pk).update(group=group)
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
            "confidence": round(found.confidence, 4),
            "sentences": [[keys[s.index], round(s.score, 4)] for s in found.sentences],
            "embedder": model.name,
            "computed_at": timezone.now(),
        },
    )


def _label(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:79].rsplit(" ", 1)[0] + "…"


def _maybe_regroup(callout_id: int) -> None:
    """Regroup a call-out as a whole once enough questions arrived since the last time."""
    callout = Callout.objects.get(pk=callout_id)
    total = Question.objects.filter(callout_id=callout_id).count()
    new = total - callout.questions_at_last_regroup
    if new >= max(settings.ASKDESK_REGROUP_EVERY, int(settings.ASKDESK_REGROUP_SHARE * total)):
        from askdesk.analysis.tasks import regroup_callout

        regroup_callout.enqueue(callout_id=callout_id)


# --- a whole call-out ------------------------------------------------------------------------


def callout_regroup(*, callout_id: int) -> int:
    """Cluster the call-out's questions again (editors' hand placements stay); returns the number of groups."""
    model = embedder()
    callout = Callout.objects.get(pk=callout_id)
    total = Question.objects.filter(callout=callout).count()
    rows = list(
        QuestionVector.objects.filter(question__callout=callout, question__group_locked=False, embedder=model.name)
        .order_by("question_id")
        .values_list("question_id", "question__text", "vector", "question__group_id")
    )
    if rows:
        ids = [r[0] for r in rows]
        texts = [r[1] for r in rows]
        vectors = np.stack([from_bytes(r[2], model.dim) for r in rows])
        # Clusters take the id of the stored group most of their members were in, so groups
        # editors already know keep their id; ids above every stored one are new groups.
        previous = [r[3] if r[3] is not None else -1 for r in rows]
        labels = carry_over(previous, regroup(vectors, texts))
        summaries = describe_groups(texts, vectors, labels)
        with transaction.atomic():
            _write_groups(callout, ids, set(previous), summaries)
    with transaction.atomic():
        Callout.objects.filter(pk=callout.pk).update(
            groups_version=F("groups_version") + 1, questions_at_last_regroup=total
        )
        _refresh_sizes(callout)
        group_sizes_changed.send(sender=QuestionGroup, callout_id=callout.pk)
    return QuestionGroup.objects.filter(callout=callout).count()


def _write_groups(callout: Callout, ids: list[int], stored: set[int], summaries: list[GroupSummary]) -> None:
    """Store the clusters: update the groups that carried over, create the new ones."""
    for summary in summaries:
        representative = ids[summary.representative_index]
        label = summary.label[:LABEL_LENGTH]
        if summary.group in stored:
            group_id = summary.group
            QuestionGroup.objects.filter(pk=group_id).update(label=label, representative_id=representative)
        else:
            group_id = QuestionGroup.objects.create(callout=callout, label=label, representative_id=representative).pk
        Question.objects.filter(pk__in=[ids[i] for i in summary.member_indices]).update(group_id=group_id)


def _refresh_sizes(callout: Callout) -> None:
    sizes = dict(
        Question.objects.filter(callout=callout, group__isnull=False)
        .values_list("group_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for group in QuestionGroup.objects.filter(callout=callout):
        size = sizes.get(group.pk, 0)
        if size == 0:
            group.delete()
        elif size != group.size:
            QuestionGroup.objects.filter(pk=group.pk).update(size=size)
