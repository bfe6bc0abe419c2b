"""Levers for same-question groups on the call-outs set, each measured held out.

Run: ``nice -n 10 .venv/bin/python bench/callouts_levers.py [--data ../shared/data]``

Every lever is scored as ``bench/callouts.py`` scores the shipped pair model: four folds,
each choosing the lever's weights, temperature and average-link threshold on three stories
(best mean ARI over them) and scoring the fourth. The base is the shipped linear pair model
(0.7 of the centred cosine plus 0.3 of the call-out TF-IDF cosine). Lever families:

1. "same answer" features: each question's distribution over the story's sentences (a
   softmax of the evidence score of ``askdesk.nlp.evidence`` at a temperature chosen in the
   folds), and the pair similarity of two distributions (dot product, Bhattacharyya
   coefficient, same top sentence), added to the base score with a weight chosen in folds;
   and the cosine of the two questions' centred evidence-score profiles;
2. answer-type agreement: a cannot-link between questions of clearly different kinds
   (hard), a penalty (soft), and richer kinds (yes/no against wh-questions; the word after
   "how many" / "what");
3. distinctive words: the call-out TF-IDF with words frequent in the story removed or
   down-weighted (idf over the call-out times idf over the story's sentences);
4. clustering: average, complete and weighted link, and connected components of a
   mutual-k-nearest-neighbour graph above a threshold.

No labelled answering sentence is used at scoring time; labels only score.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse.csgraph import connected_components
from scipy.spatial.distance import squareform

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _group_data import DEFAULT_DATA
from _machine import describe_machine
from callouts import GRID, Story, _Named, ari, load

from askdesk.nlp import same
from askdesk.nlp.evidence import LEXICAL_WEIGHT, StoryIndex
from askdesk.nlp.group import Lexicon, content_words
from askdesk.nlp.language import detect_language

# --- per-story precomputation ------------------------------------------------------------------


class Prepared:
    """The pieces every lever is built from, computed once per story."""

    def __init__(self, story: Story, title: str) -> None:
        self.story = story
        self.title = title
        features = same.pair_features(story.texts, story.vectors)
        self.centred = features[..., 1]
        self.lexical = features[..., 4]
        self.base = 0.7 * self.centred + 0.3 * self.lexical
        languages = np.asarray([detect_language(t) for t in story.texts])
        self.other_language = languages[:, None] != languages[None, :]
        index = StoryIndex(story.sentences, story.sentence_vectors, _Named("all-MiniLM-L6-v2", story.vectors.shape[1]))
        cosine, lexical = index.score_matrix(story.texts, story.vectors)
        self.evidence = (cosine + LEXICAL_WEIGHT * lexical).astype(np.float64)
        self.kinds = same.question_kinds(story.texts)


def softmax_rows(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = scores / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def finish(scores: np.ndarray, prepared: Prepared, apart: float = -1.0) -> np.ndarray:
    out = (scores + scores.T) / 2
    out = out.copy()
    out[prepared.other_language] = apart
    np.fill_diagonal(out, 1.0)
    return out


# --- clustering ---------------------------------------------------------------------------------


def cuts(scores: np.ndarray, method: str = "average") -> list[np.ndarray]:
    """Labels at every threshold of GRID (hierarchical ``method``, one tree)."""
    distances = np.clip(1.0 - scores, 0.0, None)
    np.fill_diagonal(distances, 0.0)
    tree = linkage(squareform(distances, checks=False).astype(np.float64), method=method)
    return [fcluster(tree, t=1.0 - t, criterion="distance") for t in GRID]


def mutual_knn_cuts(scores: np.ndarray, k: int) -> list[np.ndarray]:
    """Connected components of the pairs that are in each other's k nearest and score >= t."""
    n = len(scores)
    off = scores.copy()
    np.fill_diagonal(off, -np.inf)
    order = np.argsort(-off, axis=1)[:, :k]
    near = np.zeros((n, n), dtype=bool)
    near[np.arange(n)[:, None], order] = True
    mutual = near & near.T
    out = []
    for t in GRID:
        graph = mutual & (scores >= t)
        out.append(connected_components(graph, directed=False)[1])
    return out


# --- fold machinery ----------------------------------------------------------------------------

# A lever: for a parameter setting, the score matrix of a story; plus how to cluster it.
Lever = Callable[[Prepared, tuple[float, ...]], np.ndarray]


