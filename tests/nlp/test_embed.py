"""Embedders: unit vectors, distinct names per runtime, the ONNX export."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from askdesk.nlp import embed
from askdesk.nlp.embed import HashingEmbedder, MiniLMEmbedder, OnnxMiniLMEmbedder, get_embedder, normalise


def test_hashing_vectors_are_unit_length_and_deterministic() -> None:
    texts = ["Will Iran retaliate?", "Was anyone hurt in Isfahan?", ""]
    first, second = HashingEmbedder().embed(texts), HashingEmbedder().embed(texts)
    assert first.dtype == np.float32 and first.shape == (3, 256)
    assert np.array_equal(first, second)
    assert np.allclose(np.linalg.norm(first[:2], axis=1), 1.0)
    assert not first[2].any()  # no words: a zero row, not a division by zero


def test_texts_sharing_content_words_are_closer_than_unrelated_ones() -> None:
    a, b, c = HashingEmbedder().embed(["Will Iran retaliate?", "Is Iran going to retaliate?", "Best pancake recipe"])
    assert a @ b > a @ c


def test_normalise_scales_rows_to_unit_length_and_keeps_zero_rows() -> None:
    rows = normalise(np.array([[3.0, 4.0], [0.0, 0.0]]))
    assert np.allclose(rows, [[0.6, 0.8], [0.0, 0.0]])


def test_each_runtime_of_the_model_has_its_own_name() -> None:
    names = {MiniLMEmbedder.name, OnnxMiniLMEmbedder.name, HashingEmbedder().name}
    assert len(names) == 3


def test_an_unknown_embedder_name_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown embedder"):
        get_embedder("word2vec")


def test_the_onnx_file_name_follows_the_cache_setting_and_the_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASKDESK_MODEL_CACHE", str(tmp_path))
    path = embed.onnx_model_path()
    assert path.parent == tmp_path
    assert path.suffix == ".onnx" and "int8" in path.name and f"-r{embed.ONNX_RECIPE}" in path.name


def test_a_cached_onnx_file_is_reused_without_exporting_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cached = embed.onnx_model_path(tmp_path)
    cached.write_bytes(b"already exported")

    def refuse(target: Path) -> Path:
        raise AssertionError("exported although the cache held the file")

    monkeypatch.setattr(embed, "export_onnx_int8", refuse)
    assert embed.prepare_onnx_model(tmp_path) == cached


@pytest.mark.model
def test_the_int8_onnx_runtime_exported_offline_agrees_with_the_plain_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    fast = OnnxMiniLMEmbedder(cache_dir=tmp_path, batch_size=2)
    assert fast.model_path.parent == tmp_path and fast.model_path.exists()
    texts = [
        "Were there any casualties?",
        "No casualties have been reported.",
        "What is a good recipe for pancakes?",
        # Longer than the 128 tokens the packaged tokenizer file cuts at.
        " ".join(["Iran's semi-official Fars news agency said explosions were heard near Isfahan."] * 12),
    ]
    ours, plain = fast.embed(texts), MiniLMEmbedder().embed(texts)
    assert ours.shape == plain.shape == (4, 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert np.all(np.sum(ours * plain, axis=1) > 0.97)
    # The nearest text stays the same: the answer, not the recipe.
    assert ours[0] @ ours[1] > ours[0] @ ours[2]
