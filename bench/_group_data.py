"""Loaders for the grouping benchmark (bench/group.py); read-only public data sets."""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


@dataclass
class Pairs:
    left: list[str]
    right: list[str]
    positive: list[int]


def load_newsquizqa(data: Path) -> tuple[list[str], list[str]]:
    """NewsQuizQA dev: (questions, article url of each)."""
    with open(data / "newsquizqa" / "news_quiz_qa-dev.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [r["question"].strip() for r in rows], [r["url"] for r in rows]


def article_half(url: str) -> int:
    """0 or 1: a fixed split of the articles (hash of the url), not of the questions."""
    return hashlib.md5(url.encode()).digest()[0] % 2


def load_msrp(data: Path) -> Pairs:
    """MSRP test: 1,725 sentence pairs, positive when labelled paraphrase."""
    folder = data / "msrp"
    left = (folder / "test.a.toks").read_text(encoding="utf-8").splitlines()
    right = (folder / "test.b.toks").read_text(encoding="utf-8").splitlines()
    labels = [int(x) for x in (folder / "test.sim.txt").read_text(encoding="utf-8").split()]
    return Pairs(left, right, labels)


def load_stsb(data: Path, split: str = "test", positive_from: float = 4.0) -> Pairs:
    """STS-B (English): pairs scored 0-5, positive when the score is at least ``positive_from``."""
    left, right, positive = [], [], []
    with open(data / "stsb" / f"stsb-en-{split}.csv", encoding="utf-8", newline="") as handle:
        for a, b, score in csv.reader(handle):
            left.append(a)
            right.append(b)
            positive.append(int(float(score) >= positive_from))
    return Pairs(left, right, positive)


def load_realtimeqa(data: Path) -> list[str]:
    """The unique question sentences of RealTimeQA, in file order."""
    seen: dict[str, None] = {}
    with open(data / "realtimeqa" / "questions.jsonl", encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line)["question_sentence"].strip()
            if text:
                seen.setdefault(text, None)
    return list(seen)
