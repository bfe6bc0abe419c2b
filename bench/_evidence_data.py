"""Loaders for the answer-sentence selection sets used by ``bench/evidence.py``.

The sets are read from ``/work/shared/data`` (or a path given on the command line); the
product itself never reads them.
"""

from __future__ import annotations

import csv
import random
import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


@dataclass(frozen=True)
class Candidates:
    """One question and its candidate sentences, each labelled 1 (answers it) or 0."""

    qid: str
    question: str
    sentences: list[str]
    labels: list[int]
    title: str = ""


def load_wikiqa(data: Path) -> list[Candidates]:
    """WikiQA dev: rows grouped by question, sentences in article order."""
    groups: dict[str, Candidates] = {}
    with (data / "wikiqa" / "WikiQA-dev.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            qid = row["QuestionID"]
            if qid not in groups:
                groups[qid] = Candidates(qid, row["Question"], [], [], row["DocumentTitle"])
            groups[qid].sentences.append(row["Sentence"])
            groups[qid].labels.append(int(row["Label"]))
    return list(groups.values())


_PAIR = re.compile(r"<QApairs id='([^']+)'>(.*?)</QApairs>", re.S)
_ITEM = re.compile(r"<(question|positive|negative)>\s*\n(.*?)\n", re.S)


def _detok(tab_tokens: str) -> str:
    text = " ".join(tab_tokens.split("\t"))
    text = text.replace("``", '"').replace("''", '"').replace("-LRB-", "(").replace("-RRB-", ")")
    text = re.sub(r" ([,.;:?!%)])", r"\1", text)
    text = re.sub(r"\( ", "(", text)
    return re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text)


def load_trecqa(data: Path) -> list[Candidates]:
    """TrecQA dev (pseudo-XML, first line of each block is the tab-tokenised text)."""
    raw = (data / "trecqa" / "DEV.xml").read_text(encoding="utf-8")
    out: list[Candidates] = []
    for qid, body in _PAIR.findall(raw):
        question = ""
        sentences: list[str] = []
        labels: list[int] = []
        for kind, first_line in _ITEM.findall(body):
            text = _detok(first_line.strip())
            if kind == "question":
                question = text
            else:
                sentences.append(text)
                labels.append(1 if kind == "positive" else 0)
        # The file lists every positive before the negatives: shuffle (seeded) so that
        # neither tie-breaking nor any position signal can profit from that order.
        order = list(range(len(sentences)))
        random.Random(qid).shuffle(order)
        out.append(Candidates(qid, question, [sentences[i] for i in order], [labels[i] for i in order]))
    return out


def load_stsb(data: Path, split: str = "dev") -> tuple[list[str], list[str], list[float]]:
    """STS-B English pairs and their 0-5 similarity scores."""
    left: list[str] = []
    right: list[str] = []
    scores: list[float] = []
    with (data / "stsb" / f"stsb-en-{split}.csv").open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            if len(row) != 3:
                continue
            try:
                score = float(row[2])
            except ValueError:
                continue  # header line
            left.append(row[0])
            right.append(row[1])
            scores.append(score)
    return left, right, scores
