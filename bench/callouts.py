"""Grouping and evidence inside one call-out: the call-outs evaluation set, story by story.

Run: ``.venv/bin/python bench/callouts.py [--data ../shared/data] [--embedder minilm] [--cache DIR]``
     ``.venv/bin/python bench/callouts.py --fit``   (constants for the product, fitted on all four stories)
     ``.venv/bin/python bench/callouts.py --vectors DIR``   (question and sentence vectors made elsewhere,
     e.g. by a fine-tuned model: ``DIR/<story>-q.npy`` and ``DIR/<story>-s.npy``)
     ``.venv/bin/python bench/callouts.py --asked-only 1.0 --skip-evidence``   (a lever: each question's
     vector made from the sentences that ask, those with a "?", mixed in at this share with the whole text's)

Four invented stories with 80 reader questions each, labelled at the "one answer serves
both" grain (``shared/data/callouts/README.md``). Every figure is held out: with four
stories there are four folds, and in each one the thresholds, weights and training use
three stories and the figure is the fourth's. Nothing is tuned on the story scored.

Figures per story:

* groups: adjusted Rand index (ARI) of a full regroup for each method, and of the
  incremental path (questions arriving one by one in file order, which is shuffled like
  arrival order, each joining a group or starting one);
* themes: ARI of today's ``regroup`` (the theme level) against the same labels, for scale;
* the default tick of "this will also answer": pairwise precision and recall of
  ``same_question_scores >= TICK_THRESHOLD`` over the pairs that a full regroup puts in one
  group (the pairs an editor would see);
* evidence: share of answered questions with a right sentence in the top 3, and the
  "answered" decision in three levels: precision and recall of "yes", and of "yes or maybe".
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import adjusted_rand_score

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _group_data import DEFAULT_DATA
from _machine import describe_machine

from askdesk.nlp import group as grp
from askdesk.nlp import same
from askdesk.nlp.embed import Vectors, get_embedder, normalise
from askdesk.nlp.evidence import MAYBE_AT, YES_AT, StoryIndex
from askdesk.nlp.language import detect_language

STORIES = ("flood-town", "rail-strike", "interest-rates", "measles-schools")
GRID = [round(t, 2) for t in np.arange(0.04, 0.96, 0.02)]
TICK_GRID = (0.70, 0.80, 0.85, 0.90, 0.95)


@dataclass
class Story:
    name: str
    texts: list[str]
    groups: list[str]
    evidence: list[list[int]]  # 0-based sentence numbers
    languages: list[str]
    sentences: list[str]
    vectors: Vectors
    sentence_vectors: Vectors
    title: str = ""


def embed(texts: Sequence[str], embedder_name: str, cache: Path | None) -> Vectors:
    key = hashlib.sha256("\n".join([embedder_name, *texts]).encode()).hexdigest()[:16]
    path = None if cache is None else cache / f"{embedder_name}-{key}.npy"
    if path is not None and path.exists():
        return np.load(path)
    vectors = get_embedder(embedder_name).embed(list(texts))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
    return vectors


def load(data: Path, embedder_name: str, cache: Path | None, vectors_dir: Path | None) -> list[Story]:
    stories = []
    for name in STORIES:
        folder = data / "callouts" / name
        rows = [json.loads(line) for line in (folder / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
        texts = [r["q"] for r in rows]
        sentences = (folder / "sentences.txt").read_text(encoding="utf-8").splitlines()
        title = (folder / "story.txt").read_text(encoding="utf-8").splitlines()[0]
        if vectors_dir is not None:
            vectors = normalise(np.load(vectors_dir / f"{name}-q.npy"))
            sentence_vectors = normalise(np.load(vectors_dir / f"{name}-s.npy"))
        else:
            vectors = embed(texts, embedder_name, cache)
            sentence_vectors = embed(sentences, embedder_name, cache)
        stories.append(
            Story(
                name,
                texts,
                [r["group"] for r in rows],
                [[i - 1 for i in r["evidence"]] for r in rows],
                [r["lang"] for r in rows],
                sentences,
                vectors,
                sentence_vectors,
                title,
            )
        )
    return stories


def asked(text: str) -> str:
    """The sentences of a question that ask (those with a "?"), without the context around them; else all of it."""
    asking = [part for part in re.split(r"(?<=[.?!])\s+", text.strip()) if "?" in part]
    return " ".join(asking) if asking else text


def with_asked_only(stories: list[Story], share: float, embedder_name: str, cache: Path | None) -> list[Story]:
    """The stories with each question's vector ``share`` made from the sentences that ask (a lever)."""
    return [
        dataclasses.replace(
            story,
            vectors=normalise(
                share * embed([asked(t) for t in story.texts], embedder_name, cache) + (1 - share) * story.vectors
            ),
        )
        for story in stories
    ]


