"""A deleted question leaves no trace of the reader's words, and its group is left as unpublishing leaves it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from askdesk.analysis import services as analysis
from askdesk.analysis.services import question_analyse
from askdesk.answers.services import answer_publish, answer_save, question_unpublish
from askdesk.privacy.services import reader_data_export
from askdesk.questions.models import Question, QuestionGroup
from askdesk.questions.services import question_assign, question_delete_by_reader, question_move, questions_erase
from askdesk.webhooks.services import webhook_endpoint_create
from tests.conftest import form_data, login, submit
from tests.ops.test_background_tasks import DB_TASKS, run_worker_once
from tests.security.traces import cache_text, database_text, table_texts

# Words no story or other question has: if any is found after deletion, it came from the reader.
CANARY = "zqxjvparsnip"
CANARY_TEXT = f"Will the {CANARY} sanctions hit Isfahan flights?"


@pytest.fixture(autouse=True)
def _fresh_worker_memory():
    analysis.clear_caches()
    yield
    analysis.clear_caches()


@pytest.fixture
def contact_editor(editor):
    editor.user_permissions.add(Permission.objects.get(codename="reveal_readercontact"))
    return editor


def token_of(response) -> str:
    assert response.status_code == 302
    return response["Location"].split("/q/")[1].split("/")[0]


# The worker takes an exclusive transaction of its own (SQLite): it needs committed rows.
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_after_deletion_no_table_and_no_cache_holds_the_readers_words(callout, editor, expert, contact_editor):
    reader = Client()
    token = token_of(
        reader.post(
            f"/ask/{callout.slug}/",
            form_data(
                callout, question=CANARY_TEXT, name=f"{CANARY}name", location=f"{CANARY}ville", email="z@example.com"
            ),
        )
    )
    other = Client()
    other_token = token_of(
        other.post(f"/ask/{callout.slug}/", form_data(callout, question="Will flights to Isfahan stop?"))
    )
    run_worker_once()  # analysis: vectors, evidence, groups labelled from the first question
    canary_question = Question.objects.get(text=CANARY_TEXT)
    other_question = Question.objects.exclude(pk=canary_question.pk).get()
    canary_group = canary_question.group
    assert canary_group is not None and CANARY in canary_group.label.lower()
    question_move(question=other_question, target=canary_group, actor=editor)
    # Published, so that public pages (and any cache of them) and a webhook delivery carry the words too.
    webhook_endpoint_create(
        newsroom=callout.story.newsroom,
        url="https://hooks.example.org/askdesk",
        events=["answer.published"],
        actor=None,
    )
    question_assign(question=canary_question, expert=expert, actor=editor)
    answer_save(question=canary_question, expert=expert, body="Flights continue, airlines say.", submit=True)
    answer_publish(question=canary_question, actor=editor)
    staff = login(Client(), editor)
    pages = [
        reader.get(f"/q/{token}/"),
        other.get(f"/q/{other_token}/"),
        Client().get(reverse("answers:public", args=[callout.slug])),
        Client().get(f"/stories/{callout.story.slug}/"),
        staff.get(reverse("questions:triage", args=[callout.pk])),
        staff.get(reverse("questions:triage", args=[callout.pk]) + "?view=groups"),
        staff.get(reverse("questions:triage", args=[callout.pk]) + f"?q={CANARY}"),
        staff.get(reverse("questions:detail", args=[other_question.pk])),
    ]
    assert all(page.status_code == 200 for page in pages)
    assert CANARY in pages[2].content.decode().lower()
    # The search finds it, and a dump shows it in the table, the label and the search index.
    assert CANARY_TEXT in pages[6].content.decode()
    holding = {table for table, text in table_texts().items() if CANARY in text}
    assert {"questions_question", "questions_questiongroup", "webhooks_webhookdelivery"} <= holding
    if connection.vendor == "sqlite":
        assert "search_question_fts_data" in holding
    assert DBTaskResult.objects.exists()

    assert reader.post(f"/q/{token}/delete/").status_code == 200

    assert CANARY not in database_text()
    assert CANARY not in cache_text()
    assert reader_data_export(email="z@example.com", actor=contact_editor)["questions"] == []
    for page in (
        Client().get(reverse("answers:public", args=[callout.slug])),
        staff.get(reverse("questions:triage", args=[callout.pk]) + "?view=groups"),
        staff.get(reverse("questions:detail", args=[other_question.pk])),
        other.get(f"/q/{other_token}/"),
    ):
        assert CANARY not in page.content.decode().lower()
    # The group lives on under a label taken from the question that remains.
    canary_group.refresh_from_db()
    assert canary_group.label == "Will flights to Isfahan stop?" and canary_group.size == 1


def test_task_rows_carry_question_ids_only(callout, settings):
    settings.TASKS = DB_TASKS
    question, _ = submit(callout, CANARY_TEXT, name=CANARY)
    task = DBTaskResult.objects.get()
    assert task.args_kwargs == {"args": [], "kwargs": {"question_id": question.pk}}
    assert CANARY not in str(task.args_kwargs)


def test_a_group_label_made_from_a_deleted_question_is_made_again_from_the_others(callout, editor):
    first, _ = submit(callout, CANARY_TEXT)
    second, _ = submit(callout, "Will flights to Isfahan stop?")
    question_analyse(question_id=first.pk)
    first.refresh_from_db()
    group = first.group
    question_move(question=second, target=group, actor=editor)
    # Another group once labelled with the reader's words (the question moved on since).
    stray = QuestionGroup.objects.create(callout=callout, label=f"iran, {CANARY}", size=0)
    third, _ = submit(callout, "What does Iran say?")
    question_move(question=third, target=stray, actor=editor)
    QuestionGroup.objects.filter(pk=stray.pk).update(label=f"iran, {CANARY}")

    question_delete_by_reader(question=first)

    group.refresh_from_db()
    stray.refresh_from_db()
    assert group.label == "Will flights to Isfahan stop?" and group.representative_id == second.pk
    assert stray.label == "What does Iran say?"


def test_a_label_copied_from_a_deleted_question_goes_even_when_its_words_are_common(callout, editor):
    deleted, _ = submit(callout, "Will Iran retaliate against Israel this week?")
    kept, _ = submit(callout, "Iran: will it retaliate against Israel this week or later?")
    question_move(question=kept, target=None, actor=editor)
    # The label a worker made from the deleted question before it moved to a group of its own.
    QuestionGroup.objects.filter(pk=kept.group_id).update(label="Will Iran retaliate against Israel this…")
    unrelated = QuestionGroup.objects.create(callout=callout, label="iran, israel, week", size=0)

    question_delete_by_reader(question=deleted)

    assert QuestionGroup.objects.get(pk=kept.group_id).label == kept.text
    assert QuestionGroup.objects.get(pk=unrelated.pk).label == "iran, israel, week"


def test_deleting_the_last_question_of_a_group_deletes_the_group(callout, editor):
    question, _ = submit(callout, CANARY_TEXT)
    question_analyse(question_id=question.pk)
    assert QuestionGroup.objects.count() == 1
    questions_erase(questions=Question.objects.all())
    assert not QuestionGroup.objects.exists()


def publish_group(callout, editor, expert):
    """Three readers asked the same thing; the first is answered and published for all."""
    published, token = submit(callout, "Will Iran retaliate?")
    question_analyse(question_id=published.pk)
    published.refresh_from_db()
    covered = []
    for text in ("Will Iran hit back?", "Is Iran going to retaliate?"):
        question, _ = submit(callout, text)
        question_move(question=question, target=published.group, actor=editor)
        covered.append(question)
    question_assign(question=published, expert=expert, actor=editor)
    answer_save(question=published, expert=expert, body="Officials say no.", submit=True)
    answer_publish(question=published, actor=editor, cover=[q.pk for q in covered])
    assert {q.status for q in Question.objects.filter(pk__in=[q.pk for q in covered])} == {"covered"}
    return published, token, covered


def test_deleting_a_published_question_returns_the_questions_it_covered_to_triage(client, callout, editor, expert):
    _, token, covered = publish_group(callout, editor, expert)
    client.post(f"/q/{token}/delete/")
    rows = list(Question.objects.filter(pk__in=[q.pk for q in covered]).values_list("status", "covered_by"))
    # Back where they were before the answer covered them (new: never triaged).
    assert rows == [("new", None), ("new", None)]
    # Editors can act on them again: one is assigned, answered and published for the group.
    again = Question.objects.get(pk=covered[0].pk)
    question_assign(question=again, expert=expert, actor=editor)
    answer_save(question=again, expert=expert, body="Officials still say no.", submit=True)
    answer_publish(question=again, actor=editor, cover=[covered[1].pk])
    assert Question.objects.get(pk=covered[1].pk).status == "covered"


def group_states(questions):
    return Question.objects.filter(pk__in=[q.pk for q in questions]).values_list("status", "covered_by")


def test_deletion_and_unpublishing_leave_the_rest_of_the_group_alike(callout, editor, expert):
    published, _, covered = publish_group(callout, editor, expert)
    question_unpublish(question=published, actor=editor)
    after_unpublish = sorted(group_states(covered))
    for question in Question.objects.all():
        question.delete()
    published, _, covered = publish_group(callout, editor, expert)
    question_delete_by_reader(question=published)
    after_delete = sorted(group_states(covered))
    assert after_unpublish == after_delete == [("new", None), ("new", None)]
