"""Help while the reader types: how long the suggestion endpoint takes with the real model.

Builds a throwaway SQLite database, imports a call-outs story (``../shared/data/callouts``),
has the worker embed, group and check its 80 reader questions with the real model, publishes
a quarter of them (each covering the other questions of its group), shortlists every other
group (so readers can join it: "I want to know too"), then posts drafts to
``/ask/<call-out>/suggestions/`` through Django's test client as a reader's browser would:
each question typed word by word from its fourth word on, as the script sends it after a
pause. Prints the latency of the first call (model load and per-call-out caches), then the
median, p95 and p99 of the warm calls (wall clock, and CPU time, which is what a call takes
on a core of its own when the machine is shared), and the embedding alone for comparison.

    .venv/bin/python bench/suggest.py [--data /work/shared/data] [--story rail-strike] [--threads 1]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import _demo_desk as demo_desk  # noqa: E402 - bench/ is on the path when a script here runs
from _machine import describe_machine  # noqa: E402


def setup_django(threads: int) -> None:
    os.environ["ASKDESK_EMBEDDER"] = "minilm"
    os.environ["ASKDESK_SUGGEST_THREADS"] = str(threads)
    # One client sends every draft: the per-client limit would answer most of them with a 429.
    os.environ["ASKDESK_LIMITS_ENABLED"] = "0"
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
    demo_desk.setup_django()


def prepare(story_dir: Path, publish_every: int) -> tuple[str, list[str]]:
    """The call-out's slug and its reader questions, analysed and partly published."""
    import json

    from askdesk.analysis import services as analysis
    from askdesk.answers.services import answer_publish, answer_save
    from askdesk.questions.models import Question
    from askdesk.questions.services import question_assign, question_submit, question_transition
    from tests.conftest import make_expert

    room, callout = demo_desk.demo_callout((story_dir / "story.txt").read_text())
    texts = [json.loads(line)["q"] for line in (story_dir / "questions.jsonl").read_text().splitlines() if line]
    started = time.perf_counter()
    for text in texts:
        question, _, _ = question_submit(callout=callout, submission_key=uuid.uuid4(), text=text, consent=True)
        analysis.question_analyse(question_id=question.pk)
    print(f"worker: {len(texts)} questions embedded, grouped and checked in {time.perf_counter() - started:.1f} s")
    expert = make_expert(room, "bench-expert", "Bench Expert", "Correspondent")
    editor = expert.user
    published = 0
    for question in Question.objects.filter(callout=callout).order_by("id")[::publish_every]:
        question.refresh_from_db()
        if question.status != "new" or question.contact_spans:
            continue
        question_assign(question=question, expert=expert, actor=editor)
        answer_save(question=question, expert=expert, body="An answer.", submit=True)
        others = Question.objects.filter(group_id=question.group_id, status="new").exclude(pk=question.pk)
        answer_publish(question=question, actor=editor, cover=list(others.values_list("id", flat=True)))
        published += 1
    covered = Question.objects.filter(callout=callout, status="covered").count()
    print(f"published: {published} questions, covering {covered} others")
    shortlisted = 0
    for question in Question.objects.filter(callout=callout, status="new", group__isnull=False).order_by("id"):
        if not Question.objects.filter(group_id=question.group_id).exclude(status="new").exists():
            question_transition(question=question, action="shortlist", actor=editor)
            shortlisted += 1
    print(f"shortlisted: {shortlisted} groups readers can join")
    return callout.slug, texts


def drafts(texts: list[str]) -> list[str]:
    """Each question as the script sends it while the reader types: from the fourth word on."""
    out = []
    for text in texts:
        words = text.split()
        out.extend(" ".join(words[:n]) for n in range(4, len(words) + 1))
    return out


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--story", default="rail-strike")
    parser.add_argument("--threads", type=int, default=1, help="onnxruntime threads in the web process")
    parser.add_argument("--publish-every", type=int, default=4)
    args = parser.parse_args()
    setup_django(args.threads)
    slug, texts = prepare(args.data / "callouts" / args.story, args.publish_every)

    from django.test import Client

    from askdesk.nlp.embed import get_embedder
    from askdesk.readers import suggestions

    get_embedder.cache_clear()
    suggestions.clear_caches()
    client = Client()
    url = f"/ask/{slug}/suggestions/"
    sent = drafts(texts)
    started = time.perf_counter()
    first = client.post(url, {"question": sent[0]})
    cold = (time.perf_counter() - started) * 1000
    assert first.status_code == 200, first.status_code
    timings: list[float] = []
    cpu: list[float] = []
    hits = {"story": 0, "similar": 0, "waiting": 0}
    for text in sent:
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.post(url, {"question": text})
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        data = response.json()
        hits["story"] += bool(data["story"])
        hits["similar"] += bool(data["similar"])
        hits["waiting"] += bool(data["waiting"])
    print(describe_machine())
    model = suggestions.suggestion_embedder()
    assert model is not None
    embed_ms = []
    for text in sent:
        started = time.perf_counter()
        model.embed([text])
        embed_ms.append((time.perf_counter() - started) * 1000)
    print(f"model: {model.name}, {args.threads} onnxruntime thread(s), in the web process")
    print(f"first call (loads the model, builds the call-out's caches): {cold:.0f} ms")
    print(
        f"endpoint, {len(timings)} warm calls: median {statistics.median(timings):.1f} ms, "
        f"p95 {percentile(timings, 0.95):.1f} ms, p99 {percentile(timings, 0.99):.1f} ms, max {max(timings):.1f} ms"
    )
    # On a shared machine the wall clock includes waiting for a core; the CPU time a call
    # uses is what it takes on a core of its own.
    print(
        f"endpoint, CPU time per call: median {statistics.median(cpu):.1f} ms, "
        f"p95 {percentile(cpu, 0.95):.1f} ms, p99 {percentile(cpu, 0.99):.1f} ms"
    )
    print(
        f"embedding one draft alone: median {statistics.median(embed_ms):.1f} ms, "
        f"p95 {percentile(embed_ms, 0.95):.1f} ms"
    )
    print(
        f"drafts with a story passage: {hits['story']}, with a similar published answer: {hits['similar']}, "
        f"with a similar question to join: {hits['waiting']}"
    )


if __name__ == "__main__":
    main()