def held_out(
    prepared: Sequence[Prepared],
    lever: Lever,
    grid: Sequence[tuple[float, ...]],
    clusterer: Callable[[np.ndarray], list[np.ndarray]] = cuts,
) -> list[tuple[float, tuple[float, ...], float]]:
    """For each story: (ARI, parameters, threshold) with parameters and threshold best on the other three."""
    table = np.array(
        [[[ari(p.story, labels) for labels in clusterer(lever(p, params))] for params in grid] for p in prepared]
    )  # story x params x threshold
    out = []
    for s in range(len(prepared)):
        others = np.mean(np.delete(table, s, axis=0), axis=0)
        best_params, best_threshold = np.unravel_index(int(np.argmax(others)), others.shape)
        out.append((float(table[s, best_params, best_threshold]), grid[best_params], GRID[best_threshold]))
    return out


def report(name: str, result: list[tuple[float, tuple[float, ...], float]]) -> list[float]:
    values = [r[0] for r in result]
    chosen = "; ".join(f"{','.join(f'{p:g}' for p in r[1])} @{r[2]:.2f}" for r in result)
    print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in values) + f" | {np.mean(values):.3f} | {chosen} |")
    sys.stdout.flush()
    return values


def header(prepared: Sequence[Prepared], title: str) -> None:
    print(f"\n### {title}\n")
    print(
        "| lever | "
        + " | ".join(p.story.name for p in prepared)
        + " | mean | chosen in each fold (params @threshold) |"
    )
    print("|---" * (len(prepared) + 3) + "|")


# --- levers -----------------------------------------------------------------------------------


def base(p: Prepared, params: tuple[float, ...]) -> np.ndarray:
    return finish(p.base, p)


def answer_dot(p: Prepared, params: tuple[float, ...]) -> np.ndarray:
    weight, temperature = params
    dist = softmax_rows(p.evidence, temperature)
    return finish(p.base + weight * (dist @ dist.T), p)


def answer_bhattacharyya(p: Prepared, params: tuple[float, ...]) -> np.ndarray:
    weight, temperature = params
    root = np.sqrt(softmax_rows(p.evidence, temperature))
    return finish(p.base + weight * (root @ root.T), p)


def answer_top(p: Prepared, params: tuple[float, ...]) -> np.ndarray:
    (weight,) = params
    top = np.argmax(p.evidence, axis=1)
    return finish(p.base + weight * (top[:, None] == top[None, :]), p)


def answer_profile(p: Prepared, params: tuple[float, ...]) -> np.ndarray:
    """Cosine of the questions' evidence-score rows after removing each sentence's mean score."""
    (weight,) = params
    centred = p.evidence - p.evidence.mean(axis=0, keepdims=True)
    centred /= np.linalg.norm(centred, axis=1, keepdims=True) + 1e-9
    return finish(p.base + weight * (centred @ centred.T), p)


def answer_dot_gated(p: Prepared, params: tuple[float, ...]) -> np.ndarray:
    """Dot product of the distributions, counted only where both questions' best evidence is strong."""
    weight, temperature, floor = params
    dist = softmax_rows(p.evidence, temperature)
    strong = p.evidence.max(axis=1) >= floor
    return finish(p.base + weight * (dist @ dist.T) * (strong[:, None] & strong[None, :]), p)


def answer_mix(p: Prepared, params: tuple[float, ...]) -> np.ndarray:
    """Base with its centred cosine share replaced in part by the answer profile."""
    share, weight = params
    centred = p.evidence - p.evidence.mean(axis=0, keepdims=True)
    centred /= np.linalg.norm(centred, axis=1, keepdims=True) + 1e-9
    mixed = (1 - share) * p.centred + share * (centred @ centred.T)
    return finish(0.7 * mixed + 0.3 * p.lexical + weight * 0.0, p)


# Answer type ------------------------------------------------------------------------------------

_AUX = (
    "is are was were will would can could do does did should has have had shall may might must "
    "isn't aren't wasn't won't can't don't doesn't didn't"
).split()
_WH = ("what", "when", "why", "how", "who", "whom", "whose", "where", "which")


def polar(text: str) -> bool:
    """A yes/no question: its first clause opens with an auxiliary, not a wh-word."""
    words = text.lower().replace("?", " ").split()
    for word in words[:12]:
        if word in _WH:
            return False
        if word in _AUX:
            return True
    return False


