"""Grouping questions by meaning: quality against TF-IDF, and cost at scale.

Run: ``.venv/bin/python bench/group.py [--data ../shared/data] [--embedder minilm] [--cache DIR] [--skip-scale]``

Quality, each line a baseline and ours from the same run:

* NewsQuizQA dev: 1,016 questions about 254 articles; a question's true group is its
  article. The articles are split in two halves by a hash of their url; each method's
  threshold is chosen on one half (best adjusted Rand index over a grid) and measured on
  the other, both ways. Methods: TF-IDF cosine (scikit-learn's default TfidfVectorizer),
  embedding cosine alone, ``regroup`` (embedding + TF-IDF of stemmed words), all with the
  same average-link clustering; and the incremental ``GroupIndex`` (embedding cosine,
  nearest neighbour), questions added in a fixed shuffled order.
* Pair similarity, average precision: MSRP test (positive = labelled paraphrase) and
  STS-B test (positive = score >= 4), TF-IDF cosine fitted on the sentences of the set
  vs embedding cosine vs ``pair_similarity``.

Scale, each size in a fresh process (peak RSS is the process's VmHWM: the whole process,
libraries and input included): ``regroup`` of N synthetic questions made from RealTimeQA question
embeddings (7,776 unique questions; each synthetic question is one of them, drawn at
random, with Gaussian noise added to its vector and one word dropped from its text), and
exact one-level average link (scipy) as the baseline where its N² matrix fits. Then the
latency of one ``GroupIndex.add`` and ``nearest`` with N questions indexed (k-means
lists) next to one exact scan of every row, and how often both give the same group.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score, average_precision_score

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _group_data import DEFAULT_DATA, article_half, load_msrp, load_newsquizqa, load_realtimeqa, load_stsb

from askdesk.nlp import group as grp
from askdesk.nlp.embed import Vectors, get_embedder, normalise

GRID = [round(t, 2) for t in np.arange(0.05, 0.951, 0.01)]
Method = Callable[[list[str], Vectors, float], np.ndarray]


def embed(texts: Sequence[str], embedder_name: str, cache: Path | None) -> Vectors:
    """Embeddings of ``texts``, from the cache folder when the same texts were embedded before."""
    key = hashlib.sha256("\n".join([embedder_name, *texts]).encode()).hexdigest()[:16]
    path = None if cache is None else cache / f"{embedder_name}-{key}.npy"
    if path is not None and path.exists():
        return np.load(path)
    vectors = get_embedder(embedder_name).embed(list(texts))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
    return vectors


def tfidf_rows(texts: Sequence[str]) -> Vectors:
    return normalise(TfidfVectorizer().fit_transform(texts).toarray())


def by_tfidf(texts: list[str], vectors: Vectors, threshold: float) -> np.ndarray:
    return grp.regroup(tfidf_rows(texts), threshold=threshold)


def by_embedding(texts: list[str], vectors: Vectors, threshold: float) -> np.ndarray:
    return grp.regroup(vectors, threshold=threshold)


def by_regroup(texts: list[str], vectors: Vectors, threshold: float) -> np.ndarray:
    return grp.regroup(vectors, texts, threshold=threshold)


def by_index(texts: list[str], vectors: Vectors, threshold: float) -> np.ndarray:
    order = np.random.default_rng(0).permutation(len(texts))
    index = grp.GroupIndex(vectors.shape[1], threshold=threshold)
    labels = np.empty(len(texts), dtype=np.int64)
    for i in order:
        labels[i] = index.add(int(i), vectors[i])
    return labels


def newsquizqa(data: Path, embedder_name: str, cache: Path | None) -> None:
    texts, urls = load_newsquizqa(data)
    vectors = embed(texts, embedder_name, cache)
    truth = np.unique(urls, return_inverse=True)[1]
    halves = np.array([article_half(u) for u in urls])
    print(
        f"\n## NewsQuizQA dev: {len(texts)} questions, {truth.max() + 1} articles; halves of "
        f"{np.sum(halves == 0)} / {np.sum(halves == 1)} questions"
    )
    print(f"{'method':<34} {'t(A)':>5} {'ARI on B':>8} {'t(B)':>5} {'ARI on A':>8} {'mean':>6} {'whole, t(A)':>11}")
    methods: list[tuple[str, Method]] = [
        ("TF-IDF cosine, average link", by_tfidf),
        (f"{embedder_name} cosine, average link", by_embedding),
        ("regroup (ours)", by_regroup),
        ("GroupIndex incremental (ours)", by_index),
    ]
    for name, method in methods:
        cells, measured = [], []
        chosen = []
        for tune in (0, 1):
            tune_rows, test_rows = np.flatnonzero(halves == tune), np.flatnonzero(halves != tune)

            def score(rows: np.ndarray, threshold: float, method: Method = method) -> float:
                labels = method([texts[i] for i in rows], vectors[rows], threshold)
                return float(adjusted_rand_score(truth[rows], labels))

            best = max(GRID, key=lambda t, rows=tune_rows: score(rows, t))
            chosen.append(best)
            measured.append(score(test_rows, best))
            cells += [f"{best:5.2f}", f"{measured[-1]:8.3f}"]
        whole = adjusted_rand_score(truth, method(texts, vectors, chosen[0]))
        print(f"{name:<34} {' '.join(cells)} {np.mean(measured):6.3f} {whole:11.3f}")
    # Themes as the product makes them (two_levels): regroup at its shipped threshold, with
    # same-question groups nested inside.
    cells = []
    for half in (0, 1):
        rows = np.flatnonzero(halves == half)
        half_texts, half_vectors = [texts[i] for i in rows], vectors[rows]
        _, themes = grp.two_levels(half_vectors, half_texts)
        cells.append(f"half {'AB'[half]} {adjusted_rand_score(truth[rows], themes):.3f}")
    print(f"themes of the two levels (shipped thresholds): {', '.join(cells)}")


def pair_ap(data: Path, embedder_name: str, cache: Path | None) -> None:
    print("\n## Pair similarity, average precision")
    print(f"{'set':<28} {'pairs':>5} {'pos':>5} {'TF-IDF':>7} {embedder_name:>8} {'ours':>7}")
    for name, pairs in [
        ("MSRP test (paraphrase)", load_msrp(data)),
        ("STS-B test (score >= 4)", load_stsb(data, "test")),
    ]:
        tfidf = tfidf_rows([*pairs.left, *pairs.right])
        n = len(pairs.left)
        baseline = np.einsum("ij,ij->i", tfidf[:n], tfidf[n:])
        left = embed(pairs.left, embedder_name, cache)
        right = embed(pairs.right, embedder_name, cache)
        cosine = np.einsum("ij,ij->i", left, right)
        ours = grp.pair_similarity(left, right, pairs.left, pairs.right)
        aps = [average_precision_score(pairs.positive, s) for s in (baseline, cosine, ours)]
        print(f"{name:<28} {n:>5} {sum(pairs.positive):>5} " + " ".join(f"{a:7.3f}" for a in aps))


def synthetic(base_vectors: Vectors, base_texts: list[str], n: int, seed: int) -> tuple[Vectors, list[str], np.ndarray]:
    """``n`` noisy copies of randomly drawn real questions: (vectors, texts, index of the original)."""
    rng = np.random.default_rng(seed)
    origin = rng.integers(len(base_texts), size=n)
    dim = base_vectors.shape[1]
    noise = rng.normal(size=(n, dim)).astype(np.float32) * np.float32(0.5 / np.sqrt(dim))
    vectors = normalise(base_vectors[origin] + noise)
    texts = []
    for i in origin:
        words = base_texts[i].split()
        if len(words) > 3:
            del words[int(rng.integers(len(words)))]
        texts.append(" ".join(words))
    return vectors, texts, origin


def _status_mib(field: str) -> float:
    # VmHWM is the peak resident memory of this process image: unlike getrusage's
    # ru_maxrss it does not inherit the parent's peak through fork and exec.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_mib() -> float:
    return _status_mib("VmRSS")


def peak_rss_mib() -> float:
    return _status_mib("VmHWM")


def scale_worker(folder: str, exact: bool, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    vectors = np.load(Path(folder) / "vectors.npy")
    texts = (Path(folder) / "texts.txt").read_text(encoding="utf-8").split("\n")
    origin = np.load(Path(folder) / "origin.npy")
    n = len(texts)
    before = rss_mib()
    start = time.perf_counter()
    if exact:
        features = grp.Features.build(vectors, texts)
        labels = grp._average_link(features, np.arange(n, dtype=np.int64), grp.DEFAULT_THRESHOLD)
        seconds, peak = time.perf_counter() - start, peak_rss_mib()
        agreement = adjusted_rand_score(labels, grp.regroup(vectors, texts))
        out.put((seconds, before, peak, adjusted_rand_score(origin, labels), agreement))
        return
    labels = grp.regroup(vectors, texts)
    seconds = time.perf_counter() - start
    out.put((seconds, before, peak_rss_mib(), adjusted_rand_score(origin, labels), int(labels.max()) + 1))


def run_isolated(folder: str, exact: bool) -> tuple[float, float, float, float, float]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=scale_worker, args=(folder, exact, queue))
    process.start()
    result: tuple[float, float, float, float, float] = queue.get()
    process.join()
    return result


def scale(data: Path, embedder_name: str, cache: Path | None, sizes: list[int]) -> None:
    base_texts = load_realtimeqa(data)
    base = embed(base_texts, embedder_name, cache)
    print(f"\n## Regroup at scale: synthetic questions from {len(base_texts)} RealTimeQA question embeddings + noise")
    print(f"{'N':>7} {'method':<34} {'seconds':>8} {'RSS before MiB':>14} {'peak RSS MiB':>12} {'ARI vs origin':>13}")
    for n in sizes:
        with tempfile.TemporaryDirectory() as folder:
            vectors, texts, origin = synthetic(base, base_texts, n, seed=n)
            np.save(Path(folder) / "vectors.npy", vectors)
            np.save(Path(folder) / "origin.npy", origin)
            (Path(folder) / "texts.txt").write_text("\n".join(texts), encoding="utf-8")
            del vectors, texts
            seconds, before, peak, ari, groups = run_isolated(folder, False)
            print(
                f"{n:>7} {f'regroup (ours): {groups:.0f} groups':<34} {seconds:8.1f} {before:14.0f} "
                f"{peak:12.0f} {ari:13.3f}"
            )
            if n <= 20_000:
                seconds, before, peak, ari, agreement = run_isolated(folder, True)
                print(
                    f"{n:>7} {'exact one-level average link':<34} {seconds:8.1f} {before:14.0f} {peak:12.0f} "
                    f"{ari:13.3f}   (ARI between ours and exact: {agreement:.3f})"
                )
            else:
                print(
                    f"{n:>7} {'exact one-level average link':<34} not run: its condensed distance matrix alone "
                    f"takes {n * (n - 1) / 2 * 8 / 2**30:.0f} GiB"
                )

    n = max(sizes)
    vectors, _, _ = synthetic(base, base_texts, n, seed=1)
    # Stored groups as a regroup would leave them, so that assignments can be compared.
    labels = grp.regroup(vectors, threshold=grp.DEFAULT_INDEX_THRESHOLD)
    start = time.perf_counter()
    index = grp.GroupIndex.from_rows(((i, vectors[i], int(labels[i])) for i in range(n)), dim=vectors.shape[1])
    rebuild = time.perf_counter() - start
    queries, _, _ = synthetic(base, base_texts, 300, seed=2)
    adds, nearest, same = [], [], 0
    for i, q in enumerate(queries):
        # The exact answer, by scanning every row, to count how often the lists miss it.
        ids, matrix = index.vectors()
        sims = matrix @ q
        best = int(np.argmax(sims))
        exact = index.group_of(ids[best]) if sims[best] >= index.threshold else None
        fresh = index._next_group
        start = time.perf_counter()
        got = index.add(f"new{i}", q)
        adds.append(time.perf_counter() - start)
        same += got == (fresh if exact is None else exact)
        start = time.perf_counter()
        index.nearest(q, 10)
        nearest.append(time.perf_counter() - start)
    ids, matrix = index.vectors()
    brute = []
    for q in queries:
        start = time.perf_counter()
        int(np.argmax(matrix @ q))
        brute.append(time.perf_counter() - start)
    print(f"\n## Incremental: GroupIndex with {n} questions of dimension {vectors.shape[1]}, 300 new questions")
    print(f"rebuild from rows: {rebuild:.1f} s; same group as an exact scan for {same}/300 new questions")
    for name, times in [
        ("add (assign a group)", adds),
        ("nearest(k=10)", nearest),
        ("baseline: exact scan", brute),
    ]:
        ms = np.array(times) * 1000
        p95 = np.percentile(ms, 95)
        print(f"{name:<22} median {np.median(ms):6.2f} ms   p95 {p95:6.2f} ms   max {ms.max():6.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--embedder", default="minilm")
    parser.add_argument("--cache", type=Path, default=None, help="folder to keep embeddings between runs")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated numbers of questions")
    args = parser.parse_args()
    newsquizqa(args.data, args.embedder, args.cache)
    pair_ap(args.data, args.embedder, args.cache)
    if not args.skip_scale:
        scale(args.data, args.embedder, args.cache, [int(s) for s in args.sizes.split(",")])


if __name__ == "__main__":
    main()
