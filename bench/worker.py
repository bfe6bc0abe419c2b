"""How fast the analysis worker keeps up with a burst: questions analysed per second, step by step.

Builds a throwaway SQLite database with the demo story, submits N questions through the reader
service (NewsQuizQA dev questions, in file order: real reader-like wording, many subjects), then
runs the worker's analysis of each question in arrival order, as one worker process drains a
backlog: embedding (the product's MiniLM), the same-question group it joins, the story
sentences that may answer it, and every full regroup the arrivals trigger
(`ASKDESK_REGROUP_EVERY`, `ASKDESK_REGROUP_SHARE`). It prints the throughput and, per step,
the median, p95 and total time, by slices of the backlog (so growth with the call-out shows).

    .venv/bin/python bench/worker.py --questions 1000 --data /work/shared/data
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _demo_desk import demo_callout, setup_django  # noqa: E402 - bench/ is on the path
from _group_data import DEFAULT_DATA, load_newsquizqa  # noqa: E402
from _machine import describe_machine  # noqa: E402


def milliseconds(values: list[float]) -> str:
    if not values:
        return "          -"
    p95 = statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)
    return f"{statistics.median(values) * 1000:7.1f} {p95 * 1000:7.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--slices", type=int, default=4, help="report the backlog in this many slices")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    texts, _ = load_newsquizqa(args.data)
    texts = texts[: args.questions]
    setup_django()

    from django.conf import settings
    from django_tasks import default_task_backend

    from askdesk.analysis import services as analysis
    from askdesk.questions.models import QuestionGroup
    from askdesk.questions.services import question_submit

    _, callout = demo_callout()
    ids = [
        question_submit(callout=callout, submission_key=uuid.uuid4(), text=text, consent=True)[0].pk for text in texts
    ]
    default_task_backend.results.clear()  # type: ignore[attr-defined]
    analysis.embedder().embed(["warm the model up"])

    steps: dict[str, list[list[float]]] = {name: [[] for _ in range(args.slices)] for name in ("analyse", "regroup")}
    started = time.perf_counter()
    regroups = 0
    for n, pk in enumerate(ids):
        part = n * args.slices // len(ids)
        t0 = time.perf_counter()
        analysis.question_analyse(question_id=pk)
        steps["analyse"][part].append(time.perf_counter() - t0)
        queued = [r for r in default_task_backend.results if r.task.name == "regroup_callout"]  # type: ignore[attr-defined]
        default_task_backend.results.clear()  # type: ignore[attr-defined]
        if queued:
            t0 = time.perf_counter()
            analysis.callout_regroup(callout_id=callout.pk)
            steps["regroup"][part].append(time.perf_counter() - t0)
            regroups += 1
    elapsed = time.perf_counter() - started

    print(describe_machine())
    print(
        f"{len(ids)} questions on the demo story, one worker, SQLite; "
        f"ASKDESK_REGROUP_EVERY={settings.ASKDESK_REGROUP_EVERY}, "
        f"ASKDESK_REGROUP_SHARE={settings.ASKDESK_REGROUP_SHARE}, "
        f"ASKDESK_NUMERIC_THREADS={settings.ASKDESK_NUMERIC_THREADS}"
    )
    print(f"analysed in {elapsed:.1f} s: {len(ids) / elapsed:.1f} questions/s, {regroups} full regroups")
    print(f"{QuestionGroup.objects.filter(callout=callout).count()} groups at the end")
    print()
    print("questions          analyse one: median p95 ms   total s   regroups: n  median p95 ms   total s")
    size = len(ids) / args.slices
    for part in range(args.slices):
        one, whole = steps["analyse"][part], steps["regroup"][part]
        label = f"{int(part * size) + 1:>5}-{int((part + 1) * size):<5}"
        print(
            f"{label:<18} {milliseconds(one):>24} {sum(one):9.1f}   {len(whole):12d}  {milliseconds(whole):>13} "
            f"{sum(whole):9.1f}"
        )


if __name__ == "__main__":
    main()
