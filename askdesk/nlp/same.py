"""Same-question scores: how sure we are that one published answer serves two questions.

Inside one call-out every question shares the story's names and places, so the plain
cosine of two questions mostly says "same story". The pair model here scores a pair from
features that look past the shared topic:

* the cosine of the embeddings, and the cosine after removing the call-out's mean vector
  and its top principal component ("all but the top"), so that what the questions share
  with every other question no longer counts;
* how far down each question's list of neighbours the other one is (mutual rank, in the
  centred space): a paraphrase is near the top of both lists, a near miss often is not;
* a TF-IDF cosine of stemmed words with idf computed on the call-out, leaving out the words
  of the story's title when it is known: every reader borrows them, so inside one call-out
  they carry no information about which question is asked;
* whether both ask the same kind of thing (when, why, how much, who, where, should I).

A logistic model of these features gives the probability that the two questions are the
same question. Its weights are fitted by ``bench/callouts.py --fit`` on the call-outs
evaluation set; the figures in docs/benchmarks.md are from weights fitted on three stories
and scored on the fourth.

Grouping proposes; an editor confirms. :func:`same_question_scores` decides only which of
a group's other questions are ticked by default under "this will also answer these
readers", so its threshold errs on the side of leaving a box unticked.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from askdesk.nlp.embed import Vectors

Matrix = npt.NDArray[np.float32]

# The kinds of question whose answers differ even when the words are shared.
QUESTION_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("time", r"\b(when|what time|how long|how soon|which day|what day|until)\b"),
        ("reason", r"\b(why|how come)\b"),
        ("amount", r"\b(how much|how many|what percentage|how big|how high|cost)\b"),
        ("person", r"\b(who|whose)\b"),
        ("place", r"\b(where|which areas?)\b"),
        ("manner", r"\bhow (do|can|does|should|will|to)\b"),
        ("advice", r"\b(should i|should we|is it worth|do i need)\b"),
    )
)

FEATURES = ("cosine", "centred_cosine", "best_rank", "worst_rank", "lexical", "same_kind", "other_kind")


@dataclass(frozen=True)
class PairModel:
    """Weights over :data:`FEATURES`; ``threshold`` is where average link stops merging.

    A logistic model (``logistic=True``) scores pairs with the sigmoid of the weighted sum,
    a probability; a linear one with the weighted sum itself, a similarity.
    """

    intercept: float
    weights: tuple[float, ...]
    threshold: float
    logistic: bool = True
    # Where a question arriving alone joins a group (``group.join_group``); the full
    # regroup's ``threshold`` when None. It has its own value because a new question is
    # compared with a thinner call-out than a full regroup sees.
    join_threshold: float | None = None
    # Two questions that clearly ask different kinds of thing (each asks a kind of
    # :data:`QUESTION_KINDS`, and they share none: "when" against "why") never share a group.
    kinds_apart: bool = False
    # A learned square map applied to the topic-removed vectors before their cosine (see
    # :func:`pair_features`); None for the plain centred cosine.
    projection: Matrix | None = field(default=None, compare=False, repr=False)

    def probability(self, features: npt.NDArray[np.float32]) -> Matrix:
        """The pair score for feature arrays of shape (..., len(FEATURES))."""
        z = features @ np.asarray(self.weights, dtype=np.float32) + np.float32(self.intercept)
        out: Matrix = (1.0 / (1.0 + np.exp(-z))).astype(np.float32) if self.logistic else z.astype(np.float32)
        return out

    @property
    def joins_at(self) -> float:
        """The average score a question arriving alone needs to join a group."""
        return self.threshold if self.join_threshold is None else self.join_threshold

    @property
    def apart(self) -> float:
        """The score of two questions that must never share a group (different languages)."""
        return 0.0 if self.logistic else -1.0


# Fitted by ``bench/callouts.py --fit`` on all four call-out stories (MiniLM vectors, the
# TF-IDF cosine without the story title's words).
LOGISTIC_PAIR_MODEL = PairModel(
    intercept=-3.777,
    weights=(1.471, 5.163, 1.441, -0.783, 2.264, -0.138, -0.709),
    threshold=0.14,
)
# What the product ships, chosen by the held-out figures (docs/benchmarks.md): the cosine
# after removing the call-out's mean and top component, 0.5 of it, plus 0.5 of the TF-IDF
# cosine with idf on the call-out and the story title's words left out. Threshold and
# weights: best average link on all four stories (``bench/callouts.py --fit``; the same
# were chosen in every fold of the held-out figures), and the join threshold of the
# incremental path, chosen the same way on questions arriving one by one.
PAIR_MODEL = PairModel(
    intercept=0.0, weights=(0.0, 0.5, 0.0, 0.0, 0.5, 0.0, 0.0), threshold=0.12, logistic=False, join_threshold=0.18
)
# Without a story title (questions grouped on their own, e.g. from the command line): 0.7
# of the centred cosine plus 0.3 of the call-out TF-IDF cosine, which is better there.
UNTITLED_PAIR_MODEL = PairModel(
    intercept=0.0, weights=(0.0, 0.7, 0.0, 0.0, 0.3, 0.0, 0.0), threshold=0.18, logistic=False
)


def default_model(title: str = "") -> PairModel:
    """The shipped pair model for a call-out whose story has this title ("" if unknown)."""
    return PAIR_MODEL if title_terms(title) else UNTITLED_PAIR_MODEL


def question_kinds(texts: Sequence[str]) -> Matrix:
    """One row per text, one column per kind in :data:`QUESTION_KINDS` (1 where it asks that)."""
    out = np.zeros((len(texts), len(QUESTION_KINDS)), dtype=np.float32)
    for row, text in enumerate(texts):
        lowered = text.lower()
        for column, (_, pattern) in enumerate(QUESTION_KINDS):
            if pattern.search(lowered):
                out[row, column] = 1.0
    return out


def title_terms(title: str) -> frozenset[str]:
    """The stemmed content words of a story title, left out of the pair model's TF-IDF."""
    from askdesk.nlp.group import content_words

    return frozenset(stem for stem, _ in content_words(title))


