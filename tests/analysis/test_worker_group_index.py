"""The worker's group index on a large call-out: faiss lists, the same grouping."""

import pytest

from askdesk.analysis import services as analysis
from askdesk.nlp import group
from askdesk.nlp.ann import IVFCandidates
from askdesk.questions.models import Question, QuestionGroup
from askdesk.questions.services import group_merge, question_delete_by_reader
from tests.conftest import submit


@pytest.fixture(autouse=True)
def fresh_worker_caches():
    analysis.clear_caches()
    yield
    analysis.clear_caches()


@pytest.fixture
def asked(callout, django_capture_on_commit_callbacks):
    def _ask(text):
        with django_capture_on_commit_callbacks(execute=True):
            question, _ = submit(callout, text)
        question.refresh_from_db()
        return question

    return _ask


def test_a_call_out_past_the_exact_scan_groups_new_questions_through_faiss(asked, callout, monkeypatch):
    # The threshold lowered so that a handful of questions stands for a large call-out.
    monkeypatch.setattr(group, "APPROXIMATE_FROM", 3)
    first = asked("Will Iran retaliate against Israel for the strike?")
    other = asked("What does the IAEA inspect at nuclear sites?")
    third = asked("Were there any casualties in Isfahan?")
    same = asked("Will Iran retaliate against Israel?")
    (cached,) = analysis._group_indexes.values()
    assert isinstance(cached.index._lists, IVFCandidates)
    assert len(cached.index._lists) == len(cached.index) == 4
    assert same.group_id == first.group_id
    assert len({first.group_id, other.group_id, third.group_id}) == 3


def test_after_an_editor_merges_groups_the_worker_updates_its_index_instead_of_rebuilding_it(asked, callout, editor):
    first = asked("Will Iran retaliate against Israel for the strike?")
    other = asked("What does the IAEA inspect at nuclear sites?")
    gone = asked("Were there any casualties in Isfahan?")
    (cached,) = analysis._group_indexes.values()
    index = cached.index
    group_merge(target=first.group, others=[QuestionGroup.objects.get(pk=other.group_id)], actor=editor)
    question_delete_by_reader(question=gone)
    later = asked("Did the strike hit Isfahan airport?")
    (cached,) = analysis._group_indexes.values()
    assert cached.index is index  # brought up to date, not built again
    callout.refresh_from_db()
    assert cached.version == callout.groups_version
    assert index.group_of(other.pk) == first.group_id
    assert gone.pk not in index and later.pk in index
    assert sorted(index.question_ids()) == sorted(
        Question.objects.filter(callout=callout, group__isnull=False).values_list("pk", flat=True)
    )