def head_word(text: str) -> str | None:
    """The content word after "how many/much" or "what/which" (its stem), if any."""
    lowered = text.lower()
    import re

    match = re.search(r"\b(?:how many|how much|what|which)\s+(?:kind of |sort of |type of )?([a-z]+)", lowered)
    if not match:
        return None
    found = content_words(match.group(1))
    return found[0][0] if found else None


def kinds_disjoint(p: Prepared) -> np.ndarray:
    k = p.kinds
    has = k.sum(axis=1) > 0
    return (has[:, None] & has[None, :]) & ((k @ k.T) == 0)


def kind_hard(p: Prepared, params: tuple[float, ...]) -> np.ndarray:
    out = p.base.copy()
    out[kinds_disjoint(p)] = -1.0
    return finish(out, p)


def kind_soft(p: Prepared, params: tuple[float, ...]) -> np.ndarray:
    (penalty,) = params
    return finish(p.base - penalty * kinds_disjoint(p), p)


def kind_other_soft(p: Prepared, params: tuple[float, ...]) -> np.ndarray:
    """Penalty where the kind sets differ at all (one has a kind the other lacks)."""
    (penalty,) = params
    k = p.kinds
    other = np.abs(k[:, None, :] - k[None, :, :]).sum(axis=-1) > 0
    return finish(p.base - penalty * other, p)


def richer_kinds(p: Prepared) -> np.ndarray:
    texts = p.story.texts
    kinds = p.kinds
    wh = kinds.sum(axis=1) > 0
    yes_no = np.asarray([polar(t) for t in texts]) & ~wh
    # polar vs a wh-kind question
    clash = (yes_no[:, None] & wh[None, :]) | (wh[:, None] & yes_no[None, :])
    heads = [head_word(t) for t in texts]
    head_clash = np.array([[a is not None and b is not None and a != b for b in heads] for a in heads])
    return clash, head_clash


def kind_richer_soft(p: Prepared, params: tuple[float, ...]) -> np.ndarray:
    penalty, polar_penalty, head_penalty = params
    clash, head_clash = richer_kinds(p)
    return finish(p.base - penalty * kinds_disjoint(p) - polar_penalty * clash - head_penalty * head_clash, p)


# Distinctive words ------------------------------------------------------------------------------


