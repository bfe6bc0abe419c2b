"""Nearest-question search for the incremental path: askdesk's GroupIndex against faiss and usearch.

Run: ``.venv/bin/python bench/ann.py [--sizes 100000 1000000] [--queries 200] [--threads 1] [--k 1]
[--only-group-index]``

``--k 300`` asks for as many neighbours as the worker does (``JOIN_CANDIDATES`` in
``askdesk.analysis.services``); recall@1 is always that of the first answer.

Each size runs in a fresh process so that memory figures are its own. Vectors: synthetic
call-out questions, 384 dimensions like MiniLM: 2,000 topic centres on the unit sphere,
each question a centre plus Gaussian noise (sd 0.03 per dimension), normalised (near questions exist, as in a
call-out; uniform random vectors would have no near neighbours to find). Queries are
fresh questions drawn the same way. For each index: build time, memory added to the
process (RSS growth while building, which includes the vectors it keeps), recall@1 against
an exact scan (the same nearest question), and the median and p95 latency of one query at
a time, as the worker asks.

Indexes: ``GroupIndex`` (exact scan below 20,000 rows; above, candidates from faiss
``IndexIVFScalarQuantizer`` lists with 10 probes, scored exactly: ``askdesk.nlp.ann``;
until this round its own k-means lists); faiss ``IndexFlatIP`` (exact), ``IndexIVFFlat`` (sqrt(n) lists, 10 probes,
like GroupIndex) and ``IndexHNSWFlat`` (M=32, efSearch=64); usearch ``Index`` (HNSW, cosine,
f32, its defaults). HNSW builds are skipped above ``--hnsw-max`` rows to keep 1M runs short.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _machine import describe_machine

DIM = 384


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return 0.0


def synthetic(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = np.random.default_rng(0).standard_normal((2000, DIM)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    out = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, 100_000):
        m = min(100_000, n - start)
        rows = centres[rng.integers(0, len(centres), m)] + 0.03 * rng.standard_normal((m, DIM)).astype(np.float32)
        out[start : start + m] = rows / np.linalg.norm(rows, axis=1, keepdims=True)
    return out


def measure(
    name: str, build: Callable[[], Callable[[np.ndarray], int]], queries: np.ndarray, truth: np.ndarray
) -> None:
    before = rss_mib()
    started = time.perf_counter()
    search = build()
    built = time.perf_counter() - started
    grown = rss_mib() - before
    times, hits = [], 0
    for query, expected in zip(queries, truth, strict=True):
        t = time.perf_counter()
        found = search(query)
        times.append((time.perf_counter() - t) * 1000)
        hits += int(found == expected)
    print(
        f"| {name} | {built:.1f} s | {grown:.0f} MiB | {hits / len(queries):.3f} "
        f"| {np.median(times):.2f} ms | {np.percentile(times, 95):.2f} ms |",
        flush=True,
    )


def run(n: int, n_queries: int, threads: int, hnsw_max: int, k: int = 1, only_group_index: bool = False) -> None:
    import faiss
    from usearch.index import Index

    from askdesk.nlp.group import GroupIndex

    faiss.omp_set_num_threads(threads)
    vectors = synthetic(n, seed=1)
    queries = synthetic(n_queries, seed=2)
    truth = np.array([int(np.argmax(vectors @ q)) for q in queries])
    print(f"\n### {n:,} vectors, {n_queries} queries, {k} neighbours asked\n", flush=True)
    print("| index | build | memory added | recall@1 | median | p95 |")
    print("|---|---|---|---|---|---|")

    def home_made() -> Callable[[np.ndarray], int]:
        index = GroupIndex.from_rows(((i, v, 0) for i, v in enumerate(vectors)), dim=DIM)
        return lambda q: int(index.nearest(q, k)[0].question_id)  # type: ignore[call-overload]

    def flat() -> Callable[[np.ndarray], int]:
        index = faiss.IndexFlatIP(DIM)
        index.add(vectors)
        return lambda q: int(index.search(q[None, :], k)[1][0, 0])

    def ivf() -> Callable[[np.ndarray], int]:
        lists = int(np.sqrt(n))
        quantiser = faiss.IndexFlatIP(DIM)
        index = faiss.IndexIVFFlat(quantiser, DIM, lists, faiss.METRIC_INNER_PRODUCT)
        sample = vectors[np.random.default_rng(0).choice(n, size=min(n, 40 * lists), replace=False)]
        index.train(sample)
        index.add(vectors)
        index.nprobe = 10
        return lambda q: int(index.search(q[None, :], k)[1][0, 0])

    def hnsw() -> Callable[[np.ndarray], int]:
        index = faiss.IndexHNSWFlat(DIM, 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efSearch = 64
        index.add(vectors)
        return lambda q: int(index.search(q[None, :], k)[1][0, 0])

    def usearch_hnsw() -> Callable[[np.ndarray], int]:
        index = Index(ndim=DIM, metric="cos", dtype="f32")
        index.add(np.arange(n), vectors, threads=threads)
        return lambda q: int(index.search(q, k).keys[0])

    measure("GroupIndex (askdesk: exact scan, faiss IVF-SQ8 lists above 20,000)", home_made, queries, truth)
    if only_group_index:
        return
    measure("faiss IndexFlatIP (exact)", flat, queries, truth)
    measure("faiss IndexIVFFlat (sqrt(n) lists, 10 probes)", ivf, queries, truth)
    if n <= hnsw_max:
        measure("faiss IndexHNSWFlat (M=32, ef=64)", hnsw, queries, truth)
        measure("usearch Index (HNSW, cos, f32)", usearch_hnsw, queries, truth)
    else:
        print(f"| HNSW (faiss, usearch) | skipped above {hnsw_max:,} rows (build time) | | | | |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--hnsw-max", type=int, default=200_000)
    parser.add_argument("--k", type=int, default=1, help="neighbours asked per query (the worker asks 300)")
    parser.add_argument("--only-group-index", action="store_true", help="measure askdesk's GroupIndex alone")
    args = parser.parse_args()
    print(describe_machine())
    context = multiprocessing.get_context("spawn")
    for n in args.sizes:
        process = context.Process(
            target=run,
            args=(n, args.queries, args.threads, args.hnsw_max, args.k, args.only_group_index),
        )
        process.start()
        process.join()
    return 0


if __name__ == "__main__":
    sys.exit(main())
