"""Evidence from the story: which sentences bear on a reader's question, and whether the
story already answers it.

Each story sentence gets a hybrid score: the cosine similarity of sentence embeddings
(meaning, paraphrase) plus a saturated BM25 term (exact names, numbers and rare words that
embeddings blur). The decision "the story answers this" is a logistic model on the best
sentence's two parts and on how many of the question's content words it contains,
calibrated on answer-selection dev sets (see ``bench/evidence.py --calibrate`` and the
evidence section of ``docs/benchmarks.md``). The decision is right about two times in
three on those sets: treat it as a hint for editors, not as a verdict.

Usage::

    index = StoryIndex.build(story.sentences, get_embedder())
    for item in index.evidence(["Were there any casualties?"]):
        item.answered, item.confidence, item.sentences[0].sentence
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from askdesk.nlp.embed import EMBEDDERS, Embedder, Vectors, get_embedder

if TYPE_CHECKING:
    from nltk.stem.porter import PorterStemmer

# Weight of the saturated BM25 part next to the cosine; chosen on WikiQA and TrecQA dev
# (a grid over 0..0.3: 0.2 was best on both, see docs/benchmarks.md).
LEXICAL_WEIGHT = 0.2
BM25_K1 = 1.2
BM25_B = 0.75

_WORD = re.compile(r"[a-z]{2,}|[0-9]+")
# Function words and question words: they match everywhere and would let "what did the"
# outweigh the content of a question in so small a collection as one story.
_STOP = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "been",
        "before",
        "being",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "during",
        "each",
        "few",
        "for",
        "from",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
    ]
)


@dataclass(frozen=True)
class Calibration:
    """Logistic model of P(the story answers the question) from its best sentence.

    Its inputs: the sentence's cosine, its saturated BM25, and its coverage, the share of
    the question's content words that the sentence contains.
    """

    intercept: float
    cosine: float
    lexical: float
    coverage: float

    def probability(self, cosine: float, lexical: float, coverage: float) -> float:
        z = self.intercept + self.cosine * cosine + self.lexical * lexical + self.coverage * coverage
        return 1.0 / (1.0 + math.exp(-z))


# Fitted by ``bench/evidence.py --calibrate`` on WikiQA dev + TrecQA dev: every question
# against its full candidate set (answered) and against the set with its correct
# sentences removed (not answered). Keyed by embedder name prefix: cosine scales differ
# between models, so each family has its own fit (the int8 ONNX runtime of MiniLM shares
# the plain model's, its vectors agreeing to a cosine of 0.99).
CALIBRATIONS: dict[str, Calibration] = {
    "all-MiniLM-L6-v2": Calibration(intercept=-3.514, cosine=3.895, lexical=0.302, coverage=1.479),
    "hashing": Calibration(intercept=-1.501, cosine=0.221, lexical=0.677, coverage=2.003),
}


def calibration_for(embedder_name: str) -> Calibration:
    """The calibration for an embedder (matched by name prefix; MiniLM's if none matches)."""
    for prefix, calibration in CALIBRATIONS.items():
        if embedder_name.startswith(prefix):
            return calibration
    return CALIBRATIONS["all-MiniLM-L6-v2"]


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    return str(_stemmer().stem(word))


@lru_cache(maxsize=1)
def _stemmer() -> PorterStemmer:
    from nltk.stem.porter import PorterStemmer

    return PorterStemmer()


def terms(text: str) -> list[str]:
    """Stemmed content words of a text, for the lexical part of the score."""
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP]


class BM25:
    """Okapi BM25 over a small collection (the sentences of one story)."""

    def __init__(self, documents: Sequence[Sequence[str]], k1: float = BM25_K1, b: float = BM25_B) -> None:
        self.vocabulary: dict[str, int] = {}
        for document in documents:
            for term in document:
                self.vocabulary.setdefault(term, len(self.vocabulary))
        n_docs = len(documents)
        lengths = np.array([len(d) for d in documents], dtype=np.float64)
        average = float(lengths.mean()) if n_docs and lengths.mean() > 0 else 1.0
        tf = np.zeros((n_docs, len(self.vocabulary)), dtype=np.float64)
        for row, document in enumerate(documents):
            for term, count in Counter(document).items():
                tf[row, self.vocabulary[term]] = count
        df = (tf > 0).sum(axis=0)
        idf = np.log1p((n_docs - df + 0.5) / (df + 0.5))
        norm = k1 * (1.0 - b + b * lengths / average)
        # One weight per (document, term): a query's score is a sum of columns.
        self.weights = (idf * tf * (k1 + 1.0) / (tf + norm[:, None])).astype(np.float32)

    def scores(self, query: Sequence[str]) -> npt.NDArray[np.float32]:
        """BM25 of every document for a query (each distinct query term counted once)."""
        columns = sorted({self.vocabulary[t] for t in query if t in self.vocabulary})
        if not columns:
            return np.zeros(self.weights.shape[0], dtype=np.float32)
        return np.asarray(self.weights[:, columns].sum(axis=1), dtype=np.float32)


@dataclass(frozen=True)
class Scored:
    """A story sentence (its position in the story) with its score for one question."""

    index: int
    sentence: str
    score: float


# The answered decision in three levels, from the calibrated confidence. "yes" where the
# call-out stories showed precision >= 0.90; "maybe" down to where three in four answered
# questions are reached; "no" below. Chosen by ``bench/callouts.py --fit`` on the four
# call-out stories; held-out figures in docs/benchmarks.md.
YES_AT = 0.51
MAYBE_AT = 0.27

