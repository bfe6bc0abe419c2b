"""Embedding runtimes: throughput and STS-B quality, plain sentence-transformers vs ours.

Run: ``.venv/bin/python bench/embed.py [--data ../shared/data] [--rounds 3] [--sample 1000]``

Both runtimes get the same two threads. Quality: Spearman correlation (x100) between the
cosine of each STS-B dev pair and its gold score, over all 1,500 pairs. Speed: the same
``--sample`` STS-B sentences embedded in batches of 64, the runtimes taking turns for
``--rounds`` rounds; the best round of each counts (the least disturbed by other work on
the machine), and the median is printed too, as is the median CPU time (process time,
all threads): on a machine shared with other work, wall-clock figures swing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _evidence_data import DEFAULT_DATA, load_stsb
from _machine import describe_machine

from askdesk.nlp.embed import Embedder, MiniLMEmbedder, OnnxMiniLMEmbedder

THREADS = 2


def spearman(embedder: Embedder, left: list[str], right: list[str], gold: list[float]) -> tuple[float, np.ndarray]:
    vectors = embedder.embed(left + right)
    cosine = np.sum(vectors[: len(left)] * vectors[len(left) :], axis=1)
    return 100 * float(spearmanr(cosine, gold).statistic), vectors


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sample", type=int, default=1000)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    torch.set_num_threads(THREADS)
    print(f"machine: {describe_machine()}")
    left, right, gold = load_stsb(args.data, "dev")

    started = time.perf_counter()
    runtimes: dict[str, Embedder] = {"sentence-transformers (torch)": MiniLMEmbedder()}
    runtimes["ours: onnxruntime int8"] = OnnxMiniLMEmbedder(threads=THREADS)
    print(f"both loaded in {time.perf_counter() - started:.1f} s (the ONNX export is made once, then cached)\n")

    quality: dict[str, float] = {}
    vectors: dict[str, np.ndarray] = {}
    for label, embedder in runtimes.items():
        quality[label], vectors[label] = spearman(embedder, left, right, gold)
    plain, ours = (vectors[label] for label in runtimes)
    agreement = float(np.mean(np.sum(plain * ours, axis=1)))

    sample = (left + right)[: args.sample]
    timings: dict[str, list[float]] = {label: [] for label in runtimes}
    cpu: dict[str, list[float]] = {label: [] for label in runtimes}
    for embedder in runtimes.values():
        embedder.embed(sample[:64])  # warm-up
    for round_number in range(args.rounds):
        # Alternate who goes first, so that neither always meets the same background load.
        labels = list(runtimes) if round_number % 2 == 0 else list(reversed(runtimes))
        for label in labels:
            started, started_cpu = time.perf_counter(), time.process_time()
            runtimes[label].embed(sample)
            timings[label].append(time.perf_counter() - started)
            cpu[label].append(time.process_time() - started_cpu)

    print(f"{'runtime':<31} {'STS-B dev Spearman':>18} {'sentences/s best':>17} {'median':>8} {'per CPU-s':>10}")
    for label in runtimes:
        best, median = len(sample) / min(timings[label]), len(sample) / statistics.median(timings[label])
        per_cpu_second = len(sample) / statistics.median(cpu[label])
        print(f"{label:<31} {quality[label]:>18.2f} {best:>17.0f} {median:>8.0f} {per_cpu_second:>10.0f}")
    base, fast = (min(timings[label]) for label in runtimes)
    base_median, fast_median = (statistics.median(timings[label]) for label in runtimes)
    base_cpu, fast_cpu = (statistics.median(cpu[label]) for label in runtimes)
    print(
        f"\nspeed-up {base / fast:.2f}x (best rounds), {base_median / fast_median:.2f}x (medians), "
        f"{base_cpu / fast_cpu:.2f}x (CPU time, medians)"
    )
    print(f"mean cosine between the two runtimes' vectors of the same sentence: {agreement:.4f}")
    print(f"{len(sample)} sentences x {args.rounds} rounds, {THREADS} threads each")
    print(f"load average now {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
