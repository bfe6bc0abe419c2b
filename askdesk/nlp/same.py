"""Same-question scores: how sure we are that one published answer serves two questions.

Grouping proposes; an editor confirms. This score decides only which of a group's other
questions are ticked by default under "this will also answer these readers", so it errs on
the side of leaving a box unticked.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from askdesk.nlp.embed import Vectors

# Scores at or above this are ticked by default.
TICK_THRESHOLD = 0.85


def same_question_scores(
    anchor_text: str, anchor_vector: npt.ArrayLike, texts: Sequence[str], vectors: npt.ArrayLike
) -> npt.NDArray[np.float32]:
    """Score in [0, 1] that each of ``texts`` asks the same thing as ``anchor_text``.

    Vectors are the questions' unit-length embeddings, one row per text.
    """
    anchor: Vectors = np.asarray(anchor_vector, dtype=np.float32).reshape(-1)
    rows = np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)
    if not len(texts):
        return np.zeros(0, dtype=np.float32)
    scores: npt.NDArray[np.float32] = np.clip(rows @ anchor, 0.0, 1.0).astype(np.float32)
    return scores
