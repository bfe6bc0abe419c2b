"""Capitals for lower-cased, tokenised story text.

The statistical truecaser of the ``truecase`` package (unigram, bigram and trigram counts of
casings in English text, shipped inside the package) chooses each word's form from its
neighbours. Its counts are sparse and carry three habits that news text does not share, so
:func:`truecase` adds what the counts can say at a coarser grain:

* **headline capitals**: all-capital forms ("TORRENTIAL") are kept only for words that are
  written that way most of the time (acronyms);
* **sentence starts**: the first word is chosen as a mid-sentence word would be, and is
  capitalised afterwards, so that "the river peaked" does not pick "River" after "The";
* **unknown words**: a number-led token ("2am", "£14m") keeps its letters; a British
  spelling, plural or compound of a known word takes that word's casing; otherwise the
  word's ending decides, learnt from the rare words of the counts (rare words are mostly
  names, as unknown words are): "quadcopters" ends as common nouns do, "Zahedi" as names
  do;
* **how often a word stands inside names**: the share of its mid-sentence uses that are
  capitalised (uses after a sentence end are left out of the count). It drives three
  sequence rules: the words of a title before a person's name take capitals together
  ("US Secretary of State Antony Blinken", "Brig Gen Mohammad Reza Zahedi"); an acronym
  followed by a word that often stands in names, with no article before it and the
  phrase ending there, is one name ("CBS News"); and two common words of one compound
  agree ("the Syrian defence ministry", not "defence Ministry").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from truecase.TrueCaser import TrueCaser

# Tokens that end a sentence in the counts: the word after them was capitalised because
# it started a sentence, so those uses say nothing about the word itself.
_SENTENCE_ENDS = (".", "?", "!", "''", '"', ":", ";", "``", "'")
# A word whose mid-sentence uses are capitalised at least this often can stand in a title
# before a name ("state" in "Secretary of State": 0.32); "capital" (0.20) cannot.
TITLE_SHARE = 0.30
# ... and a title needs one word that is capitalised most of the time ("Secretary": 0.82).
TITLE_HEAD_SHARE = 0.50
# A word after an acronym ends an organisation's name when it is capitalised this often
# mid-sentence ("news": 0.18); "officials" (0.01) and "forces" (0.12) are not.
NAME_PART_SHARE = 0.15
# Two common words of a compound are both capitalised when the geometric mean of their
# shares reaches this.
COMPOUND_SHARE = 0.50
# A word capitalised this often mid-sentence is a name ("Wednesday"), never part of a compound.
NAME_SHARE = 0.90
# An unknown word is a common word when rare words with its ending are lower case this often.
COMMON_ENDING_SHARE = 0.85
MIN_ENDING_EXAMPLES = 10
RARE_WORD_COUNT = 3
MIN_PLURAL_LENGTH = 6
# Determiners before an acronym make it a modifier ("the US city"), not a name's first word.
_ARTICLES = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "our", "your", "'s"}
_LINKS = {"of"}
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]+")
_BRITISH = ((r"is(e|es|ed|ing|er|ers|ation|ations)$", r"iz\1"), (r"our(s?)$", r"or\1"), (r"tre(s?)$", r"ter\1"))


class Casing:
    """The truecaser's counts with the statistics the sequence rules read."""

    def __init__(self) -> None:
        from truecase.TrueCaser import TrueCaser

        class _MidSentence(TrueCaser):  # type: ignore[misc]
            def first_token_case(self, raw: str) -> str:
                return raw  # capitalised later, after the next word has been chosen

        self.caser: TrueCaser = _MidSentence()
        self.counts: Counter[str] = self.caser.uni_dist
        self.lookup: dict[str, set[str]] = self.caser.word_casing_lookup
        self._headline_only: set[str] = set()
        self._drop_headline_forms()
        self._endings = self._learn_endings()
        self._shares: dict[str, float] = {}

    def _drop_headline_forms(self) -> None:
        for word, forms in self.lookup.items():
            if len(forms) < 2:
                continue
            ordinary = {f for f in forms if f == word or f == word[:1].upper() + word[1:]}
            if not ordinary:
                continue
            shouty = forms - ordinary
            rare = sum(self.counts[f] for f in forms) <= RARE_WORD_COUNT
            if word not in forms and rare and any(f.isupper() for f in shouty):
                self._headline_only.add(word)
            best_ordinary = max(self.counts[f] for f in ordinary)
            forms.difference_update([f for f in shouty if self.counts[f] < best_ordinary])

    def _learn_endings(self) -> dict[str, tuple[int, int]]:
        """(lower-case, capitalised) counts of rare words by their last 2 to 4 letters."""
        endings: dict[str, list[int]] = {}
        for word, forms in self.lookup.items():
            if not word.isalpha() or sum(self.counts[f] for f in forms) > RARE_WORD_COUNT:
                continue
            name = all(f[:1].isupper() for f in forms)
            for size in (2, 3, 4):
                if len(word) > size:
                    endings.setdefault(word[-size:], [0, 0])[int(name)] += 1
        return {ending: (low, cap) for ending, (low, cap) in endings.items()}

    def capital_share(self, word: str) -> float:
        """How often ``word`` is capitalised where a sentence start does not force it (0 if unknown)."""
        word = word.lower()
        if word in self._shares:
            return self._shares[word]
        forms = self.lookup.get(word, set())
        backward = self.caser.backward_bi_dist
        capital = total = 0.0
        for form in forms:
            starts = sum(backward[end + "_" + form] for end in _SENTENCE_ENDS)
            uses = max(self.counts[form] - starts, 0)
            total += uses
            if form[:1].isupper():
                capital += uses
        share = capital / total if total else (1.0 if forms else 0.0)
        self._shares[word] = share
        return share

    def only_in_headlines(self, word: str) -> bool:
        """A rare word never seen in lower case but in capitals ("TORRENTIAL"): as good as unknown."""
        return word.lower() in self._headline_only

    def is_known(self, word: str) -> bool:
        return word.lower() in self.lookup

    def has_lower_form(self, word: str) -> bool:
        return word.lower() in self.lookup.get(word.lower(), set())

    def common_unknown(self, word: str) -> bool | None:
        """For an unknown word: True if it reads as a common word, False as a name, None if it cannot tell."""
        for variant in _variants(word):
            if variant in self.lookup:
                return self.has_lower_form(variant) and self.capital_share(variant) < TITLE_HEAD_SHARE
        for size in (4, 3, 2):
            low, cap = self._endings.get(word[-size:], (0, 0))
            if len(word) > size and low + cap >= MIN_ENDING_EXAMPLES:
                return low / (low + cap) >= COMMON_ENDING_SHARE
        return None


