"""Capitals restored to tokenised stories: words cased as the original, with and without the casing rules.

Run: ``.venv/bin/python bench/story_case.py [--data ../shared/data]``

Data: the four invented stories of ``callouts/`` (CC0), each made into a tokenised,
lower-cased story as news corpora ship them (the same steps as the test fixture
``tests/nlp/fixtures/flood-town.tok.txt``), read back with ``askdesk.nlp.text.read_story``
and compared word by word with the story's own ``sentences.txt``. The rules were written
looking at the demo story and at ``flood-town``; the other three stories were not looked at.

Two readings: ``truecase`` alone (the package's statistical truecaser on each sentence,
unknown words title-cased, the first word capitalised: what the reader did before) and
``askdesk`` (``askdesk.nlp.casing``). For each: words whose letters differ from the
original, and sentences that come back exactly (after typographic quotes are turned back
into straight ones).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _machine import describe_machine

STORIES = ["flood-town", "rail-strike", "interest-rates", "measles-schools"]


def tokenise(text: str) -> str:
    """Lower case, punctuation split off by spaces, "'s" as "' s", hyphens inside words as " - "."""
    out = []
    for paragraph in text.split("\n\n"):
        s = paragraph.lower()
        s = re.sub(r"(\w)'(s|t|re|ve|ll|d|m)\b", r"\1 ' \2", s)
        s = re.sub(r"(\w)'(\s)", r"\1 '\2", s)
        s = re.sub(r"(?<=[a-z0-9])-(?=[a-z])", " - ", s)
        s = re.sub(r"(?<![0-9]),|,(?![0-9])", " , ", s)
        s = re.sub(r'([;:?!()"])', r" \1 ", s)
        s = re.sub(r"\.(\s|$)", r" . \1", s)
        s = s.replace("£", "£ ")
        out.append(" ".join(s.split()))
    return " ".join(out)


def plain(sentence: str) -> str:
    return sentence.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').replace(" – ", " - ")


def baseline_reader(monkeypatch_target: object) -> None:
    """Swap the casing step for the package's truecaser as the reader used it before."""
    from truecase.TrueCaser import TrueCaser

    caser = TrueCaser()

    def truecase(tokens: list[str], names: frozenset[str] = frozenset()) -> list[str]:
        return list(caser.get_true_case_from_tokens(tokens, out_of_vocabulary_token_option="title"))

    monkeypatch_target.truecase = truecase  # type: ignore[attr-defined]


def score(story_dir: Path) -> tuple[int, int, int, int]:
    from askdesk.nlp.text import read_story

    raw = (story_dir / "story.txt").read_text(encoding="utf-8").split("\n\n", 1)[1]
    wanted = [line for line in (story_dir / "sentences.txt").read_text(encoding="utf-8").split("\n") if line.strip()]
    got = [plain(s) for s in read_story(tokenise(raw)).sentences]
    words = wrong = exact = 0
    for original, restored in zip(wanted, got, strict=False):
        exact += original == restored
        for a, b in zip(re.findall(r"[A-Za-z]+", original), re.findall(r"[A-Za-z]+", restored), strict=False):
            words += 1
            wrong += a != b
    return words, wrong, exact, len(wanted)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    args = parser.parse_args()
    print(describe_machine())
    from askdesk.nlp import text

    ours = {name: score(args.data / "callouts" / name) for name in STORIES}
    baseline_reader(text)
    before = {name: score(args.data / "callouts" / name) for name in STORIES}
    print("\n| story | words | wrong: truecase alone | wrong: askdesk | exact sentences: truecase alone | askdesk |")
    print("|---|---|---|---|---|---|")
    for name in STORIES:
        words, wrong, exact, sentences = ours[name]
        _, wrong_before, exact_before, _ = before[name]
        print(
            f"| {name} | {words} | {wrong_before} ({wrong_before / words:.1%}) | {wrong} ({wrong / words:.1%}) "
            f"| {exact_before}/{sentences} | {exact}/{sentences} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
