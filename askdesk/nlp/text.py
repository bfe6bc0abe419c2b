"""Story text: turn a story file into readable sentences, and find its call-out.

Stories reach us in three forms:

* tokenised and lower-cased, as news corpora ship them (``iran ' s consulate ( iaea )``);
* plain prose, optionally with a title line followed by a blank line;
* an HTML article page, whose main text is extracted with trafilatura.

Every form comes out as paragraphs of readable sentences (detokenised with the Moses
detokeniser, capitals restored by :mod:`askdesk.nlp.casing`, typographic quotes and
dashes in place of typewriter ones) and, when the text
ends with a reader call-out ("what do you want to understand better about ...?"), that
call-out is returned apart from the story body.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from askdesk.nlp.casing import is_function_word, is_name, names_in_story, truecase

if TYPE_CHECKING:
    from sacremoses import MosesDetokenizer

CALLOUT_OPENING = re.compile(r"what do you want to (?:understand|know) (?:better )?about\s+(?P<subject>.+?)\s*\?", re.I)
# Sentences of a call-out paragraph after its prompt: they name experts, publication,
# contact details, terms. A paragraph counts as a call-out only if one of them follows.
CALLOUT_MARKERS = re.compile(
    r"experts? will be answering|question (?:may|will) be published|contact details|terms\s*(?:&|and)\s*conditions",
    re.I,
)
SENTENCE_END_TOKENS = {".", "?", "!"}
CLOSERS = {'"', "'", ")"}
# Tokenised corpora split "semi-official" into "semi - official"; a spaced hyphen is a dash
# when the left part is a number or one of these word-forming prefixes (see _joins_with_hyphen).
HYPHEN_PREFIXES = {
    "anti",
    "co",
    "counter",
    "cross",
    "ex",
    "half",
    "inter",
    "mid",
    "multi",
    "non",
    "post",
    "pre",
    "pro",
    "re",
    "self",
    "semi",
    "sub",
    "super",
    "trans",
    "ultra",
    "well",
}
# Tokenised stories come as one block; news paragraphs run to about two sentences.
SENTENCES_PER_PARAGRAPH = 2
HTML_START = re.compile(r"^\s*(?:<!doctype html|<html|<head|<body|<article|<div|<p[\s>])", re.I)
MAX_TITLE_LENGTH = 200


@dataclass(frozen=True)
class Callout:
    """A reader call-out found at the end of a story."""

    prompt: str
    subject: str
    sentences: list[str]


@dataclass(frozen=True)
class StoryText:
    """A story ready to show: title, paragraphs of sentences, and its call-out if any."""

    title: str
    paragraphs: list[list[str]]
    callout: Callout | None = None
    source_format: str = "prose"
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def sentences(self) -> list[str]:
        return [sentence for paragraph in self.paragraphs for sentence in paragraph]


@lru_cache(maxsize=1)
def _detokenizer() -> MosesDetokenizer:
    from sacremoses import MosesDetokenizer

    return MosesDetokenizer(lang="en")


def is_tokenised(text: str) -> bool:
    """True for corpus-style text: lower-cased with punctuation split off by spaces."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    upper_share = sum(c.isupper() for c in letters) / len(letters)
    spaced_punct = len(re.findall(r" [,.?!] ", text))
    return upper_share < 0.01 and spaced_punct >= max(1, len(text) // 400)


def split_tokens(text: str) -> list[str]:
    """Whitespace tokens, with closing punctuation glued to a quote split off (``".`` -> ``"`` ``.``)."""
    tokens: list[str] = []
    for raw in text.split():
        match = re.fullmatch(r"([\"')\]]+)([.,;:?!]+)", raw)
        if match:
            tokens.extend([match.group(1), match.group(2)])
        else:
            tokens.append(raw)
    return tokens


def split_token_sentences(tokens: list[str]) -> list[list[str]]:
    """Cut a token stream after sentence-final punctuation (and any closing quote after it).

    A double quote after a full stop closes the sentence only while a quotation is open in
    it; otherwise it opens the next sentence (`. " the defences did ...`).
    """
    sentences: list[list[str]] = []
    current: list[str] = []
    for index, token in enumerate(tokens):
        quote_open = current.count('"') % 2 == 1
        current.append(token)
        next_token = tokens[index + 1] if index + 1 < len(tokens) else ""
        next_closes = current.count('"') % 2 == 1 if next_token == '"' else next_token in CLOSERS
        ends_here = token in SENTENCE_END_TOKENS and not next_closes
        closes_ended = (
            token in CLOSERS
            and len(current) > 1
            and current[-2] in SENTENCE_END_TOKENS
            and (token != '"' or quote_open)
        )
        if ends_here or closes_ended:
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    return sentences


def _joins_with_hyphen(left: str, right: str) -> bool:
    """Whether "left - right" in tokenised text was a hyphenated word rather than a dash."""
    if not right[:1].isalnum():
        return False
    if left[:1].isdigit() or left.lower() in HYPHEN_PREFIXES:
        return True  # "81 - year", "semi - official"
    if not (left.isalpha() and right.isalpha()) or is_function_word(left) or is_function_word(right):
        return False  # "israel - most of which": a dash before a new clause
    return not is_name(left)  # "worst - hit"; a name before a dash ends its clause


def _merge_split_words(tokens: list[str]) -> list[str]:
    merged: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        nxt = tokens[index + 1] if index + 1 < len(tokens) else None
        after = tokens[index + 2] if index + 2 < len(tokens) else None
        if token == "'" and nxt in {"s", "t", "re", "ve", "ll", "d", "m"} and merged:
            merged.append("'" + nxt)  # possessive / contraction: "iran ' s" -> "iran 's"
            index += 2
            continue
        if token == "-" and after is not None and merged and nxt is not None:
            left = merged[-1].rsplit("-", 1)[-1]
            if _joins_with_hyphen(left, nxt) and merged[-1][-1:].isalnum():
                merged[-1] = f"{merged[-1]}-{nxt}"  # chains too: "81 - year - old"
                index += 2
                continue
        merged.append(token)
        index += 1
    return merged


def truecase_tokens(tokens: list[str], names: frozenset[str] = frozenset()) -> list[str]:
    """Restore capitals (see :mod:`askdesk.nlp.casing`), then capitalise the first word."""
    cased = truecase(tokens, names)
    for index, token in enumerate(cased):
        if token[:1].isalpha():
            cased[index] = token[:1].upper() + token[1:]
            break
    return cased


def typographic(text: str) -> str:
    """Typographic quotes, apostrophes and dashes in place of the typewriter ones.

    A quote mark opens at the start or after a space or bracket and closes elsewhere; an
    apostrophe inside or at the end of a word is ’; a hyphen with spaces on both sides (or
    a double hyphen) is a spaced en dash.
    """
    text = re.sub(r"\s+--?\s+", " – ", text)
    text = re.sub(r'(^|[\s(\[{–—])"', "\\1“", text)
    text = text.replace('"', "”")
    text = re.sub(r"(^|[\s(\[{–—“])'(?=\w)", "\\1‘", text)
    return text.replace("'", "’")


def restore_sentence(tokens: list[str], names: frozenset[str] = frozenset()) -> str:
    """A tokenised, lower-cased sentence as readable prose."""
    words = truecase_tokens(_merge_split_words(tokens), names)
    text = _detokenizer().detokenize(words)
    # Moses leaves a space before a closing quote that is followed by punctuation.
    text = re.sub(r'"\s*([^"]*?)\s*"', lambda m: f'"{m.group(1)}"', text)
    return typographic(re.sub(r"\s+([.,;:?!])", r"\1", text))


def split_prose_sentences(paragraph: str) -> list[str]:
    """Sentences of one paragraph of ordinary prose."""
    import pysbd

    segmenter = pysbd.Segmenter(language="en", clean=False)
    return [s.strip() for s in segmenter.segment(" ".join(paragraph.split())) if s.strip()]


def extract_html(html: str) -> tuple[str, str]:
    """Title and main text (paragraphs separated by blank lines) of an article page."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False, favor_precision=True) or ""
    metadata = trafilatura.extract_metadata(html)
    title = (metadata.title if metadata and metadata.title else "") or ""
    paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
    return title.strip(), "\n\n".join(paragraphs)


def _find_callout(paragraphs: list[list[str]]) -> tuple[list[list[str]], Callout | None]:
    """Cut the call-out (the prompt and the sentences after it) off the end of the story."""
    sentences = [(p, s, text) for p, para in enumerate(paragraphs) for s, text in enumerate(para)]
    for position in range(len(sentences) - 1, -1, -1):
        p, s, text = sentences[position]
        match = CALLOUT_OPENING.search(text)
        if not match:
            continue
        rest = [t for _, _, t in sentences[position + 1 :]]
        if rest and not any(CALLOUT_MARKERS.search(t) for t in rest):
            return paragraphs, None
        body = [list(para) for para in paragraphs[:p]]
        if s > 0:
            body.append(list(paragraphs[p][:s]))
        prompt = text[: match.end()].strip()
        prompt = prompt[:1].upper() + prompt[1:]
        return body, Callout(prompt=prompt, subject=match.group("subject"), sentences=rest)
    return paragraphs, None


def _title_from(callout: Callout | None, paragraphs: list[list[str]]) -> str:
    if callout is not None:
        subject = re.sub(r"^(the|a|an)\s+", "", callout.subject, flags=re.I)
        return subject[:1].upper() + subject[1:]
    first = paragraphs[0][0] if paragraphs and paragraphs[0] else "Untitled story"
    return first if len(first) <= 90 else first[:87].rsplit(" ", 1)[0] + "…"


def read_story(raw: str, *, title: str | None = None) -> StoryText:
    """Read a story in any supported form into title, paragraphs and call-out."""
    if not raw.strip():
        raise ValueError("The story is empty.")
    source_format = "prose"
    found_title = ""
    if HTML_START.match(raw):
        source_format = "html"
        found_title, raw = extract_html(raw)
        if not raw.strip():
            raise ValueError("No article text was found in this HTML page.")
    if source_format != "html" and is_tokenised(raw):
        source_format = "tokenised"
        paragraphs: list[list[str]] = []
        token_blocks = [split_token_sentences(split_tokens(block)) for block in re.split(r"\n\s*\n", raw)]
        names = names_in_story([tokens for block in token_blocks for tokens in block])
        for block_tokens in token_blocks:
            sentences = [restore_sentence(tokens, names) for tokens in block_tokens]
            paragraphs.extend(
                sentences[start : start + SENTENCES_PER_PARAGRAPH]
                for start in range(0, len(sentences), SENTENCES_PER_PARAGRAPH)
            )
    else:
        blocks = [block.strip() for block in re.split(r"\n\s*\n", raw.strip()) if block.strip()]
        if source_format == "prose" and len(blocks) > 1:
            first = blocks[0]
            if "\n" not in first and len(first) <= MAX_TITLE_LENGTH and not re.search(r"[.!?]$", first):
                found_title, blocks = first.strip(), blocks[1:]
        paragraphs = [[typographic(s) for s in split_prose_sentences(block)] for block in blocks]
    paragraphs = [p for p in paragraphs if p]
    body, callout = _find_callout(paragraphs)
    if not any(body):
        raise ValueError("The story has no text apart from its call-out.")
    chosen = (title or found_title).strip() or _title_from(callout, body)
    return StoryText(title=chosen[:MAX_TITLE_LENGTH], paragraphs=body, callout=callout, source_format=source_format)


def cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m askdesk.nlp story", description="Read a story file.")
    parser.add_argument("file", help="story file: tokenised text, prose with a title line, or HTML")
    args = parser.parse_args(argv)
    with open(args.file, encoding="utf-8") as handle:
        story = read_story(handle.read())
    out = {
        "title": story.title,
        "format": story.source_format,
        "paragraphs": story.paragraphs,
        "callout": None
        if story.callout is None
        else {"prompt": story.callout.prompt, "sentences": story.callout.sentences},
    }
    sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
    return 0
