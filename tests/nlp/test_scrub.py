"""Scrubbing contact details that readers type into their questions."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from askdesk.nlp import scrub as scrub_module
from askdesk.nlp.scrub import PLACEHOLDERS, ScrubResult, Span, find_contact_details, scrub

REPO = Path(__file__).resolve().parents[2]

# (question, the number as typed): national formats of every default region, and "+".
PHONE_QUESTIONS = [
    ("Will Iran retaliate? You can call me on 07700 900123 if you need more.", "07700 900123"),
    ("My landline is 020 7946 0018, ask for Tom.", "020 7946 0018"),
    ("Reach me on +44 (0)113 496 0123 after six.", "+44 (0)113 496 0123"),
    ("07700900123 is my mobile, why did oil prices jump?", "07700900123"),
    ("Worried about oil prices. (202) 555-0143", "(202) 555-0143"),
    ("Text me at 415.555.0199 please", "415.555.0199"),
    ("I'm in Boston, +1 617 555 0123", "+1 617 555 0123"),
    ("Toronto here, 416-555-0123, is Canada involved?", "416-555-0123"),
    ("Ring 087 123 4567 if an expert can talk", "087 123 4567"),
    ("Is Dublin airport affected? 01 234 5678", "01 234 5678"),
    ("Call 0491 570 156, I'm in Perth", "0491 570 156"),
    ("phone (02) 9876 5432 Sydney", "(02) 9876 5432"),
    ("NZ reader, 021 123 4567, what does this mean for us?", "021 123 4567"),
    ("Please WhatsApp +91 98765 43210", "+91 98765 43210"),
    ("From Mumbai: 98765 43210 is my number", "98765 43210"),
    ("Johannesburg reader 082 490 1693", "082 490 1693"),
    ("Mon numéro: 06 12 34 56 78", "06 12 34 56 78"),
    ("+33 1 42 68 53 00 is my office in Paris", "+33 1 42 68 53 00"),
    ("Mein Telefon 030 901820", "030 901820"),
    ("Madrid: llámame al 612 34 56 78", "612 34 56 78"),
    ("Roma, tel. 06 6982 1234", "06 6982 1234"),
    ("+39 347 123 4567 is my Italian mobile", "+39 347 123 4567"),
    ("Amsterdam here: 06 12345678", "06 12345678"),
    ("From abroad dial 0044 20 7946 0958", "0044 20 7946 0958"),
    ("I live near Akrotiri, 0044 7700 900 554", "0044 7700 900 554"),
]

EMAIL_QUESTIONS = [
    ("Does the strike affect flights? sara.jones+news@example.co.uk", "sara.jones+news@example.co.uk"),
    ("email me: Sara_K@mail.example.org with the answer", "Sara_K@mail.example.org"),
    ("please write to sara at example dot com", "sara at example dot com"),
    ("SARA AT EXAMPLE DOT COM", "SARA AT EXAMPLE DOT COM"),
    ("contact sara(at)example.com", "sara(at)example.com"),
    ("reply to sara [at] example [dot] co [dot] uk", "sara [at] example [dot] co [dot] uk"),
    ("my email is sara @ example . com thanks", "sara @ example . com"),
    ("email me at j.smith at example.ie", "j.smith at example.ie"),
]

# Numbers and words that look like contact details to a careless matcher.
HARD_NEGATIVES = [
    "What happened in 1979, and why does it still matter in 2024?",
    "Iran launched 300 drones and missiles; how many were shot down?",
    "Was the strike on 1 April or on 19 April 2024?",
    "I am 67 and remember the 1980-88 war. Will this be the same?",
    "Why did the G7 meet after the strike?",
    "Oil went up by $3.50 a barrel, and £1,500,000 was wiped off shares: why?",
    "The vote was 312-94. Does parliament have to approve a response?",
    "Resolution 2231 (2015) and UN resolutions 1737 and 1747: are they still in force?",
    "What does ISBN 978-0-14-103614-4 say about the 1953 coup?",
    "About 85 000 000 Iranians live under sanctions; in 2024 300 drones were launched.",
    "I read it at bbc.co.uk and then looked at news.sky.com: who is right?",
    "Did 10 Downing Street know before the strike?",
    "At 10:30 on 19.04.2024 the explosions were heard; was it 04:30 local time?",
    "Between 1914-18 and 1939-1945 the region changed hands; what about 2014-2022?",
    "Why are F-35 and S-300 systems mentioned at 4PM briefings?",
]


@pytest.mark.parametrize(("question", "number"), PHONE_QUESTIONS)
def test_phone_numbers_in_many_national_and_international_formats_are_found_and_replaced(
    question: str, number: str
) -> None:
    result = scrub(question)
    phones = [span for span in result.spans if span.kind == "phone"]
    assert [span.text for span in phones] == [number]
    assert PLACEHOLDERS["phone"] in result.text
    assert number not in result.text


@pytest.mark.parametrize(("question", "number"), PHONE_QUESTIONS)
def test_scrubbed_text_keeps_none_of_the_digits_of_the_number(question: str, number: str) -> None:
    # None of these questions has any other digit, so every digit left would be a leak.
    assert not re.search(r"\d", question.replace(number, ""))
    assert not re.search(r"\d", scrub(question).text)


@pytest.mark.parametrize(("question", "address"), EMAIL_QUESTIONS)
def test_email_addresses_plain_and_obfuscated_are_found_and_replaced(question: str, address: str) -> None:
    result = scrub(question)
    assert [(span.kind, span.text) for span in result.spans] == [("email", address)]
    assert result.text == question.replace(address, PLACEHOLDERS["email"])


@pytest.mark.parametrize("question", HARD_NEGATIVES)
def test_years_counts_dates_money_and_news_sites_are_not_taken_for_contact_details(question: str) -> None:
    assert find_contact_details(question) == []
    assert scrub(question).text == question


def test_a_bare_at_between_ordinary_words_is_not_an_email_address() -> None:
    assert find_contact_details("Why look at amazon dot com when the strike was at Isfahan.com?") == []


def test_a_number_only_possible_somewhere_needs_a_contact_word_before_it_counts() -> None:
    # "450 0840" is a valid length for a local number in many regions, and a count to most readers.
    assert find_contact_details("The archive lists 450 0840 records.") == []
    assert [s.text for s in find_contact_details("Call me on 450 0840 tonight.")] == ["450 0840"]


def test_digits_typed_one_by_one_count_only_after_a_contact_word() -> None:
    assert [s.text for s in find_contact_details("Call me: 0 7 7 0 0 9 0 0 1 2 3")] == ["0 7 7 0 0 9 0 0 1 2 3"]
    assert find_contact_details("Rank them 1 2 3 4 5 6 7 8 9 10 please") == []


def test_a_number_spelled_out_in_words_after_a_contact_word_is_found() -> None:
    text = "How far can the missiles go? my number is oh seven seven hundred nine hundred one two three."
    result = scrub(text)
    assert [s.text for s in result.spans] == ["oh seven seven hundred nine hundred one two three"]
    assert result.text == "How far can the missiles go? my number is [phone number removed]."
    assert find_contact_details("I have one two three four five six seven questions") == []


def test_a_phone_number_before_an_address_is_not_read_as_its_house_number() -> None:
    text = "Ring me on 020 7946 0456 or write to 5 Park Road, London N8 8TE"
    spans = find_contact_details(text)
    assert [(s.kind, s.text) for s in spans] == [("phone", "020 7946 0456"), ("address", "5 Park Road, London N8 8TE")]


def test_payment_card_and_social_security_numbers_are_not_reported_as_phone_numbers() -> None:
    text = "My card number is 4111111111111111 and my SSN: 514-69-0360."
    assert [s for s in find_contact_details(text) if s.kind == "phone"] == []


def test_international_numbers_are_found_whatever_the_regions_asked_for() -> None:
    spans = find_contact_details("Call +44 20 7946 0018 or 020 7946 0019", regions=["US"])
    assert [s.text for s in spans] == ["+44 20 7946 0018"]


@pytest.mark.parametrize(
    ("question", "address"),
    [
        ("I live at 14 Acacia Avenue, Leeds LS6 2AB, will prices rise?", "14 Acacia Avenue, Leeds LS6 2AB"),
        (
            "I'm at 350 Fifth Avenue, New York, NY 10118 if you want to send anything",
            "350 Fifth Avenue, New York, NY 10118",
        ),
        ("Send it to 24 Sussex Drive, Ottawa, ON K1M 1M4", "24 Sussex Drive, Ottawa, ON K1M 1M4"),
        ("Near me in LS6 2AB the petrol is dear", "LS6 2AB"),
        ("postcode sw1a 1aa, is London a target?", "sw1a 1aa"),
        ("my zip code is 90210", "90210"),
        ("Ottawa K1A 0B1 reader here", "K1A 0B1"),
    ],
)
def test_street_addresses_and_postcodes_are_found_and_replaced(question: str, address: str) -> None:
    result = scrub(question)
    assert [(span.kind, span.text) for span in result.spans] == [("address", address)]
    assert result.text == question.replace(address, PLACEHOLDERS["address"])


def test_offsets_point_into_the_original_text_and_rebuild_the_scrubbed_text() -> None:
    text = (
        "Hi, Sara here (sara at example dot com, 07700 900123).\n"
        "I live at 14 Acacia Avenue, Leeds LS6 2AB. Why did the strike happen?"
    )
    result = scrub(text)
    assert [span.kind for span in result.spans] == ["email", "phone", "address"]
    rebuilt, position = "", 0
    for span in result.spans:
        assert text[span.start : span.end] == span.text
        rebuilt += text[position : span.start] + PLACEHOLDERS[span.kind]
        position = span.end
    assert result.text == rebuilt + text[position:]


def test_overlapping_findings_are_folded_into_one_span_so_nothing_leaks() -> None:
    spans = [Span("phone", 5, 12, ""), Span("address", 0, 10, "")]
    resolved = scrub_module._resolve_overlaps("0123456789ABCDEF", spans)
    assert [(s.kind, s.start, s.end) for s in resolved] == [("address", 0, 12)]


def test_a_question_without_contact_details_comes_back_unchanged() -> None:
    question = "Why did Israel strike Isfahan, and what happens next?"
    assert scrub(question) == ScrubResult(text=question, spans=[])


def test_cli_prints_one_json_line_per_input_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ["call me on 07700 900123", "Why 300 drones?", "sara@example.com or LS6 2AB"]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    assert scrub_module.cli([]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(out) == len(lines)
    assert out[0] == {"text": "call me on [phone number removed]", "spans": [{"kind": "phone", "start": 11, "end": 23}]}
    assert out[1] == {"text": "Why 300 drones?", "spans": []}
    assert [(s["kind"], lines[2][s["start"] : s["end"]]) for s in out[2]["spans"]] == [
        ("email", "sara@example.com"),
        ("address", "LS6 2AB"),
    ]


def test_python_m_askdesk_nlp_scrub_runs_from_the_command_line() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "askdesk.nlp", "scrub", "--regions", "GB,US"],
        input="Ring 020 7946 0018 please\n",
        capture_output=True,
        text=True,
        cwd=REPO,
        check=True,
    )
    [line] = completed.stdout.splitlines()
    assert json.loads(line)["text"] == "Ring [phone number removed] please"


# --- the cheap check before libphonenumber's matcher ---------------------------------------


def _characters_the_matcher_can_take() -> re.Pattern[str]:
    """One character class of everything phonenumbers' candidate pattern names (its literals, ranges
    and classes), read from the compiled pattern itself, with the pattern's flags."""
    from re import _constants as c
    from re import _parser

    from phonenumbers.phonenumbermatcher import _PATTERN

    items: list[str] = []

    def walk(parsed: object) -> None:
        for op, arg in parsed:  # type: ignore[attr-defined]
            if op is c.LITERAL:
                items.append(re.escape(chr(arg)))
            elif op is c.IN:
                for inner, value in arg:
                    assert inner is not c.NEGATE, "a negated class would need another check"
                    if inner is c.LITERAL:
                        items.append(re.escape(chr(value)))
                    elif inner is c.RANGE:
                        items.append(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
                    else:
                        assert inner is c.CATEGORY and value is c.CATEGORY_DIGIT, (inner, value)
                        items.append(r"\d")
            elif op is c.SUBPATTERN:
                walk(arg[-1])
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
                walk(arg[2])
            elif op is c.BRANCH:
                for branch in arg[1]:
                    walk(branch)
            else:
                assert op is c.AT, f"{op} in the candidate pattern: teach this test to read it"

    walk(_parser.parse(_PATTERN.pattern, _PATTERN.flags))
    return re.compile("[" + "".join(items) + "]", _PATTERN.flags)


def test_every_character_libphonenumbers_matcher_can_take_into_a_number_continues_a_phone_run() -> None:
    # So a number it finds always lies inside one PHONE_RUN, and counting a run's digits is enough
    # to know the matcher would keep nothing (it keeps numbers of MIN_PHONE_DIGITS digits or more).
    taken = _characters_the_matcher_can_take()
    missing = [
        hex(code)
        for code in range(0x110000)
        if taken.fullmatch(chr(code)) and not scrub_module.PHONE_RUN.fullmatch(chr(code))
    ]
    assert missing == []


def _texts_of_the_scrubbers_own_cases() -> list[str]:
    bench_set = REPO / "bench" / "data" / "contact_questions.jsonl"
    texts = [json.loads(line)["text"] for line in bench_set.read_text().splitlines() if line.strip()]
    texts += [question for question, _ in PHONE_QUESTIONS + EMAIL_QUESTIONS] + HARD_NEGATIVES
    # Numbers broken up or extended the ways readers write: the check must not skip what the matcher keeps.
    for question, number in PHONE_QUESTIONS:
        middle = len(number) // 2
        for joint in (" ext. ", " x", ",", " or ", "b", "/", " - ", "\u2013"):
            texts.append(question.replace(number, number[:middle] + joint + number[middle:]))
        texts.append(question.replace(number, number + " ext 12"))
    texts += [f"Bench question {n} ({n * 7919 % 65536:04x}{n:04x}): will Iran retaliate?" for n in range(0, 3000, 37)]
    return texts


def test_the_phone_matcher_is_skipped_only_where_it_would_keep_no_number() -> None:
    skipped = 0
    for text in _texts_of_the_scrubbers_own_cases():
        if not scrub_module.may_hold_phone_number(text):
            skipped += sum(ch.isdigit() for ch in text) >= scrub_module.MIN_PHONE_DIGITS
            assert scrub_module._matched_phones(text, scrub_module.DEFAULT_REGIONS) == [], text
    assert skipped >= 50  # the check skips texts that the plain digit count would have sent to the matcher


def test_phone_numbers_split_by_a_word_are_not_one_run_but_a_number_with_an_extension_is() -> None:
    assert not scrub_module.may_hold_phone_number("Bench question 123 (4b5c6d7f): will Iran retaliate?")
    assert not scrub_module.may_hold_phone_number("In 1979 and again in 2024, why?")
    assert scrub_module.may_hold_phone_number("Call 0770 ext. 900123")
    assert scrub_module.may_hold_phone_number("+44 (0)113 496 0123")
    assert scrub_module.may_hold_phone_number("\uff10\uff17\uff17\uff10\uff10 \uff19\uff10\uff10\uff11\uff12\uff13")