def distinctive_lexical(p: Prepared, story_power: float, drop_share: float, drop_title: bool = True) -> np.ndarray:
    """TF-IDF cosine with idf on the call-out times (story idf) ** story_power; words in more
    than ``drop_share`` of the story's sentences, and (``drop_title``) words of its title, dropped."""
    lexicon = Lexicon(p.story.texts)
    sentence_terms = [{s for s, _ in content_words(t)} for t in p.story.sentences]
    n = len(sentence_terms)
    df = {term: sum(term in s for s in sentence_terms) for term in lexicon.vocabulary}
    story_idf = np.array(
        [np.log((n + 1) / (df[t] + 1)) + 1.0 for t in sorted(lexicon.vocabulary)], dtype=np.float32
    ) ** np.float32(story_power)
    headline = {s for s, _ in content_words(p.title)} if drop_title else set()
    keep = np.array(
        [(df[t] / max(n, 1) <= drop_share) and t not in headline for t in sorted(lexicon.vocabulary)],
        dtype=np.float32,
    )
    rows = lexicon.rows().multiply(story_idf * keep).tocsr()
    norms = np.sqrt(np.asarray(rows.multiply(rows).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    dense = rows.toarray() / norms[:, None]
    return (dense @ dense.T).astype(np.float64)


_DISTINCTIVE: dict[tuple[str, float, float, bool], np.ndarray] = {}


def distinctive_cached(p: Prepared, story_power: float, drop_share: float, drop_title: bool) -> np.ndarray:
    key = (p.story.name, story_power, drop_share, drop_title)
    if key not in _DISTINCTIVE:
        _DISTINCTIVE[key] = distinctive_lexical(p, story_power, drop_share, drop_title)
    return _DISTINCTIVE[key]


def distinctive(p: Prepared, params: tuple[float, ...]) -> np.ndarray:
    lexical_weight, story_power, drop_share, drop_title = params
    lexical = distinctive_cached(p, story_power, drop_share, bool(drop_title))
    return finish((1 - lexical_weight) * p.centred + lexical_weight * lexical, p)


def combined(p: Prepared, params: tuple[float, ...]) -> np.ndarray:
    """Distinctive words + the gated same-answer dot product + answer-type penalties."""
    lexical_weight, drop_share, answer_weight, floor, kind_penalty, polar_penalty = params
    lexical = distinctive_cached(p, 0.0, drop_share, True)
    dist = softmax_rows(p.evidence, 0.05)
    strong = p.evidence.max(axis=1) >= floor
    clash, _ = richer_kinds(p)
    scores = (
        (1 - lexical_weight) * p.centred
        + lexical_weight * lexical
        + answer_weight * (dist @ dist.T) * (strong[:, None] & strong[None, :])
        - kind_penalty * kinds_disjoint(p)
        - polar_penalty * clash
    )
    return finish(scores, p)


def base_reweighted(p: Prepared, params: tuple[float, ...]) -> np.ndarray:
    (lexical_weight,) = params
    return finish((1 - lexical_weight) * p.centred + lexical_weight * p.lexical, p)


# On the shipped base (title words left out, 0.5 / 0.5) -------------------------------------------


def titled_base(p: Prepared) -> np.ndarray:
    return 0.5 * p.centred + 0.5 * distinctive_cached(p, 0.0, 1.0, True)


def on_title_base(extra: Callable[[Prepared, tuple[float, ...]], np.ndarray]) -> Lever:
    """A lever: the shipped base plus ``extra`` (a pair matrix for the parameters given)."""

    def lever(p: Prepared, params: tuple[float, ...]) -> np.ndarray:
        return finish(titled_base(p) + extra(p, params), p)

    return lever


def extra_dot(p: Prepared, params: tuple[float, ...]) -> np.ndarray:
    weight, temperature = params
    dist = softmax_rows(p.evidence, temperature)
    return weight * (dist @ dist.T)


def extra_gated_dot(p: Prepared, params: tuple[float, ...]) -> np.ndarray:
    weight, temperature, floor = params
    dist = softmax_rows(p.evidence, temperature)
    strong = p.evidence.max(axis=1) >= floor
    return weight * (dist @ dist.T) * (strong[:, None] & strong[None, :])


def extra_different_answers(p: Prepared, params: tuple[float, ...]) -> np.ndarray:
    """A penalty where both questions have strong evidence and their best sentences differ."""
    penalty, floor = params
    top = np.argmax(p.evidence, axis=1)
    strong = p.evidence.max(axis=1) >= floor
    return -penalty * ((top[:, None] != top[None, :]) & strong[:, None] & strong[None, :])


def extra_kinds_apart(p: Prepared, params: tuple[float, ...]) -> np.ndarray:
    (penalty,) = params
    return -penalty * kinds_disjoint(p)


def extra_polar(p: Prepared, params: tuple[float, ...]) -> np.ndarray:
    (penalty,) = params
    clash, _ = richer_kinds(p)
    return -penalty * clash


def extra_head(p: Prepared, params: tuple[float, ...]) -> np.ndarray:
    (penalty,) = params
    _, head_clash = richer_kinds(p)
    return -penalty * head_clash


def extra_nothing(p: Prepared, params: tuple[float, ...]) -> np.ndarray:
    return np.zeros_like(p.centred)


# A logistic pair model with the same-answer and kind features added --------------------------------


def logistic_features(p: Prepared, extra: bool) -> np.ndarray:
    """``same.pair_features`` (title words left out), with the lever features appended if ``extra``."""
    features = same.pair_features(p.story.texts, p.story.vectors, title=p.title)
    columns = [features[..., i] for i in range(features.shape[-1])]
    if extra:
        dist = softmax_rows(p.evidence, 0.05)
        dot = dist @ dist.T
        strong = p.evidence.max(axis=1) >= 0.6
        columns += [
            dot,
            dot * (strong[:, None] & strong[None, :]),
            kinds_disjoint(p).astype(np.float64),
            richer_kinds(p)[0].astype(np.float64),
        ]
    return np.stack(columns, axis=-1)


def logistic_held_out(prepared: Sequence[Prepared], extra: bool) -> list[float]:
    """Logistic weights fitted on every pair of three stories, threshold best on them, fourth scored."""
    from sklearn.linear_model import LogisticRegression

    features = {p.story.name: logistic_features(p, extra) for p in prepared}

    def scores(model: LogisticRegression, p: Prepared) -> np.ndarray:
        z = features[p.story.name] @ model.coef_[0] + model.intercept_[0]
        return finish(1.0 / (1.0 + np.exp(-z)), p, apart=0.0)

    out = []
    for held in prepared:
        training = [p for p in prepared if p is not held]
        xs, ys = [], []
        for p in training:
            upper = np.triu_indices(len(p.story.texts), 1)
            labels = np.asarray(p.story.groups)
            xs.append(features[p.story.name][upper])
            ys.append((labels[:, None] == labels[None, :])[upper])
        model = LogisticRegression(C=1.0, max_iter=5000).fit(np.vstack(xs), np.concatenate(ys))
        table = np.mean([[ari(p.story, labels) for labels in cuts(scores(model, p))] for p in training], axis=0)
        out.append(ari(held.story, cuts(scores(model, held))[int(np.argmax(table))]))
    return out


# --- main ---------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/askdesk-bench-cache"))
    parser.add_argument(
        "--only", default="", help="comma-separated families: answer,kind,words,cluster,titled,combined"
    )
    args = parser.parse_args()
    print(describe_machine())
    stories = load(args.data, "minilm", args.cache, None)
    prepared = [
        Prepared(s, (args.data / "callouts" / s.name / "story.txt").read_text(encoding="utf-8").splitlines()[0])
        for s in stories
    ]
    families = (
        set(args.only.split(","))
        if args.only
        else {"answer", "kind", "words", "cluster", "titled", "logistic", "combined"}
    )

    header(prepared, "Base")
    report("shipped linear (0.7 centred + 0.3 call-out idf), average link", held_out(prepared, base, [()]))

    weights = (0.05, 0.1, 0.2, 0.3, 0.5)
    temperatures = (0.02, 0.05, 0.1, 0.2)
    if "answer" in families:
        header(prepared, "1. Same answer from the story")
        report(
            "dot product of sentence distributions",
            held_out(prepared, answer_dot, list(itertools.product(weights, temperatures))),
        )
        report(
            "Bhattacharyya coefficient of distributions",
            held_out(prepared, answer_bhattacharyya, list(itertools.product(weights, temperatures))),
        )
        report("same top sentence", held_out(prepared, answer_top, [(w,) for w in (0.02, 0.05, 0.1, 0.2)]))
        report("cosine of centred evidence-score profiles", held_out(prepared, answer_profile, [(w,) for w in weights]))
        report(
            "dot product, only where both have strong evidence",
            held_out(
                prepared,
                answer_dot_gated,
                list(itertools.product(weights, (0.05, 0.1), (0.4, 0.5, 0.6))),
            ),
        )
        report(
            "centred cosine mixed with the evidence profile",
            held_out(prepared, answer_mix, list(itertools.product((0.1, 0.2, 0.3, 0.5), (0.0,)))),
        )
    if "kind" in families:
        header(prepared, "2. Answer type")
        report("cannot-link: clearly different kinds never share a group", held_out(prepared, kind_hard, [()]))
        report(
            "soft: penalty for clearly different kinds",
            held_out(prepared, kind_soft, [(w,) for w in (0.05, 0.1, 0.2, 0.3)]),
        )
        report(
            "soft: penalty where the kinds differ at all",
            held_out(prepared, kind_other_soft, [(w,) for w in (0.02, 0.05, 0.1, 0.2)]),
        )
        report(
            "richer kinds: yes/no vs wh, head word after how many / what (penalties)",
            held_out(
                prepared,
                kind_richer_soft,
                list(itertools.product((0.0, 0.1, 0.3), (0.0, 0.05, 0.1, 0.2), (0.0, 0.05, 0.1, 0.2))),
            ),
        )
    if "words" in families:
        header(prepared, "3. Distinctive words")
        report(
            "call-out idf, lexical weight chosen in folds",
            held_out(prepared, base_reweighted, [(w,) for w in (0.2, 0.3, 0.4, 0.5)]),
        )
        lexical_weights = (0.2, 0.3, 0.4, 0.5)
        report(
            "call-out idf x story idf (power), weight chosen in folds",
            held_out(prepared, distinctive, list(itertools.product(lexical_weights, (0.5, 1.0, 2.0), (1.0,), (0,)))),
        )
        report(
            "title words removed",
            held_out(prepared, distinctive, list(itertools.product(lexical_weights, (0.0,), (1.0,), (1,)))),
        )
        report(
            "story-frequent words removed (in more than a share of its sentences)",
            held_out(
                prepared,
                distinctive,
                list(itertools.product(lexical_weights, (0.0,), (0.05, 0.1, 0.15, 0.2, 0.3), (0,))),
            ),
        )
        report(
            "story-frequent and title words removed",
            held_out(
                prepared,
                distinctive,
                list(itertools.product(lexical_weights, (0.0,), (0.05, 0.1, 0.15, 0.2, 0.3), (1,))),
            ),
        )
    if "cluster" in families:
        header(prepared, "4. Clustering")
        for method in ("complete", "weighted", "single"):
            report(f"{method} link", held_out(prepared, base, [()], lambda s, m=method: cuts(s, m)))
        for k in (3, 5, 10):
            report(
                f"mutual {k}-NN graph, connected components above the threshold",
                held_out(prepared, base, [()], lambda s, k=k: mutual_knn_cuts(s, k)),
            )
    if "titled" in families:
        header(prepared, "Each lever on the shipped base (title words left out)")
        report("shipped base alone", held_out(prepared, on_title_base(extra_nothing), [()]))
        report(
            "+ dot product of sentence distributions",
            held_out(prepared, on_title_base(extra_dot), list(itertools.product(weights, temperatures))),
        )
        report(
            "+ dot product where both have strong evidence",
            held_out(
                prepared,
                on_title_base(extra_gated_dot),
                list(itertools.product(weights, (0.05, 0.1), (0.4, 0.5, 0.6))),
            ),
        )
        report(
            "- penalty where both have strong evidence in different sentences",
            held_out(
                prepared,
                on_title_base(extra_different_answers),
                list(itertools.product((0.05, 0.1, 0.2, 0.3), (0.4, 0.5, 0.6))),
            ),
        )
        report(
            "- penalty for clearly different kinds",
            held_out(prepared, on_title_base(extra_kinds_apart), [(w,) for w in (0.05, 0.1, 0.2, 0.3, 1.0)]),
        )
        report(
            "- penalty for yes/no against wh",
            held_out(prepared, on_title_base(extra_polar), [(w,) for w in (0.02, 0.05, 0.1, 0.2)]),
        )
        report(
            "- penalty for another head word after how many / what",
            held_out(prepared, on_title_base(extra_head), [(w,) for w in (0.05, 0.1, 0.2, 1.0)]),
        )
    if "logistic" in families:
        header(prepared, "Logistic pair model (weights and threshold fitted in the folds)")
        for name, extra in (
            ("seven features of same.pair_features, title words left out", False),
            ("the same + same-answer dot, gated dot, clearly different kinds, yes/no vs wh", True),
        ):
            values = logistic_held_out(prepared, extra)
            print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in values) + f" | {np.mean(values):.3f} | |")
    if "combined" in families:
        header(prepared, "Combinations")
        lw = (0.4, 0.5, 0.6)
        report(
            "title words removed + same answer (gated dot)",
            held_out(
                prepared,
                combined,
                list(itertools.product(lw, (1.0,), (0.05, 0.1, 0.2, 0.3), (0.5, 0.6), (0.0,), (0.0,))),
            ),
        )
        report(
            "title words removed + penalty for clearly different kinds",
            held_out(prepared, combined, list(itertools.product(lw, (1.0,), (0.0,), (0.6,), (0.1, 0.2, 0.3), (0.0,)))),
        )
        report(
            "title words removed + yes/no vs wh penalty",
            held_out(
                prepared, combined, list(itertools.product(lw, (1.0,), (0.0,), (0.6,), (0.0,), (0.02, 0.05, 0.1)))
            ),
        )
        grid = list(itertools.product((0.4, 0.5), (1.0,), (0.0, 0.1, 0.2), (0.6,), (0.0, 0.2), (0.0, 0.05, 0.1)))
        report("title words removed + same answer (gated dot) + answer type", held_out(prepared, combined, grid))
        wider = list(
            itertools.product((0.4, 0.5), (1.0,), (0.1, 0.2, 0.3), (0.5, 0.6), (0.1, 0.2, 0.3), (0.05, 0.1, 0.15))
        )
        report("the same, wider grid", held_out(prepared, combined, wider))
        fitted = held_out([*prepared, *prepared[:0]], combined, grid)
        table = np.array(
            [[[ari(p.story, labels) for labels in cuts(combined(p, params))] for params in grid] for p in prepared]
        )
        mean = table.mean(axis=0)
        best_params, best_threshold = np.unravel_index(int(np.argmax(mean)), mean.shape)
        print(f"\nfitted on all four: {grid[best_params]} @{GRID[best_threshold]:.2f}, mean ARI {mean.max():.3f}")
        del fitted
    return 0


if __name__ == "__main__":
    sys.exit(main())
