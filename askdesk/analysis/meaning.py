"""Search by meaning in triage: the questions of a call-out closest to what an editor typed.

The vectors are the ones the worker already stored for each question (``QuestionVector``); the
editor's words are embedded in the request with the web process's embedder (the int8 ONNX
MiniLM, as for help while the reader types), one short text. Each web process keeps, per
call-out, a matrix of the stored vectors and adds the rows stored since it last looked (one
query on the vector table's id), so a search costs one embedding, one small query and one
matrix product, not a read of every vector.

Scores are cosines. A question is found when its score reaches both ``ASKDESK_MEANING_MIN_SCORE``
and ``RELATIVE_CUT`` of the best score, so a search that matches a few questions well does not
trail off into everything about the same story.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from django.conf import settings

from askdesk.analysis.models import QuestionVector, decode_vector
from askdesk.nlp.embed import Embedder, OnnxMiniLMEmbedder, Vectors, get_embedder, onnx_model_path

logger = logging.getLogger(__name__)

# Found only at this share of the best score or more.
RELATIVE_CUT = 0.6
# At most this many questions are found (ranked by score).
MEANING_LIMIT = 500


@lru_cache(maxsize=1)
def _web_minilm(threads: int) -> OnnxMiniLMEmbedder | None:
    if not onnx_model_path().exists():
        logger.warning(
            "Suggestions and meaning search are off: no ONNX export of the model (run python -m askdesk.nlp.embed)."
        )
        return None
    return OnnxMiniLMEmbedder(threads=threads)


def web_embedder() -> Embedder | None:
    """The embedder for one short text inside a web request, or None when it cannot be had without heavy work.

    The ONNX model is loaded on first use, not at import, and only when its export exists
    (``make setup`` makes it): exporting needs torch, which a web process never loads.
    """
    name = settings.ASKDESK_EMBEDDER
    if name == "minilm":
        return _web_minilm(settings.ASKDESK_SUGGEST_THREADS)
    if name == "minilm-torch":
        return None  # a torch model does not belong in a web process
    return get_embedder(name)


@dataclass
class _Stored:
    last_id: int  # the highest QuestionVector id read so far
    ids: np.ndarray  # question ids, one per row
    vectors: Vectors


_lock = threading.Lock()
_stored: dict[tuple[int, str], _Stored] = {}


def clear_caches() -> None:
    with _lock:
        _stored.clear()


def _vectors_of(callout_id: int, model: Embedder) -> _Stored:
    """The call-out's stored question vectors, with the rows stored since the last call added."""
    key = (callout_id, model.name)
    with _lock:
        entry = _stored.get(key) or _Stored(0, np.zeros(0, dtype=np.int64), np.zeros((0, model.dim), np.float32))
        rows = list(
            QuestionVector.objects.filter(question__callout_id=callout_id, embedder=model.name, pk__gt=entry.last_id)
            .order_by("pk")
            .values_list("pk", "question_id", "vector")
        )
        if rows:
            added = np.stack([decode_vector(raw) for _, _, raw in rows])
            entry = _Stored(
                last_id=rows[-1][0],
                ids=np.concatenate([entry.ids, np.array([q for _, q, _ in rows], dtype=np.int64)]),
                vectors=np.concatenate([entry.vectors, added]),
            )
        _stored[key] = entry
        return entry


def questions_by_meaning(*, callout_id: int, text: str) -> list[tuple[int, float]] | None:
    """(question id, score) of the call-out's questions closest in meaning to ``text``, best first.

    None when this server cannot embed in a request (no ONNX export): the caller says so and
    searches by keyword. Only the call-out's own vectors are read; deleted questions and those
    another filter leaves out are dropped by the caller's query.
    """
    model = web_embedder()
    if model is None:
        return None
    if not text.strip():
        return []
    query = model.embed([text[:200]])[0]
    stored = _vectors_of(callout_id, model)
    if not len(stored.ids):
        return []
    scores = stored.vectors @ query
    best = float(scores.max())
    cut = max(settings.ASKDESK_MEANING_MIN_SCORE, best * RELATIVE_CUT)
    found = np.flatnonzero(scores >= cut)
    ranked = found[np.argsort(-scores[found], kind="stable")][:MEANING_LIMIT]
    seen: set[int] = set()
    result = []
    for row in ranked.tolist():
        question_id = int(stored.ids[row])
        if question_id not in seen:  # a question embedded again has two rows: its best counts
            seen.add(question_id)
            result.append((question_id, round(float(scores[row]), 3)))
    return result