def _variants(word: str) -> list[str]:
    """Known-word candidates for an unknown word: American spelling, singular, and both."""
    spellings = [word] + [re.sub(pattern, repl, word) for pattern, repl in _BRITISH if re.search(pattern, word)]
    out: list[str] = []
    for spelling in spellings:
        if spelling != word:
            out.append(spelling)
        for suffix, replacement in (("ies", "y"), ("es", ""), ("s", "")):
            # Short unknown words ending in -s are names more often than plurals ("fars", not "far").
            if spelling.endswith(suffix) and not spelling.endswith("ss") and len(spelling) >= MIN_PLURAL_LENGTH:
                out.append(spelling[: -len(suffix)] + replacement)
    return out


@lru_cache(maxsize=1)
def casing() -> Casing:
    """The shared casing statistics (loaded once per process: about 3 seconds)."""
    return Casing()


def _is_word(token: str) -> bool:
    return token[:1].isalpha()


def _capitalised(token: str) -> str:
    return token[:1].upper() + token[1:]


def _is_name(token: str, model: Casing) -> bool:
    """A capitalised word that is no common word: unknown, or written with a capital nearly always."""
    if not token[:1].isupper() or _ACRONYM.fullmatch(token):
        return False
    return not model.is_known(token) or not model.has_lower_form(token)


# A word straight after one of these, with no article between, is a place or a name: "in millfield".
_PLACE_PREPOSITIONS = {"in", "at", "near", "from", "of", "into", "outside", "around", "across", "towards", "via"}


def names_in_story(sentences: Sequence[Sequence[str]]) -> frozenset[str]:
    """Unknown words that the story itself uses as names: straight after a preposition, singular.

    "residents in millfield": a common noun would need an article there, so a word that the
    counts do not know and that stands bare after a preposition anywhere in the story is
    taken for a name in every sentence, even where its spelling alone would say otherwise
    (a compound of known words such as "mill" and "field").
    """
    model = casing()
    names: set[str] = set()
    for tokens in sentences:
        lowered = [t.lower() for t in tokens]
        for before, word in pairwise(lowered):
            bare = before in _PLACE_PREPOSITIONS and word.isalpha() and not word.endswith("s")
            if bare and not model.is_known(word) and model.common_unknown(word) is not True:
                names.add(word)
    return frozenset(names)