def kinds_clash(texts: Sequence[str]) -> npt.NDArray[np.bool_]:
    """``out[i, j]``: questions i and j each ask a kind of :data:`QUESTION_KINDS` and share none."""
    kinds = question_kinds(texts)
    asks = kinds.sum(axis=1) > 0
    out: npt.NDArray[np.bool_] = (asks[:, None] & asks[None, :]) & ((kinds @ kinds.T) == 0)
    return out


def _unit(rows: Matrix) -> Matrix:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    out: Matrix = (rows / norms).astype(np.float32)
    return out


# With few questions the mean is mostly the questions themselves: it is removed in part
# (n / (n + MEAN_PRIOR) of it), and the top component only from MIN_COMPONENT_ROWS on.
MEAN_PRIOR = 10
MIN_COMPONENT_ROWS = 20


def remove_topic(vectors: npt.ArrayLike, components: int = 1) -> Matrix:
    """Unit rows after subtracting the mean and the top ``components`` principal directions."""
    matrix = np.asarray(vectors, dtype=np.float32)
    n = len(matrix)
    share = n / (n + MEAN_PRIOR)
    centred = matrix - np.float32(share) * matrix.mean(axis=0, keepdims=True)
    if components and n >= MIN_COMPONENT_ROWS:
        top = top_directions(centred, components)
        centred = centred - (centred @ top.T) @ top
    return _unit(centred)


def top_directions(matrix: Matrix, k: int) -> Matrix:
    """The top ``k`` right singular vectors of ``matrix`` (k, d), from the smaller of its two Gram
    matrices: only the k eigenpairs wanted are computed, several times faster than a full SVD."""
    import scipy.linalg

    n, d = matrix.shape
    k = min(k, n, d)
    wide = n <= d
    gram = matrix @ matrix.T if wide else matrix.T @ matrix
    size = len(gram)
    _, vectors = scipy.linalg.eigh(gram.astype(np.float64), subset_by_index=[size - k, size - 1])
    vectors = vectors[:, ::-1]  # largest first
    if wide:  # from the left singular vectors to the right ones
        vectors = matrix.T.astype(np.float64) @ vectors
        vectors /= np.maximum(np.linalg.norm(vectors, axis=0, keepdims=True), 1e-12)
    out: Matrix = vectors.T.astype(np.float32)
    return out


def _ranks(similarity: Matrix) -> Matrix:
    """``out[i, j]``: how many questions are nearer to ``i`` than ``j`` is (0 for the nearest)."""
    n = len(similarity)
    order = np.argsort(-similarity, axis=1, kind="stable")
    ranks = np.empty((n, n), dtype=np.float32)
    rows = np.arange(n)[:, None]
    ranks[rows, order] = np.arange(n, dtype=np.float32)[None, :]
    return ranks


