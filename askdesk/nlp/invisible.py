"""Invisible characters in what readers and staff type.

A question made only of zero-width spaces looks empty to everyone but passes a plain
``strip()``. :func:`strip_invisible` removes Unicode format characters (category Cf: zero-width
spaces, byte-order marks, direction marks and overrides, soft hyphens, invisible operators)
and a few "blank" letters that render as nothing, before any empty or length check.

The zero-width joiner and non-joiner are kept where they join two visible characters: Persian
spelling and emoji sequences need them there.
"""

from __future__ import annotations

import unicodedata

_JOINERS = {"\u200c", "\u200d"}
# Letters and symbols that render as blank space but are not whitespace to Python.
_BLANKS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}


def _invisible(char: str) -> bool:
    return char in _BLANKS or unicodedata.category(char) == "Cf"


def strip_invisible(text: str) -> str:
    """``text`` without invisible format characters (joiners kept only between visible characters)."""
    if text.isascii():
        return text
    kept: list[str] = []
    for index, char in enumerate(text):
        if not _invisible(char):
            kept.append(char)
            continue
        if char in _JOINERS and kept and 0 < index < len(text) - 1:
            before, after = kept[-1], text[index + 1]
            if not (before.isspace() or after.isspace() or _invisible(before) or _invisible(after)):
                kept.append(char)
    return "".join(kept)


def visible_strip(text: str) -> str:
    """``text`` without invisible characters and without surrounding whitespace."""
    return strip_invisible(text).strip()