def ari(story: Story, labels: Sequence[int] | np.ndarray) -> float:
    return float(adjusted_rand_score(story.groups, np.asarray(labels)))


def same_pairs(story: Story) -> np.ndarray:
    labels = np.asarray(story.groups)
    return labels[:, None] == labels[None, :]


# --- grouping methods ------------------------------------------------------------------------

Similarity = Callable[[Story], np.ndarray]


def everyone(story: Story) -> np.ndarray:
    return np.arange(len(story.texts), dtype=np.int64)


def sim_regroup(story: Story) -> np.ndarray:
    return grp.Features.build(story.vectors, story.texts).similarity(everyone(story), everyone(story))


def sim_cosine(story: Story) -> np.ndarray:
    return story.vectors @ story.vectors.T


def sim_centred(story: Story) -> np.ndarray:
    centred = same.remove_topic(story.vectors, 0)
    return centred @ centred.T


def sim_all_but_the_top(story: Story) -> np.ndarray:
    centred = same.remove_topic(story.vectors, 1)
    return centred @ centred.T


def sim_all_but_the_top_lexical(story: Story) -> np.ndarray:
    features = grp.Features.build(same.remove_topic(story.vectors, 1), story.texts, 0.3)
    return features.similarity(everyone(story), everyone(story))


def cuts(scores: np.ndarray) -> list[np.ndarray]:
    """Average-link labels of a similarity matrix at every threshold of GRID (one tree)."""
    distances = np.clip(1.0 - (scores + scores.T) / 2, 0.0, None)
    np.fill_diagonal(distances, 0.0)
    tree = linkage(squareform(distances, checks=False).astype(np.float64), method="average")
    return [fcluster(tree, t=1.0 - t, criterion="distance") for t in GRID]


def held_out_threshold(method: Similarity, stories: list[Story]) -> dict[str, tuple[float, float]]:
    """For each story: (ARI at the threshold best on the other three, that threshold)."""
    table = {s.name: [ari(s, labels) for labels in cuts(method(s))] for s in stories}
    out = {}
    for story in stories:
        others = np.mean([table[o.name] for o in stories if o.name != story.name], axis=0)
        best = int(np.argmax(others))
        out[story.name] = (table[story.name][best], GRID[best])
    return out


def fit_pair_model(stories: list[Story], features: dict[str, np.ndarray]) -> same.PairModel:
    """Logistic weights on every pair of ``stories``, then the average-link threshold best on them."""
    xs, ys = [], []
    for story in stories:
        n = len(story.texts)
        upper = np.triu_indices(n, 1)
        xs.append(features[story.name][upper])
        ys.append(same_pairs(story)[upper])
    fitted = LogisticRegression(C=1.0, max_iter=5000).fit(np.vstack(xs), np.concatenate(ys))
    model = same.PairModel(float(fitted.intercept_[0]), tuple(float(w) for w in fitted.coef_[0]), 0.5)
    scores = {s.name: model_scores(model, features[s.name], s) for s in stories}
    table = np.mean([[ari(s, labels) for labels in cuts(scores[s.name])] for s in stories], axis=0)
    return same.PairModel(model.intercept, model.weights, GRID[int(np.argmax(table))])


def model_scores(model: same.PairModel, features: np.ndarray, story: Story | None = None) -> np.ndarray:
    """Pair scores as the product computes them (``same_question_matrix``), from precomputed features."""
    scores = model.probability(features)
    scores = (scores + scores.T) / 2
    if story is not None:
        languages = np.asarray([detect_language(t) for t in story.texts])
        scores[languages[:, None] != languages[None, :]] = model.apart
        if model.kinds_apart:
            scores[same.kinds_clash(story.texts)] = model.apart
    np.fill_diagonal(scores, 1.0)
    return scores


