"""The language a question is written in, shown in the desk when it is not the call-out's."""

import re

from django.urls import reverse

from askdesk.newsrooms.models import Newsroom
from askdesk.questions.models import Question, QuestionGroup
from askdesk.questions.selectors import language_apart
from tests.conftest import submit


def written_in(question: Question, code: str) -> Question:
    Question.objects.filter(pk=question.pk).update(text_language=code)
    question.refresh_from_db()
    return question


def triage(client, callout, **params) -> str:
    return client.get(reverse("questions:triage", args=[callout.pk]), params).content.decode()


def row_of(page: str, question: Question) -> str:
    match = re.search(rf'<li class="question-row" data-question="{question.pk}".*?</li>', page, re.S)
    assert match is not None
    return match.group(0)


def test_the_triage_list_marks_a_question_in_another_language_with_its_name(editor_client, callout):
    french = written_in(submit(callout, "Est-ce que l'Iran va riposter ?")[0], "fr")
    english = written_in(submit(callout, "Will Iran retaliate?")[0], "en")
    page = triage(editor_client, callout, status="all")
    french_row, english_row = row_of(page, french), row_of(page, english)
    assert '<span class="badge badge-language" title="Written in French">French</span>' in french_row
    assert 'lang="fr">Est-ce que l&#x27;Iran va riposter ?</a>' in french_row
    assert "badge-language" not in english_row and 'lang="' not in english_row


def test_a_question_not_yet_analysed_has_no_language_badge(editor_client, callout):
    waiting, _ = submit(callout, "¿Irán va a responder?")
    assert waiting.text_language == ""
    assert "badge-language" not in row_of(triage(editor_client, callout, status="all"), waiting)


def test_triage_filters_by_the_language_questions_are_written_in(editor_client, callout):
    written_in(submit(callout, "Est-ce que l'Iran va riposter ?")[0], "fr")
    written_in(submit(callout, "¿Irán va a responder?")[0], "es")
    written_in(submit(callout, "Will Iran retaliate?")[0], "en")
    page = triage(editor_client, callout, language="es")
    assert "¿Irán va a responder?" in page
    assert "riposter" not in page and "Will Iran retaliate?" not in page
    assert '<option value="es" selected>Spanish</option>' in page
    # The state tabs keep the filter, and so does the link to each question.
    assert "&amp;language=es" in page
    assert "?status=all&amp;language=es" in page


def test_an_unknown_language_in_the_address_filters_nothing(editor_client, callout):
    submit(callout, "Will Iran retaliate?")
    page = triage(editor_client, callout, language="xx", status="all")
    assert "Will Iran retaliate?" in page and '<option value="" selected' not in page


def test_the_groups_view_marks_a_group_whose_question_is_in_another_language(editor_client, callout):
    german = written_in(submit(callout, "Wird der Iran zurückschlagen?")[0], "de")
    group = QuestionGroup.objects.create(callout=callout, representative=german, size=1)
    Question.objects.filter(pk=german.pk).update(group=group)
    page = triage(editor_client, callout, view="groups")
    assert 'lang="de">Wird der Iran zurückschlagen?</a>' in page
    assert ">German</span>" in page


def test_the_question_page_names_the_language_and_marks_the_text(editor_client, callout):
    french = written_in(submit(callout, "Est-ce que l'Iran va riposter ?")[0], "fr")
    page = editor_client.get(reverse("questions:detail", args=[french.pk])).content.decode()
    assert '<h1 class="question-title" lang="fr">' in page
    assert ">French</span>" in page
    english = written_in(submit(callout, "Will Iran retaliate?")[0], "en")
    page = editor_client.get(reverse("questions:detail", args=[english.pk])).content.decode()
    assert '<h1 class="question-title">' in page and "badge-language" not in page


def test_a_french_newsroom_marks_english_questions_instead(editor_client, callout):
    Newsroom.objects.filter(pk=callout.story.newsroom_id).update(language="fr")
    english = written_in(submit(callout, "Will Iran retaliate?")[0], "en")
    french = written_in(submit(callout, "Est-ce que l'Iran va riposter ?")[0], "fr")
    page = triage(editor_client, callout, status="all")
    assert ">English</span>" in row_of(page, english)
    assert "badge-language" not in row_of(page, french)


def test_no_question_is_marked_where_the_call_out_language_cannot_be_told_apart():
    # Persian questions read as the default to the worker: marking them "English" would be wrong.
    assert language_apart(text_language="en", callout_language="fa") == ""
    assert language_apart(text_language="fr", callout_language="en") == "fr"
    assert language_apart(text_language="", callout_language="en") == ""


def test_from_a_list_filtered_by_language_the_question_page_steps_through_that_language_only(editor_client, callout):
    older = written_in(submit(callout, "Est-ce que l'Iran va riposter ?")[0], "fr")
    written_in(submit(callout, "Will Iran retaliate?")[0], "en")
    newer = written_in(submit(callout, "Y a-t-il eu des morts ?")[0], "fr")
    url = reverse("questions:detail", args=[newer.pk])
    page = editor_client.get(url, {"status": "all", "language": "fr"}).content.decode()
    next_link = reverse("questions:detail", args=[older.pk]) + "?status=all&amp;language=fr"
    assert f'href="{next_link}" rel="next"' in page
