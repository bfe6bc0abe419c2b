"""Which language a reader wrote in: English, French, Spanish or German, by function words.

The embedding model is English-only, so a question in another language lands near other
questions in that language rather than near the same question in English. Grouping
therefore keeps each language apart, and the desk shows the language. The guess counts
function words (articles, pronouns, prepositions, question words), which is cheap and
right for whole questions; anything it cannot place is taken as English.
"""

from __future__ import annotations

import re
from functools import lru_cache

FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the a an is are was were will would can could do does did what why how when where who which "
        "of to in on for and or but my our your it this that there be have has with about any".split()
    ),
    "fr": frozenset(
        "le la les un une des est sont était sera pourquoi comment quand où qui que quoi quel quelle "
        "de du au aux et ou mais mon ma mes notre nos votre vos il elle ils elles nous vous je "
        "ce cette ces est-ce pour avec dans sur pas ne y a-t-il peut".split()
    ),
    "es": frozenset(
        "el la los las un una unos unas es son era será por qué cómo cuándo dónde quién cuál "
        "de del al y o pero mi mis nuestro nuestra su sus ellos ellas nosotros yo se con en para "
        "no hay puede puedo está están".split()
    ),
    "de": frozenset(
        "der die das den dem des ein eine einen einem ist sind war wird werden warum wie wann wo wer "
        "was welche welcher von zu im am und oder aber mein meine unser unsere ihr sie wir ich es "
        "mit für auf nicht gibt kann können noch".split()
    ),
}
DEFAULT_LANGUAGE = "en"
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@lru_cache(maxsize=100_000)
def detect_language(text: str) -> str:
    """ISO 639-1 code of the language ``text`` is most likely in (``en`` when unsure)."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return DEFAULT_LANGUAGE
    counts = {code: sum(w in vocabulary for w in words) for code, vocabulary in FUNCTION_WORDS.items()}
    best = max(counts, key=lambda code: (counts[code], code == DEFAULT_LANGUAGE))
    # Another language must beat English clearly: names and loan words are shared.
    if best != DEFAULT_LANGUAGE and counts[best] <= counts[DEFAULT_LANGUAGE]:
        return DEFAULT_LANGUAGE
    return best