LEXICAL_GRID = (0.2, 0.3, 0.4, 0.5, 0.6)
# Whether clearly different kinds of question are kept apart, as the shipped model is fitted
# (in each fold and by ``--fit``): not kept apart, as the lever's gain did not hold across bases
# (docs/benchmarks.md). The lever's own row chooses it in the folds.
SHIPPED_KINDS = (False,)


def linear_model(lexical_weight: float, threshold: float = 0.5, kinds_apart: bool = False) -> same.PairModel:
    """The shipped linear form: (1 - w) of the centred cosine plus w of the call-out TF-IDF cosine."""
    weights = [0.0] * len(same.FEATURES)
    weights[same.FEATURES.index("centred_cosine")] = 1.0 - lexical_weight
    weights[same.FEATURES.index("lexical")] = lexical_weight
    return same.PairModel(0.0, tuple(weights), threshold, logistic=False, kinds_apart=kinds_apart)


def fit_linear(
    stories: list[Story], features: dict[str, np.ndarray], kinds: tuple[bool, ...] = (False,)
) -> same.PairModel:
    """The linear model with the lexical weight, threshold (and with ``kinds`` (False, True): whether
    clearly different kinds are kept apart) best on ``stories`` (mean ARI)."""
    fitted = [
        fit_threshold(linear_model(w, kinds_apart=k), stories, features, with_score=True)
        for w in LEXICAL_GRID
        for k in kinds
    ]
    return max(fitted, key=lambda pair: pair[1])[0]


def fit_threshold(
    model: same.PairModel, stories: list[Story], features: dict[str, np.ndarray], with_score: bool = False
) -> Any:
    """``model`` with the average-link threshold best on ``stories``."""
    table = np.mean(
        [[ari(s, labels) for labels in cuts(model_scores(model, features[s.name], s))] for s in stories], axis=0
    )
    chosen = dataclasses.replace(model, threshold=GRID[int(np.argmax(table))])
    return (chosen, float(table.max())) if with_score else chosen


def incremental(story: Story, model: same.PairModel) -> np.ndarray:
    """Questions arriving one by one (file order): each joins a group (join_group) or starts one."""
    labels: list[int] = []
    for i in range(len(story.texts)):
        joined = grp.join_group(
            story.vectors[:i], story.texts[:i], labels, story.vectors[i], story.texts[i], model=model, title=story.title
        )
        labels.append(max(labels, default=-1) + 1 if joined is None else joined)
    return np.asarray(labels)


JOIN_GRID = (0.10, 0.12, 0.14, 0.16, 0.18, 0.20, 0.24)


def join_table(stories: list[Story], models: dict[str, same.PairModel]) -> dict[str, list[float]]:
    """Incremental ARI of each story at every join threshold of JOIN_GRID (its fold's pair model)."""
    return {
        s.name: [ari(s, incremental(s, dataclasses.replace(models[s.name], join_threshold=t))) for t in JOIN_GRID]
        for s in stories
    }


def incremental_local(story: Story, model: same.PairModel) -> np.ndarray:
    """A lever for the incremental path: at each arrival, average link over every question so far;
    the new question takes the group most of its cluster-mates are in (earlier questions keep theirs)."""
    labels: list[int] = []
    for i in range(len(story.texts)):
        clusters = grp._cluster_scores(
            same.same_question_matrix(story.texts[: i + 1], story.vectors[: i + 1], model, title=story.title),
            model.threshold,
        )
        mates = Counter(labels[j] for j in range(i) if clusters[j] == clusters[i])
        labels.append(mates.most_common(1)[0][0] if mates else max(labels, default=-1) + 1)
    return np.asarray(labels)


# --- the default tick ------------------------------------------------------------------------


