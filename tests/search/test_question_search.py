"""Full-text question search, run against whichever database DATABASE_URL selects (SQLite or PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection

from askdesk.questions.models import Question
from askdesk.questions.services import question_delete_by_reader, question_edit_wording
from askdesk.search import schema
from askdesk.search.selectors import MAX_TERMS, search_questions, search_terms
from tests.conftest import submit

pytestmark = pytest.mark.django_db


def found(callout, text: str) -> set[str]:
    return {q.display_text for q in search_questions(Question.objects.filter(callout=callout), text)}


def test_search_finds_questions_that_have_every_word_in_any_order(callout):
    submit(callout, "Will Iran retaliate against Israel?")
    submit(callout, "Why did Israel strike Isfahan?")
    submit(callout, "What is the IAEA?")
    assert found(callout, "israel iran") == {"Will Iran retaliate against Israel?"}
    assert found(callout, "ISRAEL") == {"Will Iran retaliate against Israel?", "Why did Israel strike Isfahan?"}


def test_search_matches_word_beginnings_and_other_forms_of_a_word(callout):
    submit(callout, "Will Iran retaliate?")
    submit(callout, "How many strikes were there?")
    submit(callout, "Is the nuclear site damaged?")
    assert found(callout, "retal") == {"Will Iran retaliate?"}
    assert found(callout, "strike") == {"How many strikes were there?"}
    assert found(callout, "damage") == {"Is the nuclear site damaged?"}


def test_punctuation_and_query_syntax_typed_by_an_editor_are_only_words(callout):
    submit(callout, "Will Iran retaliate?")
    submit(callout, "What is the IAEA?")
    for typed in ['"iran', "iran*", "iran:* |", "^iran~", "iran' &", "(iran", "-iran", "!iran"]:
        assert found(callout, typed) == {"Will Iran retaliate?"}, typed
    assert found(callout, "iran OR iaea") == set(), "OR is a word, not an operator"


def test_a_search_without_letters_or_digits_finds_nothing_and_a_blank_one_everything(callout):
    submit(callout, "Will Iran retaliate?")
    assert found(callout, "?! --") == set()
    assert found(callout, "   ") == {"Will Iran retaliate?"}


def test_search_terms_are_lower_cased_words_without_repeats_and_bounded():
    assert search_terms("Iran's IAEA, iran_iaea 2024!") == ["iran", "s", "iaea", "2024"]
    assert len(search_terms(" ".join(f"w{n}" for n in range(100)))) == MAX_TERMS


def test_search_stays_within_the_queryset_it_is_given(callout, newsroom):
    from askdesk.callouts.models import Callout

    mine, _ = submit(callout, "Will Iran retaliate?")
    other = Callout.objects.create(story=callout.story, prompt="Another call-out", slug="another")
    submit(other, "Will Iran retaliate soon?")
    assert list(search_questions(Question.objects.filter(callout=callout), "iran")) == [mine]


def test_an_edited_wording_is_found_and_a_replaced_one_is_forgotten(callout, editor):
    question, _ = submit(callout, "Will Iran retaliate? Call me on 07700 900123")
    question_edit_wording(question=question, public_text="Will Tehran answer the strike?", actor=editor)
    assert found(callout, "tehran") == {"Will Tehran answer the strike?"}
    # The reader's own words stay searchable for the desk.
    assert found(callout, "07700") == {"Will Tehran answer the strike?"}
    question.refresh_from_db()
    question_edit_wording(question=question, public_text="Will Iran respond?", actor=editor)
    assert found(callout, "tehran") == set()
    assert found(callout, "respond") == {"Will Iran respond?"}


def test_a_bulk_update_of_the_wording_is_seen_by_search(callout):
    question, _ = submit(callout, "Will Iran retaliate?")
    Question.objects.filter(pk=question.pk).update(public_text="Is a ceasefire likely?")
    assert found(callout, "ceasefire") == {"Is a ceasefire likely?"}


def test_deleted_questions_are_no_longer_found(callout):
    question, _ = submit(callout, "Will Iran retaliate?")
    submit(callout, "Will Iran hit back?")
    question_delete_by_reader(question=question)
    assert found(callout, "iran") == {"Will Iran hit back?"}
    Question.objects.all().delete()
    assert found(callout, "iran") == set()


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_index_matches_the_question_table_after_inserts_edits_and_deletes(callout, editor):
    questions = [submit(callout, f"Question {n} about Iran?")[0] for n in range(5)]
    question_edit_wording(question=questions[0], public_text="Edited wording", actor=editor)
    question_delete_by_reader(question=questions[1])
    with connection.cursor() as cursor:
        # FTS5 compares its index with the content table and raises if they differ.
        cursor.execute("INSERT INTO search_question_fts(search_question_fts) VALUES ('integrity-check')")


@pytest.mark.skipif("connection.vendor != 'sqlite'")
def test_sqlite_triggers_come_back_after_a_migration_rebuilds_the_question_table(callout):
    submit(callout, "Will Iran retaliate?")
    with connection.cursor() as cursor:
        # What Django's SQLite schema editor does to alter a table: the copy has no triggers.
        for name in ("search_question_ai", "search_question_ad", "search_question_au"):
            cursor.execute(f"DROP TRIGGER {name}")
    submit(callout, "What is the IAEA?")
    assert found(callout, "iaea") == set()
    schema.reinstall_after_migrate(using="default")
    assert found(callout, "iaea") == {"What is the IAEA?"}
    submit(callout, "Is the IAEA inspecting?")
    assert found(callout, "iaea") == {"What is the IAEA?", "Is the IAEA inspecting?"}


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_answers_a_search_from_the_gin_index(callout):
    submit(callout, "Will Iran retaliate?")
    queryset = search_questions(Question.objects.order_by(), "iran")
    with connection.cursor() as cursor:
        # On a few rows the planner prefers a scan; forbid it to see whether the index can serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
    assert schema.PG_INDEX in plan


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_answers_a_search_among_the_newest_from_the_index_in_triage_order(callout):
    submit(callout, "Will Iran retaliate?")
    newest = search_questions(Question.objects.filter(callout=callout), "iran", scan=True)
    queryset = newest.order_by("-submitted_at", "-id").values_list("pk", flat=True)
    with connection.cursor() as cursor:
        # On one row the planner may as well sort: forbid a scan and a sort to see whether an index
        # in the list's order can serve (a plan keeps a forbidden node when nothing else can).
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        plan = queryset.explain()
    # Read in the list's order from a B-tree index (the planner may take the stored vectors' index or
    # the triage order's on so few rows), with no sort: not every match collected from the GIN index.
    assert "Scan using" in plan and "Sort" not in plan and schema.PG_INDEX not in plan
    assert list(queryset) == list(
        search_questions(Question.objects.filter(callout=callout), "iran").values_list("pk", flat=True)
    )
