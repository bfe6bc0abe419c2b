"""Contact-detail scrubbing: askdesk.nlp.scrub against Microsoft Presidio's recognisers.

Two labelled sets:
  * presidio-research's synthetic set (``<data-dir>/pii/synth_dataset_v2.json``, 1,500
    Faker-made sentences; PHONE_NUMBER -> phone, EMAIL_ADDRESS -> email, STREET_ADDRESS and
    ZIP_CODE -> address; other labels are not contact details here);
  * our own reader questions (``bench/data/contact_questions.jsonl``, see its README).

Matching rule: a found span of kind K is correct when it overlaps (shares at least one
character with) a labelled span of kind K; a labelled span is recalled when a found span of
its kind overlaps it. "covered" recall also asks that the found spans of that kind cover
every character of the labelled one (what matters for not leaking part of a number).

Presidio runs offline: AnalyzerEngine with Presidio's NoOpNlpEngine (no spaCy model; the
default registry's pattern and phone recognisers only, which need none), score_threshold=0
so every candidate counts, and tldextract pointed at its bundled suffix list so that the
email recogniser does not try the network.

    .venv/bin/python bench/scrub.py [--data-dir ../shared/data] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from _machine import describe_machine  # noqa: E402

from askdesk.nlp.scrub import DEFAULT_REGIONS, find_contact_details  # noqa: E402

KINDS = ("email", "phone", "address")
SYNTH_KINDS = {"PHONE_NUMBER": "phone", "EMAIL_ADDRESS": "email", "STREET_ADDRESS": "address", "ZIP_CODE": "address"}
PRESIDIO_KINDS = {"PHONE_NUMBER": "phone", "EMAIL_ADDRESS": "email", "UK_POSTCODE": "address"}

Found = tuple[str, int, int]  # kind, start, end


@dataclass
class Item:
    text: str
    gold: list[Found]
    other_labels: list[tuple[str, int, int]] = field(default_factory=list)


@dataclass
class Score:
    gold: int = 0
    recalled: int = 0
    covered: int = 0
    found: int = 0
    correct: int = 0
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)

    def precision(self) -> float | None:
        return self.correct / self.found if self.found else None

    def recall(self) -> float | None:
        return self.recalled / self.gold if self.gold else None

    def covered_recall(self) -> float | None:
        return self.covered / self.gold if self.gold else None


def load_synthetic(path: Path) -> tuple[list[Item], int]:
    """Items of the presidio-research set, and how many labels were dropped because their
    offsets do not point at their value (the set has a few, e.g. ZIP codes on texts
    that do not contain them)."""
    rows = json.loads(path.read_text(encoding="utf-8"))
    items, dropped = [], 0
    for row in rows:
        text = row["full_text"]
        gold, other = [], []
        for span in row["spans"]:
            start, end, label = span["start_position"], span["end_position"], span["entity_type"]
            if text[start:end] != span["entity_value"]:
                dropped += label in SYNTH_KINDS
                continue
            if label in SYNTH_KINDS:
                gold.append((SYNTH_KINDS[label], start, end))
            else:
                other.append((label, start, end))
        items.append(Item(text, gold, other))
    return items, dropped


def load_own(path: Path) -> list[Item]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        for span in row["spans"]:
            assert row["text"][span["start"] : span["end"]] == span["text"], span
        items.append(Item(row["text"], [(s["kind"], s["start"], s["end"]) for s in row["spans"]]))
    return items


def ours(text: str) -> list[Found]:
    return [(s.kind, s.start, s.end) for s in find_contact_details(text)]


def presidio_systems() -> dict[str, Callable[[str], list[Found]]]:
    import presidio_analyzer.predefined_recognizers.generic.email_recognizer as email_module
    import tldextract

    # The email recogniser calls tldextract.extract, whose default fetches the public
    # suffix list over the network; the bundled snapshot gives the same answers offline.
    offline = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    email_module.tldextract = type("OfflineTldextract", (), {"extract": staticmethod(offline)})  # type: ignore[assignment]

    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NoOpNlpEngine
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer

    engine = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}])
    registry = RecognizerRegistry()
    registry.load_predefined_recognizers(nlp_engine=engine)
    analyzer = AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=["en"])
    entities = [e for e in PRESIDIO_KINDS if e in analyzer.get_supported_entities("en")]
    print(f"  entities asked for (those of {', '.join(PRESIDIO_KINDS)} its registry has): {', '.join(entities)};")

    def default(text: str) -> list[Found]:
        results = analyzer.analyze(text, language="en", entities=entities, score_threshold=0)
        return [(PRESIDIO_KINDS[r.entity_type], r.start, r.end) for r in results]

    def phone_recogniser(leniency: int) -> Callable[[str], list[Found]]:
        recogniser = PhoneRecognizer(supported_regions=DEFAULT_REGIONS, leniency=leniency)

        def run(text: str) -> list[Found]:
            return [("phone", r.start, r.end) for r in recogniser.analyze(text, ["PHONE_NUMBER"], None)]

        return run

    return {
        "presidio default": default,
        "libphonenumber VALID, our regions": phone_recogniser(1),
        "libphonenumber POSSIBLE, our regions": phone_recogniser(0),
    }


def evaluate(system: Callable[[str], list[Found]], items: Iterable[Item]) -> tuple[dict[str, Score], float]:
    scores = {kind: Score() for kind in KINDS}
    started = time.perf_counter()
    outputs = [(item, system(item.text)) for item in items]
    elapsed = time.perf_counter() - started
    for item, found in outputs:
        for kind, start, end in item.gold:
            score = scores[kind]
            score.gold += 1
            mine = [(s, e) for k, s, e in found if k == kind and s < end and start < e]
            if mine:
                score.recalled += 1
                covered = set().union(*(range(s, e) for s, e in mine))
                score.covered += all(i in covered for i in range(start, end))
            else:
                score.misses.append(_show(item.text, start, end))
        for kind, start, end in found:
            score = scores[kind]
            score.found += 1
            if any(k == kind and s < end and start < e for k, s, e in item.gold):
                score.correct += 1
            else:
                labels = sorted({label for label, s, e in item.other_labels if s < end and start < e})
                score.false_positives.append(
                    _show(item.text, start, end) + (f"  [{', '.join(labels)}]" if labels else "")
                )
    return scores, elapsed / max(1, len(outputs))


def _show(text: str, start: int, end: int) -> str:
    before = text[max(0, start - 35) : start].replace("\n", "⏎")
    after = text[end : end + 20].replace("\n", "⏎")
    return f"…{before}⟦{text[start:end]}⟧{after}…".replace("\n", "⏎")


def _fmt(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:5.3f}"


def report(title: str, items: list[Item], systems: dict[str, Callable[[str], list[Found]]], verbose: bool) -> None:
    counts = {kind: sum(1 for item in items for k, _, _ in item.gold if k == kind) for kind in KINDS}
    print(f"\n== {title}: {len(items)} texts; labelled " + ", ".join(f"{k} {n}" for k, n in counts.items()))
    print(
        f"{'system':<38} {'kind':<8} {'prec':>6} {'recall':>7} {'covered':>8} "
        f"{'found':>6} {'FP':>4} {'miss':>5} {'ms/text':>8}"
    )
    results = {}
    for name, system in systems.items():
        scores, per_text = evaluate(system, items)
        results[name] = scores
        for kind in KINDS:
            s = scores[kind]
            if s.found == 0 and name.startswith("libphonenumber") and kind != "phone":
                continue
            print(
                f"{name:<38} {kind:<8} {_fmt(s.precision()):>6} {_fmt(s.recall()):>7} {_fmt(s.covered_recall()):>8} "
                f"{s.found:>6} {s.found - s.correct:>4} {s.gold - s.recalled:>5} {per_text * 1000:>8.2f}"
            )
    if verbose:
        for name in ("askdesk", "presidio default"):
            if name not in results:
                continue
            for kind in KINDS:
                s = results[name][kind]
                limit = 40 if kind != "address" else 8
                for label, rows in (("missed", s.misses), ("false positive", s.false_positives)):
                    for row in rows[:limit]:
                        print(f"  {name} {kind} {label}: {row}")
                    if len(rows) > limit:
                        print(f"  {name} {kind} {label}: ... {len(rows) - limit} more")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--own", type=Path, default=REPO / "bench" / "data" / "contact_questions.jsonl")
    parser.add_argument("--no-presidio", action="store_true", help="only run askdesk.nlp.scrub")
    parser.add_argument("--verbose", action="store_true", help="list misses and false positives")
    args = parser.parse_args()

    import phonenumbers

    print(f"machine: {describe_machine()}")
    print(f"phonenumbers {phonenumbers.__version__}; regions {','.join(DEFAULT_REGIONS)}")
    print("matching: a found span is correct if it overlaps a labelled span of the same kind; recall counts")
    print("labelled spans overlapped by a found span of their kind; 'covered' = every character of it found.")
    systems: dict[str, Callable[[str], list[Found]]] = {"askdesk": ours}
    if not args.no_presidio:
        from importlib.metadata import version

        print(f"presidio-analyzer {version('presidio-analyzer')}: AnalyzerEngine + NoOpNlpEngine, default registry,")
        systems.update(presidio_systems())
        print("  score_threshold=0; the libphonenumber rows are Presidio's PhoneRecognizer over our")
        print("  regions at that leniency (a plain PhoneNumberMatcher loop, no context).")

    synthetic, dropped = load_synthetic(args.data_dir / "pii" / "synth_dataset_v2.json")
    title = "presidio-research synth_dataset_v2"
    if dropped:
        title += f" ({dropped} labels dropped: offsets not on their value)"
    report(title, synthetic, systems, args.verbose)
    report("askdesk reader questions (bench/data/contact_questions.jsonl)", load_own(args.own), systems, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