def tick_pairs(story: Story, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Default-tick score and truth of every ordered pair (anchor, other) inside one machine group."""
    scores, truth = [], []
    same_question = same_pairs(story)
    for group in np.unique(labels):
        members = np.flatnonzero(labels == group)
        for anchor in members:
            others = [int(m) for m in members if m != anchor]
            if not others:
                continue
            scores.append(
                same.same_question_scores(
                    story.texts[anchor], story.vectors[anchor], [story.texts[o] for o in others], story.vectors[others]
                )
            )
            truth.append(same_question[anchor, others])
    if not scores:
        return np.zeros(0), np.zeros(0, dtype=bool)
    return np.concatenate(scores), np.concatenate(truth)


# --- main --------------------------------------------------------------------------------------


def grouping(stories: list[Story], fit_only: bool) -> None:
    features = {s.name: same.pair_features(s.texts, s.vectors, title=s.title) for s in stories}
    untitled = {s.name: same.pair_features(s.texts, s.vectors) for s in stories}
    if fit_only:
        model = fit_pair_model(stories, features)
        print("LOGISTIC_PAIR_MODEL =", model)
        linear = fit_linear(stories, features, SHIPPED_KINDS)
        print("PAIR_MODEL =", linear)
        table = join_table(stories, {s.name: linear for s in stories})
        print("PAIR_MODEL join_threshold:", JOIN_GRID[int(np.argmax(np.mean(list(table.values()), axis=0)))])
        print("UNTITLED_PAIR_MODEL threshold:", fit_threshold(same.UNTITLED_PAIR_MODEL, stories, untitled).threshold)
        return

    print("\n## Groups: ARI per story (threshold or weights chosen on the other three)\n")
    methods: dict[str, Similarity] = {
        "regroup, threshold held out": sim_regroup,
        "cosine average link": sim_cosine,
        "mean vector removed": sim_centred,
        "all-but-the-top (mean + 1 component)": sim_all_but_the_top,
        "all-but-the-top + call-out idf (0.3)": sim_all_but_the_top_lexical,
    }
    header = "| method | " + " | ".join(s.name for s in stories) + " | mean |"
    print(header)
    print("|---" * (len(stories) + 2) + "|")
    as_was = [ari(s, grp.regroup(s.vectors, s.texts)) for s in stories]
    print(
        "| regroup as it was (MiniLM + TF-IDF, NewsQuizQA threshold) | "
        + " | ".join(f"{v:.3f}" for v in as_was)
        + f" | {np.mean(as_was):.3f} |"
    )
    for name, method in methods.items():
        result = held_out_threshold(method, stories)
        values = [result[s.name][0] for s in stories]
        print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in values) + f" | {np.mean(values):.3f} |")

    models: dict[str, same.PairModel] = {}
    linear_models: dict[str, same.PairModel] = {}
    rows: dict[str, list[float]] = {}
    for story in stories:
        others = [o for o in stories if o.name != story.name]
        model = fit_pair_model(others, features)
        models[story.name] = model
        linear = linear_models[story.name] = fit_linear(others, features, SHIPPED_KINDS)
        kinds = fit_linear(others, features, (False, True))
        before = fit_threshold(same.UNTITLED_PAIR_MODEL, others, untitled)
        for name, chosen, table in (
            ("logistic pair model", model, features),
            ("centred + call-out idf (title words kept), linear 0.7/0.3", before, untitled),
            ("centred + call-out idf without the title's words, linear", linear, features),
            ("the same, clearly different kinds kept apart or not (chosen in folds)", kinds, features),
        ):
            full = grp._cluster_scores(model_scores(chosen, table[story.name], story), chosen.threshold)
            rows.setdefault(f"{name}, full regroup", []).append(ari(story, full))
            kept = story if table is features else dataclasses.replace(story, title="")
            rows.setdefault(f"{name}, incremental", []).append(ari(story, incremental(kept, chosen)))
        rows.setdefault("linear, incremental with a local regroup at arrival", []).append(
            ari(story, incremental_local(story, linear))
        )
        # What the product runs: groups first, over the whole call-out (themes are made of them
        # afterwards); and, for comparison, groups nested inside regroup's themes.
        shipped = grp.same_question_groups(story.vectors, story.texts, model=linear, title=story.title)
        rows.setdefault("shipped: linear, groups first, full regroup", []).append(ari(story, shipped))
        nested = grp.same_question_groups(story.vectors, story.texts, nested=True, model=linear, title=story.title)
        rows.setdefault("linear, nested in themes, full regroup", []).append(ari(story, nested))
    # The incremental path with a join threshold of its own, chosen on the other three stories.
    # (Each story's row uses its own fold's model, so the table is read per column.)
    joins = join_table(stories, linear_models)
    chosen_joins = []
    for story in stories:
        others = np.mean([joins[o.name] for o in stories if o is not story], axis=0)
        best = int(np.argmax(others))
        chosen_joins.append(JOIN_GRID[best])
        rows.setdefault("shipped: linear, incremental, join threshold held out", []).append(joins[story.name][best])
    for name, values in rows.items():
        print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in values) + f" | {np.mean(values):.3f} |")
    print("(join thresholds chosen in the folds: " + ", ".join(f"{t:.2f}" for t in chosen_joins) + ")")
    print(
        "(shipped linear: lexical weight, kinds apart, threshold chosen in each fold: "
        + "; ".join(
            f"{s.name} {m.weights[same.FEATURES.index('lexical')]:.1f}, {m.kinds_apart}, {m.threshold:.2f}"
            for s, m in ((s, linear_models[s.name]) for s in stories)
        )
        + ")"
    )

    print("\n## Default tick: pairwise precision / recall inside the machine groups of the pair model\n")
    labels = {
        s.name: grp._cluster_scores(
            model_scores(linear_models[s.name], features[s.name], s), linear_models[s.name].threshold
        )
        for s in stories
    }
    print("| story | " + " | ".join(f"score >= {t:.2f}" for t in TICK_GRID) + " |")
    print("|---" * (len(TICK_GRID) + 1) + "|")
    for story in stories:
        scores, truth = tick_pairs(story, labels[story.name])
        cells = []
        for threshold in TICK_GRID:
            ticked = scores >= threshold
            precision = f"{truth[ticked].mean():.2f}" if ticked.any() else "-"
            cells.append(f"P {precision}, R {ticked[truth].mean() if truth.any() else 0:.2f} ({ticked.sum()})")
        print(f"| {story.name} | " + " | ".join(cells) + " |")
    print(f"(shipped TICK_THRESHOLD = {same.TICK_THRESHOLD}, a fixed rule: nothing fitted)")


# --- evidence --------------------------------------------------------------------------------

LEVEL_GRID = [round(t, 2) for t in np.arange(0.05, 0.96, 0.01)]


class _Named:
    """An embedder stand-in that only names the vectors' model (they are precomputed)."""

    def __init__(self, name: str, dim: int) -> None:
        self.name = name
        self.dim = dim

    def embed(self, texts: Sequence[str]) -> Vectors:
        raise NotImplementedError


def evidence_rows(story: Story, embedder_name: str) -> tuple[list[bool], np.ndarray, np.ndarray]:
    """Per question: a right sentence in the top 3 (answered ones only), confidence, truly answered."""
    index = StoryIndex(story.sentences, story.sentence_vectors, _Named(embedder_name, story.vectors.shape[1]))
    found = index.evidence(story.texts, top_k=3, vectors=story.vectors)
    hits = [
        any(s.index in story.evidence[i] for s in item.sentences) for i, item in enumerate(found) if story.evidence[i]
    ]
    confidence = np.array([item.confidence for item in found])
    answered = np.array([bool(e) for e in story.evidence])
    return hits, confidence, answered


def choose_levels(rows: list[tuple[np.ndarray, np.ndarray]]) -> tuple[float, float]:
    """(yes_at, maybe_at) on training stories: "yes" where precision >= 0.90, "maybe" down to recall 0.75."""
    confidence = np.concatenate([r[0] for r in rows])
    answered = np.concatenate([r[1] for r in rows])
    yes_at = max(LEVEL_GRID)
    for t in LEVEL_GRID:
        chosen = confidence >= t
        if chosen.sum() >= 5 and answered[chosen].mean() >= 0.90:
            yes_at = t
            break
    maybe_at = min(LEVEL_GRID)
    for t in sorted(LEVEL_GRID, reverse=True):
        if (confidence[answered] >= t).mean() >= 0.75:
            maybe_at = t
            break
    return yes_at, min(maybe_at, yes_at)


WEIGHT_GRID = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0)