def truecase(tokens: Sequence[str], names: frozenset[str] = frozenset()) -> list[str]:
    """Capitals for one sentence of lower-case tokens (punctuation as separate tokens).

    ``names`` are words the story uses as names elsewhere (:func:`names_in_story`).
    """
    model = casing()
    tokens = [t.lower() for t in tokens]
    cased: list[str] = list(model.caser.get_true_case_from_tokens(tokens, out_of_vocabulary_token_option="as-is"))
    for index, token in enumerate(tokens):
        if token[:1].isdigit():
            cased[index] = token
        elif "-" in token and not model.is_known(token):
            cased[index] = "-".join(_dominant_form(part, model) for part in token.split("-"))
        elif token.isalpha() and (not model.is_known(token) or model.only_in_headlines(token)):
            if token in names or (index > 0 and _is_name(cased[index - 1], model)):
                cased[index] = _capitalised(token)  # also a name's next word: "richard ashdown"
            elif _is_compound_of_known_words(token, model):
                cased[index] = token  # "airbase", "deescalate"
            else:
                cased[index] = token if model.common_unknown(token) else _capitalised(token)
        elif _is_word(token) and not model.is_known(token):
            cased[index] = token.title()  # "a&e", "o'brien": letters joined by signs are names
    _the_us(tokens, cased)
    _compounds_agree(cased, model)
    _lone_capitals(cased, model)
    _titles_before_names(cased, model)
    _acronym_names(cased, model)
    _acronyms_in_brackets(tokens, cased, model)
    return cased


def _compounds_agree(cased: list[str], model: Casing) -> None:
    """A lower-case common word followed by a capitalised one: one compound, one casing."""
    for index in range(1, len(cased) - 1):
        left, right = cased[index], cased[index + 1]
        if not (left.isalpha() and right.isalpha() and left.islower() and right[:1].isupper()):
            continue
        if not (model.is_known(left) and model.has_lower_form(right) and not right.isupper()):
            continue
        if is_function_word(left) or model.capital_share(left) == 0 or model.capital_share(right) >= NAME_SHARE:
            continue
        together = (model.capital_share(left) * model.capital_share(right)) ** 0.5
        if together >= COMPOUND_SHARE:
            cased[index] = _capitalised(left)
        else:
            cased[index + 1] = right.lower()


def _lone_capitals(cased: list[str], model: Casing) -> None:
    """ "a flooded Lane", "to the Council": a common word capitalised alone after a lower-case word.

    A capital inside a sentence marks a name; a word that is often written in lower case and
    stands alone (no capitalised word next to it) after an article or a lower-case content
    word is that common word. After a preposition it may be a date or a place ("in March").
    """
    for index in range(1, len(cased)):
        word, before = cased[index], cased[index - 1]
        after = cased[index + 1] if index + 1 < len(cased) else ""
        if not (word.isalpha() and word[:1].isupper() and not word.isupper() and model.has_lower_form(word)):
            continue
        if not (before.isalpha() and before.islower()) or after[:1].isupper():
            continue
        if after == "of" and index + 2 < len(cased) and cased[index + 2][:1].isupper():
            continue  # "the Bank of England"
        if is_function_word(before) and before not in _ARTICLES:
            continue
        if model.capital_share(word) < NAME_SHARE:
            cased[index] = word.lower()


def _titles_before_names(cased: list[str], model: Casing) -> None:
    """ "secretary of state antony blinken": the words of a title before a name take capitals."""
    for start in range(1, len(cased)):
        if not (_is_name(cased[start], model) and not _is_name(cased[start - 1], model)):
            continue
        run: list[int] = []
        abbreviated = False
        index = start - 1
        while index >= 0:
            word = cased[index]
            if not _is_word(word):
                break
            lower = word.lower()
            linked = lower in _LINKS and bool(run) and index > 0 and _is_title_word(cased[index - 1], model)
            if linked or _is_title_word(word, model) or _ACRONYM.fullmatch(word):
                run.append(index)
            elif _is_abbreviation(word, model) and _is_short_capital(cased[index + 1]):
                run.append(index)  # "brig" before "Gen": an abbreviated rank
                abbreviated = True
            else:
                break
            index -= 1
        heads = [i for i in run if cased[i].lower() not in _LINKS]
        if abbreviated or any(model.capital_share(cased[i]) >= TITLE_HEAD_SHARE for i in heads):
            for i in run:
                if cased[i].lower() not in _LINKS and not _ACRONYM.fullmatch(cased[i]):
                    cased[i] = _capitalised(cased[i])


