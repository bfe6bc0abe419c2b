from pathlib import Path

import pytest

from askdesk.nlp.text import read_story

DEMO = Path(__file__).resolve().parents[2] / "askdesk" / "web" / "demo" / "israel-strike-isfahan.txt"


@pytest.fixture(scope="module")
def demo():
    return read_story(DEMO.read_text())


def test_tokenised_story_ends_with_its_callout_cut_off(demo):
    assert demo.source_format == "tokenised"
    assert demo.callout is not None
    assert demo.callout.prompt == "What do you want to understand better about the Israeli missile strike on Iran?"
    body = " ".join(demo.sentences).lower()
    assert "understand better" not in body
    assert "contact details" not in body
    assert demo.callout.sentences[0] == "Our experts will be answering your questions."


def test_tokenised_story_reads_as_prose(demo):
    text = " ".join(demo.sentences)
    assert "Iran’s consulate" in text
    assert "(IAEA)" in text
    assert "“a failed attack”" in text
    assert "semi-official" in text
    assert " ," not in text and " ." not in text and "( " not in text


def test_sentences_are_capitalised_and_names_restored(demo):
    assert all(sentence[0].isupper() for sentence in demo.sentences)
    text = " ".join(demo.sentences)
    for name in ("Isfahan", "Tehran", "Israel", "BBC", "Damascus", "Hezbollah", "Friday"):
        assert name in text
    assert demo.sentences[0] == "An Israeli missile hit Iran early on Friday morning, according to US officials."


def test_quoted_speech_ending_a_sentence_closes_that_sentence(demo):
    assert any(s.endswith("“few quadcopters”.") for s in demo.sentences)
    assert any(s.startswith("While it is not possible") for s in demo.sentences)


def test_title_falls_back_to_the_callout_subject(demo):
    assert demo.title == "Israeli missile strike on Iran"


def test_prose_with_a_title_line_keeps_title_and_paragraphs():
    story = read_story(
        "Floods close the ring road\n\nHeavy rain closed the A6 on Monday. Police said it would reopen "
        "by Tuesday.\n\nThe council opened two shelters.\n"
    )
    assert story.source_format == "prose"
    assert story.title == "Floods close the ring road"
    assert story.paragraphs == [
        ["Heavy rain closed the A6 on Monday.", "Police said it would reopen by Tuesday."],
        ["The council opened two shelters."],
    ]
    assert story.callout is None


def test_prose_callout_is_found_and_removed():
    story = read_story(
        "Schools to close early\n\nAll schools will close at noon on Friday.\n\n"
        "What do you want to understand better about the school closures? Our experts will be answering "
        "your questions. Your contact details will never be published."
    )
    assert story.callout is not None
    assert story.callout.prompt == "What do you want to understand better about the school closures?"
    assert story.sentences == ["All schools will close at noon on Friday."]


def test_a_question_inside_the_story_is_not_taken_for_a_callout():
    story = read_story(
        "Budget day\n\nWhat do you want to know about the budget? Everything, said one trader. "
        "Markets rose on the news."
    )
    assert story.callout is None
    assert len(story.sentences) == 3


def test_html_article_main_text_is_extracted_without_navigation():
    html = (
        "<html><head><title>Bridge reopens after repairs</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
        "<article><h1>Bridge reopens after repairs</h1>"
        "<p>The old bridge over the river reopened on Saturday after two years of repairs to its arches.</p>"
        "<p>Engineers replaced more than four hundred stones and strengthened the central pier.</p>"
        "<p>What do you want to understand better about the bridge repairs? Our experts will be answering "
        "your questions.</p></article>"
        "<footer>Copyright The Paper. All rights reserved.</footer></body></html>"
    )
    story = read_story(html)
    assert story.source_format == "html"
    assert story.title == "Bridge reopens after repairs"
    text = " ".join(story.sentences)
    assert "four hundred stones" in text
    assert "Sport" not in text and "All rights reserved" not in text
    assert story.callout is not None and story.callout.prompt.endswith("bridge repairs?")


@pytest.mark.parametrize("raw", ["", "   \n\n  "])
def test_an_empty_story_is_refused(raw):
    with pytest.raises(ValueError, match="empty"):
        read_story(raw)


def test_us_reads_as_the_country_only_where_it_is_one(demo):
    text = " ".join(demo.sentences)
    assert "the US was" in text and "US Secretary" in text
    assert read_story("Officials told us that the talks failed. Nobody called us back.").sentences == [
        "Officials told us that the talks failed.",
        "Nobody called us back.",
    ]


def test_a_tokenised_story_is_shown_in_short_paragraphs(demo):
    assert len(demo.paragraphs) > 10
    assert all(1 <= len(paragraph) <= 2 for paragraph in demo.paragraphs)


def test_the_name_an_acronym_abbreviates_is_capitalised(demo):
    text = " ".join(demo.sentences)
    assert "International Atomic Energy Agency (IAEA)" in text
    assert "Islamic Revolution Guard Corps (IRGC)" in text