def top3_by_weight(story: Story, embedder_name: str, topic_share: float) -> list[float]:
    """Share of answered questions with a right sentence in the top 3, for each lexical weight of WEIGHT_GRID.

    ``topic_share`` of the mean of the story's question and sentence vectors is removed from both first.
    """
    questions, sentences = story.vectors, story.sentence_vectors
    if topic_share:
        mean = np.vstack([questions, sentences]).mean(axis=0, keepdims=True)
        questions, sentences = normalise(questions - topic_share * mean), normalise(sentences - topic_share * mean)
    index = StoryIndex(story.sentences, sentences, _Named(embedder_name, sentences.shape[1]))
    cosine, lexical = index.score_matrix(story.texts, questions)
    answered = [i for i, e in enumerate(story.evidence) if e]
    out = []
    for weight in WEIGHT_GRID:
        top = np.argsort(-(cosine + weight * lexical), axis=1, kind="stable")[:, :3]
        out.append(float(np.mean([any(int(t) in story.evidence[i] for t in top[i]) for i in answered])))
    return out


def evidence_levers(stories: list[Story], embedder_name: str) -> None:
    print("\n## Evidence levers: top 3 with the lexical weight chosen on the other three stories\n")
    print("| ranking | " + " | ".join(s.name for s in stories) + " | mean |")
    print("|---" * (len(stories) + 2) + "|")
    for name, share in (
        ("cosine + w BM25", 0.0),
        ("story topic removed (half its mean)", 0.5),
        ("story mean removed", 1.0),
    ):
        table = {s.name: top3_by_weight(s, embedder_name, share) for s in stories}
        cells = []
        for story in stories:
            mean = np.mean([table[o.name] for o in stories if o is not story], axis=0)
            best = int(np.argmax(mean))
            cells.append((table[story.name][best], WEIGHT_GRID[best]))
        print(
            f"| {name} | "
            + " | ".join(f"{v:.3f} (w {w})" for v, w in cells)
            + f" | {np.mean([v for v, _ in cells]):.3f} |"
        )


