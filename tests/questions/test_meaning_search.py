"""Search by meaning in triage: the stored question vectors, the editor's words embedded, one call-out."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
from django.urls import reverse

from askdesk.analysis import meaning
from askdesk.analysis.models import QuestionVector
from askdesk.callouts.models import Callout
from askdesk.callouts.services import story_import
from askdesk.questions.models import Question
from tests.conftest import DEMO_STORY, make_newsroom, submit

WORDS = "Iran nuclear weapons programme"


@pytest.fixture(autouse=True)
def _fresh_vectors() -> Any:
    meaning.clear_caches()
    yield
    meaning.clear_caches()


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """Submit like a reader; the worker embeds the question when the transaction commits."""

    def _ask(callout: Callout, text: str) -> Question:
        with django_capture_on_commit_callbacks(execute=True):
            question, _ = submit(callout, text)
        return question

    return _ask


def search(client, callout, text: str, **params: str) -> str:
    query = {"q": text, **params}
    return client.get(reverse("questions:triage", args=[callout.pk]), query).content.decode()


def shown(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<li class="question-row" data-question="(\d+)"', html)]


def test_a_search_by_meaning_finds_a_question_the_keyword_search_misses(ask, editor_client, callout):
    programme = ask(callout, "Is the nuclear programme of Iran over?")
    ask(callout, "Is it safe to travel to Dubai?")
    assert QuestionVector.objects.filter(question=programme).exists()  # stored by the worker

    by_words = search(editor_client, callout, WORDS)
    assert shown(by_words) == []
    assert "No question matches" in by_words and "meaning=1" in by_words  # offered, one click away

    # A keyword search that finds something offers the search by meaning too.
    assert "meaning=1" in search(editor_client, callout, "nuclear programme")
    by_meaning = search(editor_client, callout, WORDS, meaning="1")
    assert shown(by_meaning) == [programme.pk]
    assert "close in meaning to" in by_meaning
    assert re.search(r'<input type="checkbox" id="meaning" name="meaning" value="1" checked>', by_meaning)


def test_questions_found_by_meaning_come_closest_first_and_keep_the_tab(ask, editor_client, editor, callout):
    programme = ask(callout, "Is the nuclear programme of Iran over?")
    closest = ask(callout, "Does Iran have nuclear weapons programme plans")
    rejected = ask(callout, "Could Iran rebuild its nuclear programme?")
    editor_client.post(reverse("questions:act", args=[rejected.pk]), {"action": "reject"})

    assert shown(search(editor_client, callout, WORDS, meaning="1")) == [closest.pk, programme.pk, rejected.pk]
    assert shown(search(editor_client, callout, WORDS, meaning="1", status="new")) == [closest.pk, programme.pk]
    html = search(editor_client, callout, WORDS, meaning="1", status="new")
    # The state tabs stay searches by meaning.
    assert "status=rejected&amp;q=Iran%20nuclear%20weapons%20programme&amp;meaning=1" in html.replace("+", "%20")


def test_a_search_by_meaning_keeps_the_language_filter(ask, editor_client, callout):
    english = ask(callout, "Is the nuclear programme of Iran over?")
    other = ask(callout, "Could Iran rebuild its nuclear programme?")
    Question.objects.filter(pk=english.pk).update(text_language="en")
    Question.objects.filter(pk=other.pk).update(text_language="fr")

    assert shown(search(editor_client, callout, WORDS, meaning="1", language="fr")) == [other.pk]


def test_nothing_from_another_call_out_or_another_newsroom_is_found(ask, editor_client, callout):
    ours = ask(callout, "Is the nuclear programme of Iran over?")
    sibling = Callout.objects.create(story=callout.story, slug="second-call-out", prompt="And what else?")
    same_newsroom = ask(sibling, "Is the nuclear programme of Iran over?")
    elsewhere_room = make_newsroom("The Other Paper", "other")
    _, elsewhere = story_import(newsroom=elsewhere_room, raw=DEMO_STORY.read_text())
    assert elsewhere is not None
    other_newsroom = ask(elsewhere, "Is the nuclear programme of Iran over?")
    assert QuestionVector.objects.filter(question__in=[same_newsroom, other_newsroom]).count() == 2

    assert shown(search(editor_client, callout, WORDS, meaning="1")) == [ours.pk]
    # The other newsroom's call-out is not this editor's to search at all.
    response = editor_client.get(reverse("questions:triage", args=[elsewhere.pk]), {"q": WORDS, "meaning": "1"})
    assert response.status_code == 404


def test_questions_stored_after_a_search_are_found_by_the_next_one(ask, editor_client, callout):
    first = ask(callout, "Is the nuclear programme of Iran over?")
    assert shown(search(editor_client, callout, WORDS, meaning="1")) == [first.pk]
    later = ask(callout, "Could Iran rebuild its nuclear programme?")
    assert shown(search(editor_client, callout, WORDS, meaning="1")) == [first.pk, later.pk]
    Question.objects.filter(pk=first.pk).delete()
    assert shown(search(editor_client, callout, WORDS, meaning="1")) == [later.pk]


def test_a_question_opened_from_a_search_by_meaning_steps_to_its_neighbours_in_rank(ask, editor_client, callout):
    programme = ask(callout, "Is the nuclear programme of Iran over?")
    closest = ask(callout, "Does Iran have nuclear weapons programme plans")
    ask(callout, "Is it safe to travel to Dubai?")
    query = {"q": WORDS, "meaning": "1", "status": "all"}

    html = editor_client.get(reverse("questions:detail", args=[closest.pk]), query).content.decode()

    step = re.search(r'href="/desk/questions/(\d+)/\?([^"]*)" rel="next"', html)
    assert step is not None and int(step.group(1)) == programme.pk and "meaning=1" in step.group(2)
    assert 'rel="prev"' not in html  # the closest is first
    assert re.search(r'href="/desk/callouts/\d+/\?[^"]*meaning=1[^"]*#q-', html)  # back to the same search
    last = editor_client.get(reverse("questions:detail", args=[programme.pk]), query).content.decode()
    assert "No more questions in this list" in last


def test_without_a_model_in_the_web_process_the_search_says_so_and_uses_the_words(
    ask, editor_client, callout, monkeypatch
):
    monkeypatch.setattr(meaning, "web_embedder", lambda: None)
    found = ask(callout, "Is the Iran nuclear weapons programme over?")

    html = search(editor_client, callout, WORDS, meaning="1")

    assert "Search by meaning is not available" in html
    assert shown(html) == [found.pk]


@pytest.mark.model
def test_nukes_finds_the_nuclear_questions_with_the_real_model(editor_client, callout, settings):
    settings.ASKDESK_EMBEDDER = "minilm"
    model = meaning.web_embedder()
    if model is None:
        pytest.skip("no ONNX export of the model: run python -m askdesk.nlp.embed")
    texts = [
        "Is Iran building nuclear weapons?",
        "Does Israel have atomic bombs?",
        "Is it safe to fly to Dubai this week?",
        "How will oil prices change?",
    ]
    questions = [submit(callout, text)[0] for text in texts]
    for question, vector in zip(questions, model.embed(texts), strict=True):
        QuestionVector.objects.update_or_create(
            question=question, defaults={"embedder": model.name, "vector": np.asarray(vector).tobytes()}
        )

    assert shown(search(editor_client, callout, "nukes")) == []
    found = shown(search(editor_client, callout, "nukes", meaning="1"))
    assert set(found) == {questions[0].pk, questions[1].pk}