def _is_short_capital(word: str) -> bool:
    return word.isalpha() and len(word) <= 4 and word[:1].isupper() and not word.isupper()


def _is_title_word(word: str, model: Casing) -> bool:
    return word.isalpha() and model.is_known(word) and model.capital_share(word) >= TITLE_SHARE


def _is_abbreviation(word: str, model: Casing) -> bool:
    """A short word that is rare as a word of its own: in a title it abbreviates one ("brig", "lt")."""
    forms = model.lookup.get(word.lower(), set())
    return word.isalpha() and len(word) <= 4 and sum(model.counts[f] for f in forms) < 2 * MIN_ENDING_EXAMPLES


def _acronym_names(cased: list[str], model: Casing) -> None:
    """ "told bbc news the attack": an acronym and a name-like word ending the phrase are one name."""
    for index in range(len(cased) - 1):
        acronym, word = cased[index], cased[index + 1]
        if not (_ACRONYM.fullmatch(acronym) and word.isalpha() and word.islower()):
            continue
        before = cased[index - 1].lower() if index > 0 else ""
        after = cased[index + 2] if index + 2 < len(cased) else "."
        if before in _ARTICLES or before.endswith("'s"):
            continue
        if _is_word(after) and not is_function_word(after):
            continue  # the phrase goes on: "nato nuclear forces"
        if model.capital_share(word) >= NAME_PART_SHARE:
            cased[index + 1] = _capitalised(word)


@lru_cache(maxsize=1)
def _function_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def is_function_word(token: str) -> bool:
    return token.lower() in _function_words()


# Lower-cased "us" is the pronoun unless it reads as the country: "the us", "us officials".
US_NOUNS = {
    "administration", "ally", "allies", "army", "congress", "defence", "defense", "diplomats", "election",
    "embassy", "envoy", "forces", "government", "intelligence", "military", "navy", "officials", "president",
    "sanctions", "secretary", "senate", "state", "troops",
}  # fmt: skip


def _the_us(tokens: Sequence[str], cased: list[str]) -> None:
    for index in range(1, len(tokens) - 1):
        if tokens[index] == "us" and (tokens[index - 1] == "the" or tokens[index + 1] in US_NOUNS):
            cased[index] = "US"


def _dominant_form(word: str, model: Casing) -> str:
    forms = model.lookup.get(word)
    if not forms:
        return word
    return max(sorted(forms), key=lambda form: model.counts[form])


def _acronyms_in_brackets(tokens: Sequence[str], cased: list[str], model: Casing) -> None:
    """ "monetary policy committee ( mpc )": the acronym in capitals, the name it shortens too.

    A short word alone in brackets is an acronym when the counts do not know it or know it
    in capitals. The words just before the bracket whose initials spell it (a word that is
    an acronym itself gives all its letters: "uk health security agency ( ukhsa )";
    possessive marks are skipped: "rail workers ' union ( rwu )") are a proper name.
    """
    for index in range(1, len(tokens) - 1):
        token = tokens[index]
        if (
            tokens[index - 1] != "("
            or tokens[index + 1] not in {")", "),"}
            or not token.isalpha()
            or not 2 <= len(token) <= 6
        ):
            continue
        if model.is_known(token) and not any(f.isupper() for f in model.lookup[token]):
            continue
        cased[index] = token.upper()
        letters, at = token, index - 2
        words: list[int] = []
        while letters and at >= 0:
            word = tokens[at]
            if word in {"'", "'s"}:
                at -= 1
                continue
            if not word.isalpha():
                break
            piece = word if word.upper() in model.lookup.get(word, ()) else word[0]
            if not letters.endswith(piece):
                break
            letters, words, at = letters[: -len(piece)], [*words, at], at - 1
        if not letters:
            for at in words:
                if not cased[at].isupper():
                    cased[at] = _capitalised(tokens[at])


def _is_compound_of_known_words(word: str, model: Casing) -> bool:
    """ "airbase", "deescalate": an unknown word made of known lower-case words is no name."""
    for cut in range(2, len(word) - 3):
        left, right = word[:cut], word[cut:].rstrip("s")
        if left in model.lookup.get(left, ()) and right in model.lookup.get(right, ()):
            return True
    return False


def is_name(word: str) -> bool:
    """A word that the counts know only with a capital ("israel", "tehran")."""
    model = casing()
    return model.is_known(word) and not model.has_lower_form(word)
