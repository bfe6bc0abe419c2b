"""Readers' pages in English, Persian (right to left), Arabic and French."""

from __future__ import annotations

import ast
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.urls import reverse
from django.utils import timezone
from django.utils.translation.template import templatize

from askdesk.newsrooms.models import Newsroom
from askdesk.newsrooms.services import newsroom_public_changed
from askdesk.questions.formtoken import form_token
from askdesk.questions.models import Question, QuestionGroup
from askdesk.questions.services import question_transition
from askdesk.readers.voting import OptionChoice, round_create
from tests.conftest import form_data, submit
from tests.public.helpers import published

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = REPO / "askdesk" / "templates"
# Every template a reader without an account sees: story, form and its errors, embeds, thank-you
# and status, delete pages, answers, joined page, unsubscribe, voting rounds, errors, emails.
READER_TEMPLATES = [
    "404.html",
    "500.html",
    "public/base.html",
    "public/embed_base.html",
    "public/_alternates.html",
    "public/_form.html",
    "public/_answers.html",
    "public/_qa.html",
    "public/embed_form.html",
    "public/embed_answers.html",
    "questions/story.html",
    "questions/status.html",
    "questions/_reader_status.html",
    "questions/refused.html",
    "questions/delete_confirm.html",
    "questions/deleted.html",
    "answers/public.html",
    "readers/_also_ask_form.html",
    "readers/_how_we_tell_you.html",
    "readers/_joinable.html",
    "readers/_private_link.html",
    "readers/_results.html",
    "readers/_rounds.html",
    "readers/_vote_form.html",
    "readers/_voted.html",
    "readers/also_ask.html",
    "readers/joined.html",
    "readers/joined_again.html",
    "readers/joined_delete.html",
    "readers/refused.html",
    "readers/round.html",
    "readers/unsubscribe.html",
    "readers/unsubscribed.html",
    "readers/email/_base.html",
    "readers/email/_footer.txt",
    "readers/email/answered.html",
    "readers/email/answered.txt",
    "readers/email/answered_subject.txt",
    "readers/email/confirmation.html",
    "readers/email/confirmation.txt",
    "readers/email/confirmation_subject.txt",
    "readers/email/round_result.html",
    "readers/email/round_result.txt",
    "readers/email/round_result_subject.txt",
    "readers/email/private_reply.html",
    "readers/email/private_reply.txt",
    "readers/email/private_reply_subject.txt",
    "web/legal.html",
    "includes/error_summary.html",
    "includes/field.html",
    "../ops/templates/ops/too_many_requests.html",
]
READER_MODULES = [
    "askdesk/questions/forms.py",
    "askdesk/questions/views.py",
    "askdesk/readers/forms.py",
    "askdesk/readers/emails.py",
    # Refusals of the services behind the reader's forms, shown to the reader.
    "askdesk/questions/services.py",
    "askdesk/readers/services.py",
    "askdesk/readers/voting.py",
    "askdesk/ops/limits.py",
    "askdesk/public/templatetags/public_tags.py",
]
LANGUAGES = ["fa", "ar", "fr"]
CALL = re.compile(r"\b(n?gettext)\((u'(?:[^'\\]|\\.)*')(?:, (u'(?:[^'\\]|\\.)*'))?")


def template_messages() -> set[str | tuple[str, str]]:
    found: set[str | tuple[str, str]] = set()
    for name in READER_TEMPLATES:
        for function, singular, plural in CALL.findall(templatize((TEMPLATES / name).read_text())):
            text = ast.literal_eval(singular)
            found.add((text, ast.literal_eval(plural)) if function == "ngettext" else text)
    return found