def pair_features(
    texts: Sequence[str],
    vectors: npt.ArrayLike,
    projection: Matrix | None = None,
    only: Collection[str] | None = None,
    *,
    title: str = "",
) -> npt.NDArray[np.float32]:
    """Features of every pair of the questions given (their call-out, or a block of it): (n, n, F).

    With ``projection`` (a square matrix of the vectors' dimension), the topic-removed
    vectors are multiplied by it before their cosine and ranks are taken. With ``only`` (names
    of :data:`FEATURES`), the others are left at zero: a model that weighs them zero does not
    pay for them. ``title`` is the story's title: its words are left out of the TF-IDF cosine.
    """
    from askdesk.nlp.group import Lexicon

    matrix = np.asarray(vectors, dtype=np.float32)
    if len(texts) != len(matrix):
        raise ValueError("texts and vectors differ in length")
    wanted = set(FEATURES if only is None else only)
    n = len(matrix)
    cosine = centred_cosine = near = far = lexical = same_kind = other_kind = np.zeros((n, n), dtype=np.float32)
    if "cosine" in wanted:
        cosine = matrix @ matrix.T
    if wanted & {"centred_cosine", "best_rank", "worst_rank"}:
        centred = remove_topic(matrix)
        if projection is not None and projection.shape[0] == matrix.shape[1]:
            centred = _unit(centred @ projection)
        centred_cosine = centred @ centred.T
        if wanted & {"best_rank", "worst_rank"}:
            ranks = _ranks(centred_cosine)
            near = (1.0 / (1.0 + np.minimum(ranks, ranks.T))).astype(np.float32)
            far = (1.0 / (1.0 + np.maximum(ranks, ranks.T))).astype(np.float32)
    if "lexical" in wanted:
        lexical_rows = Lexicon(texts).rows(drop=title_terms(title))
        lexical = np.asarray((lexical_rows @ lexical_rows.T).toarray(), dtype=np.float32)
    if wanted & {"same_kind", "other_kind"}:
        kinds = question_kinds(texts)
        same_kind = (kinds @ kinds.T > 0).astype(np.float32)
        other_kind = (np.abs(kinds[:, None, :] - kinds[None, :, :]).sum(axis=-1) > 0).astype(np.float32)
    return np.stack([cosine, centred_cosine, near, far, lexical, same_kind, other_kind], axis=-1).astype(np.float32)


def same_question_matrix(
    texts: Sequence[str], vectors: npt.ArrayLike, model: PairModel | None = None, *, title: str = ""
) -> Matrix:
    """The pair score of every two questions of a call-out (symmetric, 1 on the diagonal).

    ``title`` is the title of the call-out's story; ``model`` defaults to the shipped one
    for it (:func:`default_model`).
    """
    if not len(texts):
        return np.zeros((0, 0), dtype=np.float32)
    from askdesk.nlp.language import detect_language

    model = model or default_model(title)
    used = [name for name, weight in zip(FEATURES, model.weights, strict=True) if weight]
    scores = model.probability(pair_features(texts, vectors, model.projection, only=used, title=title))
    scores = ((scores + scores.T) / 2).astype(np.float32)
    # The model is English-only: questions in different languages are kept apart.
    languages = np.asarray([detect_language(t) for t in texts])
    scores[languages[:, None] != languages[None, :]] = model.apart
    if model.kinds_apart:
        scores[kinds_clash(texts)] = model.apart
    np.fill_diagonal(scores, 1.0)
    return scores.astype(np.float32)


# --- the default tick ----------------------------------------------------------------------

# On the call-outs set no model tells same from near-miss questions reliably enough to
# tick a box for the editor (held-out pairwise precision stays under 0.95 wherever more
# than a handful of pairs are ticked, see docs/benchmarks.md). So only near-duplicates are
# ticked by default: a cosine this high, asking the same kind of thing. Everything else
# is shown unticked, with its score, for the editor to decide.
TICK_THRESHOLD = 0.90


def same_question_scores(
    anchor_text: str, anchor_vector: npt.ArrayLike, texts: Sequence[str], vectors: npt.ArrayLike
) -> npt.NDArray[np.float32]:
    """Score in [0, 1] that each of ``texts`` asks the same thing as ``anchor_text``.

    Vectors are the questions' unit-length embeddings, one row per text. The score is the
    cosine, set to 0 for a question of another kind (when vs why, how much vs who...) or in
    another language. Scores at or above :data:`TICK_THRESHOLD` are ticked by default.
    """
    from askdesk.nlp.language import detect_language

    anchor: Vectors = np.asarray(anchor_vector, dtype=np.float32).reshape(-1)
    if not len(texts):
        return np.zeros(0, dtype=np.float32)
    rows = np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)
    scores = np.clip(rows @ anchor, 0.0, 1.0).astype(np.float32)
    kinds = question_kinds([anchor_text, *texts])
    other_kind = np.abs(kinds[1:] - kinds[0]).sum(axis=1) > 0
    language = detect_language(anchor_text)
    other_language = np.asarray([detect_language(t) != language for t in texts])
    scores[other_kind | other_language] = 0.0
    out: npt.NDArray[np.float32] = scores.astype(np.float32)
    return out