YES, MAYBE, NO = "yes", "maybe", "no"


def verdict_for(confidence: float) -> str:
    """ "yes", "maybe" or "no": does the story answer the question, by the calibrated confidence."""
    if confidence >= YES_AT:
        return YES
    return MAYBE if confidence >= MAYBE_AT else NO


@dataclass(frozen=True)
class Evidence:
    """The sentences that bear on a question, best first, and whether they answer it.

    ``verdict`` is "yes", "maybe" or "no"; ``answered`` is True only for "yes".
    """

    question: str
    answered: bool
    confidence: float
    sentences: list[Scored]
    verdict: str = NO


class StoryIndex:
    """A story's sentences with their vectors and term weights, built once per story."""

    def __init__(self, sentences: Sequence[str], vectors: Vectors, embedder: Embedder) -> None:
        if not sentences:
            raise ValueError("The story has no sentences.")
        if vectors.shape != (len(sentences), embedder.dim):
            raise ValueError(f"Expected {len(sentences)} vectors of dimension {embedder.dim}, got {vectors.shape}.")
        self.sentences = list(sentences)
        self.vectors = vectors
        self.embedder = embedder
        self.calibration = calibration_for(embedder.name)
        sentence_terms = [terms(s) for s in self.sentences]
        self.term_sets = [frozenset(t) for t in sentence_terms]
        self.bm25 = BM25(sentence_terms)

    @classmethod
    def build(cls, sentences: Sequence[str], embedder: Embedder) -> StoryIndex:
        """Embed the story's sentences and index their terms."""
        return cls(sentences, embedder.embed(list(sentences)), embedder)

    def score_matrix(
        self, questions: Sequence[str], vectors: Vectors | None = None
    ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        """Cosine and saturated-BM25 parts, one row per question, one column per sentence."""
        for question in questions:
            if not question.strip():
                raise ValueError("A question is empty.")
        if vectors is None:
            vectors = self.embedder.embed(list(questions))
        cosine = (vectors @ self.vectors.T).astype(np.float32)
        raw = np.stack([self.bm25.scores(terms(q)) for q in questions]) if questions else cosine * 0.0
        # Saturated so that one long keyword match cannot outweigh meaning without bound.
        lexical = (raw / (1.0 + raw)).astype(np.float32)
        return cosine, lexical

    def coverage(self, question: str, index: int) -> float:
        """Share of the question's distinct content words found in sentence ``index``."""
        wanted = set(terms(question))
        return len(wanted & self.term_sets[index]) / len(wanted) if wanted else 0.0

    def evidence(self, questions: Sequence[str], top_k: int = 3, vectors: Vectors | None = None) -> list[Evidence]:
        """For each question, its ``top_k`` best sentences and the answered decision.

        ``vectors`` may hold the questions' embeddings from this index's embedder, when
        they were computed already (for grouping, say).
        """
        if top_k < 1:
            raise ValueError("top_k must be at least 1.")
        cosine, lexical = self.score_matrix(questions, vectors)
        combined = cosine + LEXICAL_WEIGHT * lexical
        out: list[Evidence] = []
        for row, question in enumerate(questions):
            # Stable sort on the negated score: ties keep story order.
            order = np.argsort(-combined[row], kind="stable")[:top_k]
            best = int(order[0])
            confidence = self.calibration.probability(
                float(cosine[row, best]), float(lexical[row, best]), self.coverage(question, best)
            )
            picked = [Scored(int(i), self.sentences[int(i)], float(combined[row, i])) for i in order]
            verdict = verdict_for(confidence)
            out.append(Evidence(question, verdict == YES, confidence, picked, verdict))
        return out


CLI_CHUNK = 512


def _chunks(items: Iterable[str], size: int) -> Iterator[list[str]]:
    chunk: list[str] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m askdesk.nlp evidence",
        description="For each question on stdin (one per line), the story sentences that answer it. "
        "Blank lines are skipped.",
    )
    parser.add_argument("story", help="story file: tokenised text, prose with a title line, or HTML")
    parser.add_argument("--embedder", choices=EMBEDDERS, default="minilm")
    parser.add_argument("--top-k", type=int, default=3)
    args = parser.parse_args(argv)
    if args.top_k < 1:
        parser.error("--top-k must be at least 1")

    from askdesk.nlp.text import read_story

    try:
        with open(args.story, encoding="utf-8") as handle:
            story = read_story(handle.read())
    except (OSError, UnicodeDecodeError, ValueError) as error:
        print(f"evidence: cannot read the story {args.story!r}: {error}", file=sys.stderr)
        return 2
    index: StoryIndex | None = None
    # Questions are read in chunks, so a long stream starts answering early and holds
    # only one chunk of vectors at a time.
    for chunk in _chunks((line.strip() for line in sys.stdin), CLI_CHUNK):
        questions = [q for q in chunk if q]
        if not questions:
            continue
        if index is None:
            index = StoryIndex.build(story.sentences, get_embedder(args.embedder))
        for item in index.evidence(questions, top_k=args.top_k):
            record = {
                "question": item.question,
                "answered": {YES: True, MAYBE: "maybe", NO: False}[item.verdict],
                "confidence": round(item.confidence, 4),
                "evidence": [
                    {"index": s.index, "sentence": s.sentence, "score": round(s.score, 4)} for s in item.sentences
                ],
            }
            sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0