def evidence_figures(stories: list[Story], embedder_name: str, fit_only: bool) -> None:
    rows = {s.name: evidence_rows(s, embedder_name) for s in stories}
    if fit_only:
        print("evidence levels (yes_at, maybe_at):", choose_levels([rows[s.name][1:] for s in stories]))
        return
    print("\n## Evidence: top 3 and the answered decision in three levels (levels chosen on the other three)\n")
    print(
        "| story | right sentence in top 3 | yes at | maybe at | yes: precision | yes: recall "
        "| yes or maybe: precision | yes or maybe: recall |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for story in stories:
        hits, confidence, answered = rows[story.name]
        yes_at, maybe_at = choose_levels([rows[o.name][1:] for o in stories if o.name != story.name])
        yes = confidence >= yes_at
        pointer = confidence >= maybe_at
        print(
            f"| {story.name} | {np.mean(hits):.3f} | {yes_at:.2f} | {maybe_at:.2f} "
            f"| {answered[yes].mean() if yes.any() else float('nan'):.2f} | {yes[answered].mean():.2f} "
            f"| {answered[pointer].mean() if pointer.any() else float('nan'):.2f} | {pointer[answered].mean():.2f} |"
        )
    print(f"(shipped: yes at {YES_AT}, maybe at {MAYBE_AT}, fitted on all four stories)")
    evidence_levers(stories, embedder_name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--embedder", default="minilm")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/askdesk-bench-cache"))
    parser.add_argument("--vectors", type=Path, default=None)
    parser.add_argument("--fit", action="store_true", help="print constants fitted on all four stories")
    parser.add_argument("--skip-evidence", action="store_true")
    parser.add_argument("--asked-only", type=float, default=0.0, help="share of the vector from the asking sentences")
    args = parser.parse_args()
    print(describe_machine())
    print(
        f"vectors: {args.vectors or args.embedder}"
        + (f", {args.asked_only} from the asking sentences" if args.asked_only else "")
    )
    stories = load(args.data, args.embedder, args.cache, args.vectors)
    if args.asked_only:
        stories = with_asked_only(stories, args.asked_only, args.embedder, args.cache)
    grouping(stories, args.fit)
    if not args.skip_evidence:
        evidence_figures(stories, "all-MiniLM-L6-v2" if args.vectors is None else str(args.vectors), args.fit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
