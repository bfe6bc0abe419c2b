"""Find and remove contact details that readers type into the text of a question.

Readers are promised that their contact details will never be published, yet they type
them into the question itself ("call me on 07700 900123", "sara at example dot com").
``scrub`` finds them and replaces each with a placeholder before anything is published.

* Email addresses: the usual ``local@domain.tld`` form, and the forms people type to dodge
  spam harvesters ("sara at example dot com", "sara(at)example.com", "sara @ example . com").
* Phone numbers: Google's libphonenumber (the ``phonenumbers`` package) reads numbers in
  free text for every region asked for. A number that libphonenumber finds *valid* in one
  of them is taken as it is; a number that is only *possible* (right length, unknown
  range, the Faker-like formats of test sets, Ofcom's drama numbers) is taken only with a
  contact word next to it ("call me on", "Tel:", "mobile"), or when written with "+" or
  "00", because on their own such digit runs are as often years, counts and dates. Numbers
  labelled as something else (card, SSN, ISBN), payment-card numbers, IP addresses and
  dates are left alone; a number spelled out in words after a contact word is found.
* Postal addresses: street addresses in the US, Canada and Great Britain (the ``pyap``
  rules), UK and Canadian postcodes (their formats), and any code a reader labels as a
  postcode or ZIP code. Addresses in other countries are found only through their label.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher

Kind = Literal["email", "phone", "address"]

# Regions whose national formats are read. International "+" numbers of any country are
# read whatever the list holds.
DEFAULT_REGIONS: tuple[str, ...] = (
    "GB", "US", "IE", "AU", "NZ", "CA", "IN", "ZA", "FR", "DE", "ES", "IT", "NL",
)  # fmt: skip
PLACEHOLDERS: dict[str, str] = {
    "email": "[email address removed]",
    "phone": "[phone number removed]",
    "address": "[address removed]",
}
# When two findings overlap, the longer one wins; on a tie, this order.
KIND_ORDER: dict[str, int] = {"email": 0, "phone": 1, "address": 2}


@dataclass(frozen=True)
class Span:
    """One contact detail: its kind and where it sits in the original text."""

    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class ScrubResult:
    """The text with every contact detail replaced, and what was replaced."""

    text: str
    spans: list[Span]


# --- email -------------------------------------------------------------------------------

# Top-level domains accepted after an obfuscated "dot": the common generic ones and the
# countries our readers write from. A plain ``a@b.xyz`` address takes any TLD.
KNOWN_TLDS = (
    "com|org|net|edu|gov|mil|int|info|biz|name|pro|io|co|me|tv|app|dev|online|email|news|xyz|"
    "uk|ie|us|ca|au|nz|in|za|fr|de|es|it|nl|be|ch|at|se|no|dk|fi|pl|pt|gr|eu|ac|il|ir|ae|ru|"
    "br|mx|ar|jp|cn|hk|sg|my|ng|ke|pk|bd|lk|ph"
)
PLAIN_EMAIL = re.compile(
    r"(?<![\w.%+'-])"
    r"[\w%+'-]+(?:\.[\w%+'-]+)*"
    r"@"
    r"(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+"
    r"[^\W\d_]{2,24}(?![\w-])",
)
_AT = (
    r"(?P<at>[ \t]*@[ \t]*"
    r"|[ \t]*[\(\[\{<][ \t]*at[ \t]*[\)\]\}>][ \t]*"
    r"|[ \t]+at[ \t]+"
    r"|[ \t]*-at-[ \t]*|_at_)"
)
_LOCAL_DOT = r"(?:\.|[ \t]*[\(\[\{<][ \t]*dot[ \t]*[\)\]\}>][ \t]*|[ \t]+dot[ \t]+)"
# A spaced dot ("example . com") is accepted only with a space before it, so that a
# sentence ending after an address ("...example.com. It was") does not swallow a word.
_DOMAIN_DOT = r"(?:[ \t]*[\(\[\{<][ \t]*dot[ \t]*[\)\]\}>][ \t]*|[ \t]+dot[ \t]+|[ \t]+\.[ \t]*|\.)"
OBFUSCATED_EMAIL = re.compile(
    rf"(?<![\w.%+'-])(?P<local>[\w%+'-]+(?:{_LOCAL_DOT}[\w%+'-]+)*)"
    rf"{_AT}"
    rf"(?P<domain>[^\W_][\w-]*(?:{_DOMAIN_DOT}[^\W_][\w-]*)*)"
    rf"{_DOMAIN_DOT}(?P<tld>{KNOWN_TLDS})(?![\w-])",
    re.IGNORECASE,
)
# "sara at example.com" is an address, "I read it at bbc.co.uk" is not: a bare word "at"
# needs an email word nearby or a local part that no sentence would have.
EMAIL_CUE = re.compile(r"\b(?:e-?mail(?:ed|ing|s)?|mail|contact|reach|write|drop me|address)\b", re.I)
COMMON_WORDS_BEFORE_AT = frozenset(
    [
        "a",
        "an",
        "the",
        "i",
        "me",
        "you",
        "he",
        "him",
        "she",
        "her",
        "it",
        "we",
        "us",
        "they",
        "them",
        "this",
        "that",
        "these",
        "those",
        "here",
        "there",
        "where",
        "what",
        "who",
        "is",
        "was",
        "were",
        "are",
        "be",
        "been",
        "am",
        "do",
        "did",
        "look",
        "looked",
        "looking",
        "looks",
        "aimed",
        "fired",
        "launched",
        "struck",
        "strike",
        "strikes",
        "attack",
        "attacked",
        "hit",
        "targeted",
        "based",
        "held",
        "meet",
        "met",
        "arrive",
        "arrived",
        "stay",
        "stayed",
        "live",
        "lived",
        "living",
        "work",
        "worked",
        "working",
        "study",
        "studied",
        "read",
        "posted",
        "published",
        "available",
        "online",
        "seen",
        "see",
        "find",
        "found",
        "visit",
        "visited",
        "listed",
        "reported",
        "sold",
        "bought",
        "priced",
        "valued",
        "laugh",
        "laughed",
        "shot",
        "good",
        "bad",
        "best",
        "better",
        "and",
        "or",
        "but",
        "not",
        "even",
        "just",
        "only",
        "all",
        "both",
        "once",
        "least",
        "most",
        "last",
        "first",
        "home",
        "time",
        "times",
        "rate",
        "rates",
        "stop",
        "stopped",
    ]
)


def find_emails(text: str) -> list[Span]:
    """Email addresses, plain or typed in an obfuscated form."""
    spans = [Span("email", m.start(), m.end(), m.group()) for m in PLAIN_EMAIL.finditer(text)]
    position = 0
    while True:
        match = OBFUSCATED_EMAIL.search(text, position)
        if match is None:
            break
        if _plausible_obfuscated(text, match):
            spans.append(Span("email", match.start(), match.end(), match.group()))
            position = match.end()
        else:
            # Try again from the next word: "look at sara at example dot com".
            position = match.start() + max(1, len(match.group("local").split()[0]))
    return _merge_same_kind(text, spans)


def _plausible_obfuscated(text: str, match: re.Match[str]) -> bool:
    at = match.group("at").strip().lower()
    local = match.group("local")
    if at != "at":
        return True
    if local.lower() in COMMON_WORDS_BEFORE_AT:
        return False
    if re.search(r"[\d._+]|dot", local, re.I):
        return True
    # Fully spelled out ("sara at example dot com") is how people dodge harvesters.
    if re.search(r"\bdot\b", text[match.end("at") : match.end()], re.I):
        return True
    window = text[max(0, match.start() - 60) : match.end() + 30]
    return EMAIL_CUE.search(window) is not None


# --- phone -------------------------------------------------------------------------------

MIN_PHONE_DIGITS = 7
# Words that introduce or label a phone number. Label words ("office", "desk", "home",
# single letters) count only as "label:" before the number or right after it.
PHONE_CUE_WORDS = (
    r"phone[ds]?|phoning|telephone|tel|tel\.|mob|mobile|cell|cellphone|landline|fax|"
    r"call(?:ed|ing|s)?|ring(?:ing)?|text(?:ed|ing)?|txt|sms|whats-?app|signal|viber|"
    r"number|no\.|nr\.?|num|contact(?:ed)?|reach(?:ed)?|dial(?:led)?|message[sd]?|voicemail|"
    r"answering|registered|hotline|helpline|extension|ext"
)
PHONE_CUE_BEFORE = re.compile(rf"\b(?:{PHONE_CUE_WORDS})\b[^\d\n]{{0,40}}(?:\n[^\d\n]{{0,10}})?$", re.I)
PHONE_LABEL_BEFORE = re.compile(r"\b(?:office|desk|home|work|direct|main|[tmhwpf])\s*:\s*$", re.I)
PHONE_CUE_AFTER = re.compile(rf"^[\s\-–(]{{0,3}}(?:{PHONE_CUE_WORDS}|office|desk|home|work|direct)\b", re.I)
# Digit runs that libphonenumber may call "possible" but that are dates or year ranges.
DATE_LIKE = re.compile(
    r"^(?:(?:19|20)\d\d[-–/.](?:\d\d?)(?:[-–/.]\d\d?)?"
    r"|\d\d?[-–/.]\d\d?[-–/.](?:19|20)?\d\d"
    r"|(?:1[5-9]|20)\d\d\s*[-–/]\s*(?:(?:1[5-9]|20)?\d\d))$"
)
# Numbers that are labelled as something else: "card number", "SSN:", "licence no.".
NOT_A_PHONE_BEFORE = re.compile(
    r"\b(?:isbn(?:-1[03])?|issn|doi|isin|iban|card|credit|debit|account|acct|sort code|ssn|social security|"
    r"licen[cs]e|passport|nhs|national insurance|ni|policy|order|invoice|ref|reference|tracking|serial|"
    r"ip|customer|membership|member|ticket|booking|pin|case|claim)"
    r"(?:\s*(?:number|no\.?|num|#|is|was|:))*\s*$",
    re.I,
)
# "+44 ...", "0044 ...": dialled from abroad, so no region's national format is needed.
INTERNATIONAL_PREFIX = re.compile(r"^\(?(?:\+|00)[1-9]")
IP_ADDRESS = re.compile(r"^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$")


@dataclass
class _PhoneCandidate:
    start: int
    end: int
    valid: bool = False
    international: bool = False


# Every character that libphonenumber's matcher can take into a number it reads (its candidate
# pattern, ``phonenumbers.phonenumbermatcher._PATTERN``): digits, its punctuation, brackets and
# plus signs, and what its extensions are written with (";ext=", "ext", "extension", "x", "int",
# "anexo", "доб", "#", in full-width forms too; letters in either case, as the pattern ignores
# case). A number it finds lies inside one unbroken run of them.
PHONE_RUN = re.compile(
    r"["
    r"\d+\uff0b(\[\uff08\uff3b)\]\uff09\uff3d"  # digits, plus signs, brackets
    r"\-x\u2010-\u2015\u2212\u30fc\uff0d-\uff0f \xa0\xad\u200b\u2060\u3000.\/~\u2053\u223c\uff5e"  # punctuation
    r"\t,;=:\uff0e#\uff03aeinost\u00f3\u0301\uff45\uff49\uff4e\uff54\uff58\u0434\u043e\u0431"  # extensions
    r"]+",
    re.IGNORECASE,
)


def may_hold_phone_number(text: str) -> bool:
    """False when no number libphonenumber could read in ``text`` has the digits of a phone number.

    ``find_phones`` keeps only numbers of at least ``MIN_PHONE_DIGITS`` digits, and such a
    number lies inside one run of ``PHONE_RUN``: when no run holds that many digits, the
    matcher (2 passes for each of 13 regions, the slowest part of scrubbing) would find
    nothing to keep, so it is not run.
    """
    if sum(c.isdigit() for c in text) < MIN_PHONE_DIGITS:
        return False
    return any(sum(c.isdigit() for c in run.group()) >= MIN_PHONE_DIGITS for run in PHONE_RUN.finditer(text))


def find_phones(text: str, *, regions: Sequence[str] = DEFAULT_REGIONS) -> list[Span]:
    """Phone numbers, read by libphonenumber for each region (see the module docstring)."""
    spelled = _spelled_phones(text, regions)
    if not may_hold_phone_number(text):
        return spelled
    return _merge_same_kind(text, _matched_phones(text, regions) + spelled)


def _matched_phones(text: str, regions: Sequence[str]) -> list[Span]:
    """The numbers libphonenumber reads in ``text`` that ``_accept_phone`` keeps."""
    candidates: dict[tuple[int, int], _PhoneCandidate] = {}
    for region in regions:
        for match in PhoneNumberMatcher(text, region, leniency=Leniency.POSSIBLE):
            key = (match.start, match.end)
            candidate = candidates.setdefault(key, _PhoneCandidate(match.start, match.end))
            candidate.international |= INTERNATIONAL_PREFIX.match(match.raw_string) is not None
        for match in PhoneNumberMatcher(text, region, leniency=Leniency.VALID):
            key = (match.start, match.end)
            candidates.setdefault(key, _PhoneCandidate(match.start, match.end)).valid = True
    return [Span("phone", c.start, c.end, text[c.start : c.end]) for c in candidates.values() if _accept_phone(text, c)]


# Readers who know about filters spell numbers out: "oh seven seven hundred nine hundred ...".
_DIGIT_WORDS = {
    "zero": "0", "oh": "0", "nought": "0", "one": "1", "two": "2", "three": "3", "four": "4",
    "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9",
}  # fmt: skip
SPELLED_NUMBER = re.compile(
    r"\b(?:(?:zero|oh|nought|one|two|three|four|five|six|seven|eight|nine|double|triple|hundred|thousand|\d+)"
    r"(?:[ \t,-]+|\b)){4,}",
    re.I,
)


def _spelled_phones(text: str, regions: Sequence[str]) -> list[Span]:
    if not re.search(r"\b(?:oh|zero|nought|one|two|three|four|five|six|seven|eight|nine)\b", text, re.I):
        return []
    spans = []
    for match in SPELLED_NUMBER.finditer(text):
        raw = match.group().rstrip(" \t,-")
        start, end = match.start(), match.start() + len(raw)
        digits = _spelled_digits(raw)
        if len(digits) < MIN_PHONE_DIGITS or not has_phone_cue(text, start, end):
            continue
        if any(phonenumbers.is_possible_number(_parse(digits, region)) for region in regions):
            spans.append(Span("phone", start, end, raw))
    return spans


def _spelled_digits(raw: str) -> str:
    digits, repeat = "", 1
    for word in re.split(r"[ \t,-]+", raw.lower()):
        if word in {"double", "triple"}:
            repeat = 2 if word == "double" else 3
            continue
        if word in {"hundred", "thousand"}:
            digits += "00" if word == "hundred" else "000"
        else:
            digits += (_DIGIT_WORDS.get(word) or word) * repeat
        repeat = 1
    return digits


def _parse(digits: str, region: str) -> phonenumbers.PhoneNumber:
    try:
        return phonenumbers.parse(digits, region)
    except phonenumbers.NumberParseException:
        return phonenumbers.PhoneNumber()


def _accept_phone(text: str, candidate: _PhoneCandidate) -> bool:
    raw = text[candidate.start : candidate.end]
    digits = sum(ch.isdigit() for ch in raw)
    before = text[max(0, candidate.start - 60) : candidate.start]
    if digits < MIN_PHONE_DIGITS or NOT_A_PHONE_BEFORE.search(before):
        return False
    # Digits glued to letters are a code ("F162823540116"), not a number typed to be dialled.
    if text[candidate.start - 1 : candidate.start].isalpha() or text[candidate.end : candidate.end + 1].isalpha():
        return False
    if DATE_LIKE.match(raw.strip("()")) or IP_ADDRESS.match(raw):
        return False
    # A long run of digits that passes the Luhn check is a payment card number.
    if not candidate.international and digits >= 13 and _luhn_valid(raw):
        return False
    # "1 2 3 4 5 6 7 8 9 10" is a valid US number to libphonenumber, and a count to us.
    if re.fullmatch(r"\d(?:\s\d){5,}(?:\s\d+)?", raw):
        return has_phone_cue(text, candidate.start, candidate.end)
    if candidate.valid or candidate.international:
        return True
    return has_phone_cue(text, candidate.start, candidate.end)


def _luhn_valid(raw: str) -> bool:
    digits = [int(ch) for ch in raw if ch.isdigit()]
    total = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def has_phone_cue(text: str, start: int, end: int) -> bool:
    """True when a contact word introduces, labels or follows the digits at text[start:end]."""
    before = text[max(0, start - 60) : start]
    after = text[end : end + 20]
    return bool(PHONE_CUE_BEFORE.search(before) or PHONE_LABEL_BEFORE.search(before) or PHONE_CUE_AFTER.match(after))


# --- postal address ----------------------------------------------------------------------

# Royal Mail's format: outward code, space optional, inward code whose letters are never
# C, I, K, M, O or V (which also keeps "4PM" and "2AM" out).
UK_POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b",
)
UK_POSTCODE_ANY_CASE = re.compile(UK_POSTCODE.pattern, re.I)
CA_POSTCODE = re.compile(r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d\b", re.I)
# A code the reader labels: "my zip code is 35350", "ZIP: 394 13", "Eircode D02 X285".
LABELLED_POSTCODE = re.compile(
    r"\b(?:post(?:al)?[ -]?code|zip(?:[ -]?code)?|eircode|plz|code postal|pin ?code)"
    r"(?:\s+is|\s*:|\s+number)?\s*"
    r"(?P<code>(?=[A-Z\d -]*\d)[A-Z\d]{2,8}(?:[ -][A-Z\d]{2,4})?)\b",
    re.I,
)
PYAP_COUNTRIES = ("US", "CA", "GB")
_DASHES = "‐‑‒–—―"


def find_addresses(text: str, *, phones: Sequence[Span] = ()) -> list[Span]:
    """Street addresses (US, CA, GB) and postcodes (UK, Canada, or labelled as such).

    ``phones`` already found in the text are not taken for house numbers."""
    spans: list[Span] = []
    for start, end in _pyap_addresses(text):
        start = _skip_phones(text, start, end, phones)
        spans.append(Span("address", start, end, text[start:end]))
    for match in UK_POSTCODE.finditer(text):
        spans.append(Span("address", match.start(), match.end(), match.group()))
    for match in UK_POSTCODE_ANY_CASE.finditer(text):
        # A lower-case postcode needs its space ("ls6 2ab"): without it, too many words fit.
        if " " in match.group() and match.group() != match.group().upper():
            spans.append(Span("address", match.start(), match.end(), match.group()))
    for match in CA_POSTCODE.finditer(text):
        spans.append(Span("address", match.start(), match.end(), match.group()))
    for match in LABELLED_POSTCODE.finditer(text):
        start, end = match.span("code")
        spans.append(Span("address", start, end, text[start:end]))
    return _merge_same_kind(text, spans)


def _pyap_addresses(text: str) -> Iterable[tuple[int, int]]:
    if not re.search(r"\d", text):
        return
    normalised, starts, ends = _normalise_for_pyap(text)
    from pyap import utils as pyap_utils

    for rules in _pyap_rules():
        for match in pyap_utils.finditer(rules, normalised):
            start, end = match.span()
            # pyap's patterns may start or end on a space or comma.
            while end > start and normalised[end - 1] in " ,":
                end -= 1
            while start < end and normalised[start] in " ,":
                start += 1
            if end <= start:
                continue
            begin, finish = starts[start], ends[end - 1]
            # A street address starts with its house number; a match that starts anywhere
            # else ("...pplied for money transfer from GB56HX", out of an IBAN) is not one.
            if text[begin - 1 : begin].isalnum() or not text[begin].isdigit():
                continue
            # One that stops inside a word ("... Suite 215 NUNGA" of "NUNGATTA") is cut back.
            if text[finish : finish + 1].isalnum():
                finish = begin + len(re.sub(r"[\s,]*\w+$", "", text[begin:finish]))
            if re.search(r"\d", text[begin:finish]):
                yield begin, finish


def _skip_phones(text: str, start: int, end: int, phones: Sequence[Span]) -> int:
    """Where an address really starts when pyap read a phone number before it as the
    house number ("ring 020 7946 0456 or write to 5 Park Road"). Only a number introduced
    as a phone counts: "03262 2437 Main St" is a house number however valid it looks."""
    for phone in phones:
        if phone.start <= start < phone.end and has_phone_cue(text, phone.start, phone.end):
            later = re.search(r"\b\d", text[phone.end : end])
            return start if later is None else phone.end + later.start()
    return start


@lru_cache(maxsize=1)
def _pyap_rules() -> tuple[Any, ...]:
    import importlib

    return tuple(importlib.import_module(f"pyap.source_{c}.data").full_address for c in PYAP_COUNTRIES)


def _normalise_for_pyap(text: str) -> tuple[str, list[int], list[int]]:
    """The text as pyap expects it (line breaks as ", ", one space, plain hyphens), with
    the original start and end offset of every character, so that matches map back."""
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for piece in re.finditer(r"\s*(?:,\s*)+|\s+|.", text, re.S):
        token = piece.group()
        if "," in token or (token.isspace() and ("\n" in token or "\r" in token)):
            replacement = ", "
        elif token.isspace():
            replacement = " "
        elif token in _DASHES:
            replacement = "-"
        else:
            replacement = token
        for char in replacement:
            out.append(char)
            starts.append(piece.start())
            ends.append(piece.end())
    return "".join(out), starts, ends


# --- all together ------------------------------------------------------------------------


def find_contact_details(text: str, *, regions: Sequence[str] = DEFAULT_REGIONS) -> list[Span]:
    """Every email address, phone number and postal address in ``text``, in text order,
    without overlaps (a finding that overlaps a longer one is folded into it)."""
    phones = find_phones(text, regions=regions)
    found = find_emails(text) + phones + find_addresses(text, phones=phones)
    return _resolve_overlaps(text, found)


def scrub(text: str, *, regions: Sequence[str] = DEFAULT_REGIONS) -> ScrubResult:
    """``text`` with each contact detail replaced by a placeholder such as
    "[phone number removed]"; span offsets refer to the original text."""
    spans = find_contact_details(text, regions=regions)
    pieces: list[str] = []
    position = 0
    for span in spans:
        pieces.append(text[position : span.start])
        pieces.append(PLACEHOLDERS[span.kind])
        position = span.end
    pieces.append(text[position:])
    return ScrubResult(text="".join(pieces), spans=spans)


def _merge_same_kind(text: str, spans: list[Span]) -> list[Span]:
    """Overlapping findings of one kind (the same number read for several regions) become one."""
    merged: list[tuple[str, int, int]] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and span.start < merged[-1][2]:
            kind, start, end = merged[-1]
            merged[-1] = (kind, start, max(end, span.end))
            continue
        merged.append((span.kind, span.start, span.end))
    return [Span(kind, start, end, text[start:end]) for kind, start, end in merged]


def _resolve_overlaps(text: str, spans: list[Span]) -> list[Span]:
    # Longest first; a later span that overlaps a kept one widens it rather than being
    # dropped, so nothing found is ever left in the text.
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), KIND_ORDER[s.kind], s.start)):
        overlapping = [k for k in kept if span.start < k.end and k.start < span.end]
        if not overlapping:
            kept.append(span)
            continue
        for k in overlapping:
            kept.remove(k)
        start = min([span.start, *(k.start for k in overlapping)])
        end = max([span.end, *(k.end for k in overlapping)])
        winner = overlapping[0]
        kept.append(Span(winner.kind, start, end, ""))
    return sorted((Span(s.kind, s.start, s.end, text[s.start : s.end]) for s in kept), key=lambda s: s.start)


# --- command line ------------------------------------------------------------------------


def cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m askdesk.nlp scrub",
        description="Read one text per line on stdin; print one JSON object per line with the "
        "scrubbed text and the spans found (kind, start, end in the original line).",
    )
    parser.add_argument(
        "--regions",
        default=",".join(DEFAULT_REGIONS),
        help="comma-separated ISO region codes whose national phone formats are read",
    )
    args = parser.parse_args(argv)
    regions = [r.strip().upper() for r in args.regions.split(",") if r.strip()]
    unknown = [r for r in regions if r not in phonenumbers.SUPPORTED_REGIONS]
    if unknown:
        parser.error(f"unknown region(s): {', '.join(unknown)}")
    for line in sys.stdin:
        item = line.rstrip("\n").rstrip("\r")
        result = scrub(item, regions=regions)
        out = {
            "text": result.text,
            "spans": [{"kind": s.kind, "start": s.start, "end": s.end} for s in result.spans],
        }
        sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    return 0
