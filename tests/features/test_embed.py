"""The embedders: the real MiniLM model where the behaviour is about embeddings."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from creatormatch.core import InvalidInput
from creatormatch.features import HashingEmbedder, MiniLMEmbedder, load_embedder

FITNESS = [
    "Leg day at the gym: squats, deadlifts and a protein shake after the workout",
    "Morning HIIT cardio session and my weekly strength training plan",
]
COOKING = "Homemade pasta with a slow-cooked tomato sauce, recipe in the caption"
TEXTS = [*FITNESS, COOKING, "", "Sunset over the beach on our road trip"]


@pytest.fixture(scope="module")
def minilm() -> MiniLMEmbedder:
    return MiniLMEmbedder(precision="fp32")


@pytest.fixture(scope="module")
def vectors(minilm: MiniLMEmbedder) -> np.ndarray:
    return minilm.encode(TEXTS)


def test_importing_embed_does_not_load_torch() -> None:
    code = "import sys, features.embed; sys.exit('torch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_minilm_dimension_comes_from_the_model(minilm: MiniLMEmbedder, vectors: np.ndarray) -> None:
    assert minilm.dimension == 384
    assert vectors.shape == (len(TEXTS), 384)
    assert vectors.dtype == np.float32


def test_minilm_rows_are_unit_norm_including_the_empty_text(vectors: np.ndarray) -> None:
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_minilm_same_text_gives_the_same_vector(
    minilm: MiniLMEmbedder, vectors: np.ndarray
) -> None:
    again = minilm.encode([TEXTS[2], TEXTS[0]])
    np.testing.assert_allclose(again, vectors[[2, 0]], atol=1e-5)


def test_minilm_fitness_text_is_closer_to_fitness_than_to_cooking(vectors: np.ndarray) -> None:
    fitness_a, fitness_b, cooking = vectors[0], vectors[1], vectors[2]
    assert fitness_a @ fitness_b > fitness_a @ cooking + 0.1


def test_bf16_agrees_with_fp32_at_cosine_099(vectors: np.ndarray) -> None:
    bf16 = MiniLMEmbedder(precision="bf16").encode(TEXTS)
    assert np.min(np.sum(bf16 * vectors, axis=1)) >= 0.99


def test_model_id_names_the_precision_so_caches_do_not_mix(minilm: MiniLMEmbedder) -> None:
    bf16 = load_embedder("minilm", precision="bf16")
    assert minilm.model_id != bf16.model_id
    assert minilm.model_id.endswith("@fp32") and bf16.model_id.endswith("@bf16")


def test_encode_of_no_texts_is_an_empty_matrix(minilm: MiniLMEmbedder) -> None:
    assert minilm.encode([]).shape == (0, 384)


def test_encode_refuses_a_bare_string(minilm: MiniLMEmbedder) -> None:
    with pytest.raises(InvalidInput, match="sequence of texts, got a single str"):
        minilm.encode("one text")


def test_unknown_precision_is_refused() -> None:
    with pytest.raises(InvalidInput, match="precision 'fp32' or 'bf16', got 'int8'"):
        MiniLMEmbedder(precision="int8")  # type: ignore[arg-type]


def test_hashing_embedder_is_deterministic_and_unit_norm() -> None:
    embedder = HashingEmbedder()
    first, second = embedder.encode(TEXTS), HashingEmbedder().encode(TEXTS)
    np.testing.assert_array_equal(first, second)
    np.testing.assert_allclose(np.linalg.norm(first, axis=1), 1.0, atol=1e-6)
    assert embedder.model_id.startswith("hashing-stand-in-")


def test_hashing_embedder_shares_words_not_meaning() -> None:
    a, b, c = HashingEmbedder().encode(["gym squats", "squats gym today", "pasta recipe"])
    assert a @ b > 0.5 > a @ c


def test_load_embedder_refuses_an_unknown_kind() -> None:
    with pytest.raises(InvalidInput, match="'minilm' or 'hashing', got 'onnx'"):
        load_embedder("onnx")  # type: ignore[arg-type]
