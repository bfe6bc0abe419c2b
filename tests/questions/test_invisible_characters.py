"""Invisible characters count for nothing: not as a question, not towards its length."""

from __future__ import annotations

import pytest

from askdesk.nlp.invisible import strip_invisible, visible_strip
from askdesk.questions.models import Question
from askdesk.questions.services import QuestionRefused, question_edit_wording
from tests.conftest import form_data, submit

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202e\u00ad\u3164\u2800"


@pytest.mark.parametrize("text", [INVISIBLE, INVISIBLE * 50, f" {INVISIBLE} \u200b\u200b ", "\u200b?\u200b"])
def test_a_question_made_of_invisible_characters_is_refused_as_empty_or_too_short(client, callout, text):
    response = client.post(f"/ask/{callout.slug}/", form_data(callout, question=text))
    assert response.status_code == 400
    assert not Question.objects.exists()


def test_invisible_characters_do_not_count_towards_the_length_limit(client, callout, settings):
    settings.ASKDESK_QUESTION_MAX_LENGTH = 40
    text = "\u200b".join("Will Iran retaliate?")  # 20 visible characters, 19 invisible
    response = client.post(f"/ask/{callout.slug}/", form_data(callout, question=text, name="\u200bSara\u200b"))
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.text == "Will Iran retaliate?" and question.name == "Sara"


def test_the_service_also_drops_invisible_characters(callout, editor):
    with pytest.raises(QuestionRefused, match="empty"):
        submit(callout, INVISIBLE)
    question, _ = submit(callout, "Is Isfahan safe?")
    with pytest.raises(QuestionRefused, match="empty"):
        question_edit_wording(question=question, public_text=INVISIBLE, actor=editor)


def test_joiners_are_kept_inside_words_where_persian_and_emoji_need_them():
    persian = "می\u200cخواهم"  # "I want", with a zero-width non-joiner inside the word
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert strip_invisible(persian) == persian
    assert strip_invisible(family) == family
    assert visible_strip(f"\u200c{persian}\u200d ") == persian
    assert strip_invisible(" \u200d \u200c") == "  "