def module_messages() -> set[str | tuple[str, str]]:
    found: set[str | tuple[str, str]] = set()
    for name in READER_MODULES:
        for node in ast.walk(ast.parse((REPO / name).read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in {"_", "gettext", "gettext_lazy"}:
                found.add(ast.literal_eval(node.args[0]))
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_a_reader_sees_is_translated(language):
    with (REPO / "askdesk" / "locale" / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        catalogue = read_po(po, locale=language)
    wanted = template_messages() | module_messages()
    assert len(wanted) > 60  # the extraction itself works
    missing = []
    for msgid in wanted:
        message = catalogue.get(msgid)
        strings = message.string if message is not None else ""
        if not (all(strings) if isinstance(strings, tuple) else strings) or (message and message.fuzzy):
            missing.append(msgid)
    assert missing == [], f"not translated into {language}: {missing}"


# Names, not words: feed formats and the product's own name.
NOT_TRANSLATED = {"RSS", "Atom", "JSON Feed", "askdesk"}


def text_outside_translation_tags(source: str) -> list[str]:
    """Latin words a reader would see that no {% translate %} or {% blocktranslate %} holds."""
    source = re.sub(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", " ", source, flags=re.S)
    source = re.sub(r"{%\s*blocktrans(?:late)?\b.*?{%\s*endblocktrans(?:late)?\s*%}", " ", source, flags=re.S)
    source = re.sub(r"<(script|style)\b.*?</\1>", " ", source, flags=re.S)
    source = re.sub(r"{%.*?%}|{{.*?}}", " ", source, flags=re.S)
    attributes = re.findall(r'\b(?:title|placeholder|alt|aria-label|value)="([^"]*)"', source)
    text = re.sub(r"&\w+;", " ", " | ".join([re.sub(r"<[^>]*>", " ", source), *attributes]))
    words = re.findall(r"[A-Za-z][A-Za-z']{2,}(?:[ ,.:;!?'-]+[A-Za-z']+)*", text)
    return [words for words in words if words not in NOT_TRANSLATED]


@pytest.mark.parametrize("name", READER_TEMPLATES)
def test_no_reader_template_shows_words_outside_the_translation_tags(name):
    assert text_outside_translation_tags((TEMPLATES / name).read_text()) == []


def test_the_check_for_words_outside_the_translation_tags_finds_them():
    assert text_outside_translation_tags('<p title="Hello there">{% translate "Kept" %} Left out</p>') == [
        "Left out",
        "Hello there",
    ]


def group_of(callout, text):
    question, _ = submit(callout, text)
    group = QuestionGroup.objects.create(callout=callout, label=text, representative=question, size=1)
    Question.objects.filter(pk=question.pk).update(group=group)
    return group


def a_round(callout, editor, group):
    """An open round between ``group`` ("Will it end?") and a new group ("Is it safe?")."""
    return round_create(
        callout=callout,
        title="Which first?",
        closes_at=timezone.now() + timedelta(hours=2),
        options=[OptionChoice(group, "Will it end?"), OptionChoice(group_of(callout, "Is it safe?"), "Is it safe?")],
        actor=editor,
    )


class VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in {"script", "style", "textarea"}

    def handle_endtag(self, tag):
        self.skip -= tag in {"script", "style", "textarea"}

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def english_left(html: str, content: list[str]) -> list[str]:
    """Latin words on a page once the newsroom's own content (story, prompt, answers) is taken out."""
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(parser.parts)
    for piece in sorted(content, key=len, reverse=True):
        text = text.replace(piece, " ")
    text = re.sub(r"https?://\S+", " ", text)  # a private link is an address, not words
    return re.findall(r"[A-Za-z]{3,}", text)


def test_the_persian_pages_have_no_english_left_but_the_newsrooms_own_content(client, callout, expert, editor):
    question = published(callout, expert, editor, "Is Isfahan safe?", name="Sara", location="Leeds")
    story = callout.story
    content = [
        story.title,
        *story.sentences.values_list("text", flat=True),
        callout.prompt,
        callout.publication_note,
        question.display_text,
        question.byline,
        question.answer.body,
        expert.name,
        expert.title,
        story.newsroom.name,
        "name@example.com",
    ]
    fa = {"HTTP_ACCEPT_LANGUAGE": "fa-IR,fa;q=0.9,en;q=0.5"}
    pages = {
        "story": client.get(reverse("questions:story", args=[story.slug]), **fa),
        "answers": client.get(reverse("answers:public", args=[callout.slug]), **fa),
        "embed form": client.get(reverse("public:embed_form", args=[callout.slug]), **fa),
        "embed answers": client.get(reverse("public:embed_answers", args=[callout.slug]), **fa),
        "errors": client.post(f"/ask/{callout.slug}/", form_data(callout, question="", email="x@"), **fa),
    }
    sent = client.post(
        f"/ask/{callout.slug}/", form_data(callout, question="Will it end?", email="li@example.com"), **fa
    )
    pages["status"] = client.get(sent["Location"], **fa)
    shortlisted = Question.objects.get(text="Will it end?")
    group = QuestionGroup.objects.create(callout=callout, label="Will it end?", representative=shortlisted, size=1)
    Question.objects.filter(pk=shortlisted.pk).update(group=group)
    question_transition(question=Question.objects.get(pk=shortlisted.pk), action="shortlist", actor=editor)
    joined = client.post(
        reverse("readers:also_ask", args=[shortlisted.pk]),
        {"consent": "on", "email": "", "form_token": form_token(callout_id=callout.pk)},
        **fa,
    )
    pages["joined"] = client.get(joined["Location"], **fa)
    voting_round = a_round(callout, editor, group)
    pages["voting round"] = client.get(reverse("readers:round", args=[voting_round.pk]), **fa)
    pages["not found"] = client.get("/no-such-page/", **fa)
    content += ["Will it end?", "Is it safe?", voting_round.title, "li@example.com"]
    for name, response in pages.items():
        assert response.status_code == {"not found": 404, "errors": 400}.get(name, 200), name
        html = response.content.decode()
        assert '<html lang="fa" dir="rtl">' in html, name
        assert english_left(html, content) == [], name
    assert "فرستادن پرسش" in pages["story"].content.decode()
    assert "پرسش خود را بنویسید." in pages["errors"].content.decode()


def test_the_readers_browser_language_wins_over_the_newsrooms_and_an_embed_may_ask_for_one(client, callout, newsroom):
    Newsroom.objects.filter(pk=newsroom.pk).update(language="fa")
    newsroom_public_changed(newsroom=newsroom)
    story = reverse("questions:story", args=[callout.story.slug])
    assert 'lang="fa" dir="rtl"' in client.get(story).content.decode()
    french = client.get(story, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert 'lang="fr" dir="ltr"' in french.content.decode() and "Envoyer votre question" in french.content.decode()
    assert "Accept-Language" in french["Vary"]
    assert 'lang="ar" dir="rtl"' in client.get(story + "?lang=ar", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    english = client.get(story, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert 'lang="en" dir="ltr"' in english and "Send your question" in english


def test_a_question_sent_from_the_persian_form_is_stored_as_typed(client, callout):
    response = client.post(
        f"/ask/{callout.slug}/?lang=fa", form_data(callout, question="آیا پروازها از سر گرفته می‌شوند؟")
    )
    assert response.status_code == 302 and "lang=fa" in response["Location"]
    assert Question.objects.get().text == "آیا پروازها از سر گرفته می‌شوند؟"


def test_a_persian_reader_over_the_limit_gets_the_429_page_in_persian(client, callout, settings):
    settings.ASKDESK_LIMITS_ENABLED = True
    settings.ASKDESK_RATE_LIMITS = {**settings.ASKDESK_RATE_LIMITS, "ask_client": "1/m", "ask_callout": "100/m"}
    fa = {"HTTP_ACCEPT_LANGUAGE": "fa-IR,fa;q=0.9"}
    client.post(f"/ask/{callout.slug}/", form_data(callout, question="Will it end?"), **fa)
    response = client.post(f"/ask/{callout.slug}/", form_data(callout, question="Is it over?"), **fa)
    html = response.content.decode()
    assert response.status_code == 429 and '<html lang="fa" dir="rtl">' in html
    assert english_left(html, [callout.story.newsroom.name]) == []


def in_a_group(callout, editor, action):
    """A reader's question in a group of its own, moved on by an editor (``shortlist``, ``reject``)."""
    question, _ = submit(callout, "Will it end?")
    group = QuestionGroup.objects.create(callout=callout, label="Will it end?", representative=question, size=1)
    Question.objects.filter(pk=question.pk).update(group=group)
    question_transition(question=Question.objects.get(pk=question.pk), action=action, actor=editor)
    return question, group


def test_a_refusal_from_a_service_is_shown_in_the_language_of_the_page(client, callout, editor):
    question, _ = in_a_group(callout, editor, "reject")
    data = {"consent": "on", "email": "", "form_token": form_token(callout_id=callout.pk)}
    refused = client.post(reverse("readers:also_ask", args=[question.pk]) + "?lang=fa", data)
    html = refused.content.decode()
    assert refused.status_code == 400 and '<html lang="fa" dir="rtl">' in html
    assert "دیگر نمی‌توان به این پرسش پیوست." in html and "can no longer be joined" not in html


def test_a_service_refusal_is_worded_when_shown_not_when_raised(callout, settings):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from askdesk.questions.services import question_submit

    with pytest.raises(ValidationError) as refused:
        question_submit(
            callout=callout, text="x" * (settings.ASKDESK_QUESTION_MAX_LENGTH + 1), consent=True, submission_key="k"
        )
    limit = settings.ASKDESK_QUESTION_MAX_LENGTH
    with translation.override("fr"):
        assert refused.value.messages == [f"La question dépasse {limit} caractères."]
    with translation.override("en"):
        assert refused.value.messages == [f"The question is longer than {limit} characters."]


def test_a_reader_who_joined_from_a_persian_page_reads_their_deletion_in_persian(client, callout, editor):
    question, _ = in_a_group(callout, editor, "shortlist")
    data = {"consent": "on", "email": "", "form_token": form_token(callout_id=callout.pk)}
    joined = client.post(reverse("readers:also_ask", args=[question.pk]) + "?lang=fa", data)
    status = client.get(joined["Location"]).content.decode()  # the browser itself asks for English
    delete_url = re.search(r'href="(/joined/[^"]+/delete/[^"]*)"', status).group(1)
    assert delete_url.endswith("?lang=fa")
    deleted = client.post(delete_url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="fa" dir="rtl">' in deleted and "پرسش شما پاک شد" in deleted


def test_joins_and_votes_keep_the_language_of_the_page_the_reader_used_for_their_emails(client, callout, editor):
    from askdesk.readers.models import AlsoAsked, Vote

    _, group = in_a_group(callout, editor, "shortlist")
    voting_round = a_round(callout, editor, group)
    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"}
    story = client.get(reverse("questions:story", args=[callout.story.slug]) + "?lang=ar", **english_browser)
    vote_action = re.search(r'action="(/rounds/\d+/vote/[^"]*)"', story.content.decode()).group(1)
    assert vote_action.endswith("?lang=ar")
    token = form_token(callout_id=callout.pk)
    option = voting_round.options.get(position=0)
    client.post(vote_action, {"option": option.pk, "email": "v@example.com", "form_token": token}, **english_browser)
    answers = client.get(reverse("answers:public", args=[callout.slug]) + "?lang=fr", **english_browser)
    join_action = re.search(r'action="(/also/\d+/[^"]*)"', answers.content.decode()).group(1).replace("&amp;", "&")
    client.post(join_action, {"consent": "on", "email": "j@example.com", "form_token": token}, **english_browser)
    assert Vote.objects.get().language == "ar"
    assert AlsoAsked.objects.get().language == "fr"
