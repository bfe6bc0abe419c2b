"""The worker's group index on a large call-out: faiss lists, the same grouping."""

import pytest

from askdesk.analysis import services as analysis
from askdesk.nlp import group
from askdesk.nlp.ann import IVFCandidates
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
