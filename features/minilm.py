"""all-MiniLM-L6-v2 in numpy float32: the model without torch, for short query texts.

It runs what the packaged sentence-transformers model runs (modules.json: Transformer → mean
Pooling → Normalize): the packaged tokenizer.json through `tokenizers`, truncated at
`max_seq_length` (sentence_bert_config.json) and never padded, then the BERT encoder (absolute
positions, post-LayerNorm, exact GELU) with the weights of model.safetensors, then the mean of the
token vectors. Normalising is the caller's (`features.embed.MiniLMQueryEmbedder`).

One text at a time, in fp32, on one BLAS thread: ~5-7 ms for a brief's clause, and ~0.06 s to load
where torch and sentence-transformers take ~1.8 s. Ingest stays on the torch path (batched, bf16).
`tokenizers` and `safetensors` are imported here only, when a model is loaded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from threadpoolctl import threadpool_limits

from creatormatch.core import ArtifactError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

Matrix = npt.NDArray[np.float32]
TokenIds = npt.NDArray[np.int64]  # (n_tokens,)
MODULES = [
    "sentence_transformers.models.Transformer",
    "sentence_transformers.models.Pooling",
    "sentence_transformers.models.Normalize",
]


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _expect(what: str, expected: object, got: object) -> None:
    if got != expected:
        raise ArtifactError(f"expected {what} {expected!r} for the numpy MiniLM, got {got!r}")


@dataclass(frozen=True)
class BertShape:
    """The encoder's sizes, read from the model folder and checked against what this code runs."""

    layers: int
    hidden: int
    heads: int
    max_tokens: int  # truncation length, [CLS] and [SEP] included
    eps: float  # LayerNorm epsilon

    @classmethod
    def read(cls, path: Path) -> BertShape:
        config = _json(path / "config.json")
        pooling = _json(path / "1_Pooling" / "config.json")
        _expect("modules", MODULES, [m["type"] for m in _json(path / "modules.json")])
        _expect("model_type", "bert", config.get("model_type"))
        _expect("hidden_act", "gelu", config.get("hidden_act"))
        _expect("position_embedding_type", "absolute", config.get("position_embedding_type"))
        modes = sorted(k for k, v in pooling.items() if k.startswith("pooling_mode") and v)
        _expect("pooling modes", ["pooling_mode_mean_tokens"], modes)
        return cls(
            layers=int(config["num_hidden_layers"]),
            hidden=int(config["hidden_size"]),
            heads=int(config["num_attention_heads"]),
            max_tokens=int(_json(path / "sentence_bert_config.json")["max_seq_length"]),
            eps=float(config["layer_norm_eps"]),
        )


def _layer_norm(x: Matrix, weight: Matrix, bias: Matrix, eps: float) -> Matrix:
    mean = x.mean(axis=-1, keepdims=True)  # (n, 1)
    var = np.square(x - mean).mean(axis=-1, keepdims=True)  # (n, 1), biased as torch's
    return (x - mean) / np.sqrt(var + np.float32(eps)) * weight + bias


def _erf(x: Matrix) -> Matrix:
    # Abramowitz & Stegun 7.1.26, |error| < 1.5e-7: the formula of torch's vectorised CPU erf.
    t = 1.0 / (1.0 + np.float32(0.3275911) * np.abs(x))
    poly = [1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592]
    acc = np.full_like(x, poly[0])
    for c in poly[1:]:
        acc = acc * t + np.float32(c)
    return np.sign(x) * (1.0 - acc * t * np.exp(-x * x))


def _gelu(x: Matrix) -> Matrix:
    return 0.5 * x * (1.0 + _erf(x * np.float32(np.sqrt(0.5))))


def _softmax(scores: Matrix) -> Matrix:
    exp = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return exp / exp.sum(axis=-1, keepdims=True)


LINEAR = [
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
]
NORMS = ["attention.output.LayerNorm", "output.LayerNorm"]


def _tensor_names(layers: int) -> list[str]:
    """Every tensor the forward pass reads, in torch's BertModel names."""
    embeddings = ["word_embeddings", "position_embeddings", "token_type_embeddings"]
    names = [f"embeddings.{e}.weight" for e in embeddings]
    names += ["embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"]
    for layer in range(layers):
        for part in [*LINEAR, *NORMS]:
            names += [f"encoder.layer.{layer}.{part}.weight", f"encoder.layer.{layer}.{part}.bias"]
    return names


class NumpyMiniLM:
    """The tokenizer and encoder of one model folder; `token_vectors(ids)` is its forward pass."""

    def __init__(self, path: Path) -> None:
        from safetensors.numpy import load_file

        self.shape = BertShape.read(path)
        self.tokenizer = _tokenizer(path / "tokenizer.json", self.shape.max_tokens)
        stored = load_file(str(path / "model.safetensors"))
        names = _tensor_names(self.shape.layers)
        missing = [n for n in names if n not in stored or stored[n].dtype != np.float32]
        if missing:
            raise ArtifactError(
                f"expected {len(names)} float32 BERT tensors in model.safetensors, "
                f"{len(missing)} missing or of another type, e.g. {missing[0]!r}"
            )
        self.tensors: dict[str, Matrix] = {n: stored[n] for n in names}
        positions, hidden = self._w("embeddings.position_embeddings.weight").shape
        _expect("hidden size", self.shape.hidden, hidden)
        if positions < self.shape.max_tokens:
            raise ArtifactError(f"expected >= {self.shape.max_tokens} positions, got {positions}")

    def mean_vectors(self, texts: list[str]) -> Matrix:
        """(n, hidden) mean of each text's token vectors: the model's Pooling module, no mask."""
        out = np.zeros((len(texts), self.shape.hidden), dtype=np.float32)
        # One BLAS thread: 8 clauses took 54 ms instead of 34 on 2 idle cores, but 60 ms instead
        # of ~145 with one other busy process, where OpenBLAS's second thread waits (ADR 0002).
        with threadpool_limits(1, user_api="blas"):
            for row, ids in enumerate(self.token_ids(texts)):
                out[row] = self.token_vectors(ids).mean(axis=0)
        return out

    def token_ids(self, texts: list[str]) -> list[TokenIds]:
        """Each text's word-piece ids, [CLS] … [SEP], truncated to `max_tokens`."""
        # `encode`, not `encode_batch`: no thread pool, hence no warning if the process forks.
        return [np.asarray(self.tokenizer.encode(t).ids, dtype=np.int64) for t in texts]

    def token_vectors(self, ids: TokenIds) -> Matrix:
        """(n_tokens, hidden) last hidden states of one unpadded sequence."""
        if ids.ndim != 1 or not 0 < len(ids) <= self.shape.max_tokens:
            raise ValueError(
                f"expected (n,) ids, 0 < n <= {self.shape.max_tokens}, got {ids.shape}"
            )
        (n,) = ids.shape
        h = (
            self._w("embeddings.word_embeddings.weight")[ids]
            + self._w("embeddings.position_embeddings.weight")[:n]
            + self._w("embeddings.token_type_embeddings.weight")[0]
        )  # (n, hidden)
        h = self._norm("embeddings.LayerNorm", h)
        for layer in range(self.shape.layers):
            h = self._layer(f"encoder.layer.{layer}", h)
        return h

    def _layer(self, name: str, h: Matrix) -> Matrix:
        attended = self._norm(
            f"{name}.attention.output.LayerNorm",
            self._dense(f"{name}.attention.output.dense", self._attention(name, h)) + h,
        )  # (n, hidden)
        inner = _gelu(self._dense(f"{name}.intermediate.dense", attended))  # (n, 4 * hidden)
        return self._norm(
            f"{name}.output.LayerNorm", self._dense(f"{name}.output.dense", inner) + attended
        )

    def _attention(self, name: str, h: Matrix) -> Matrix:
        n, hidden = h.shape
        heads = self.shape.heads
        q, k, v = (
            self._dense(f"{name}.attention.self.{part}", h).reshape(n, heads, -1).transpose(1, 0, 2)
            for part in ("query", "key", "value")
        )  # each (heads, n, head_dim)
        scores = q @ k.transpose(0, 2, 1) / np.float32(np.sqrt(q.shape[-1]))  # (heads, n, n)
        context = _softmax(scores) @ v  # (heads, n, head_dim)
        return context.transpose(1, 0, 2).reshape(n, hidden)

    def _dense(self, name: str, x: Matrix) -> Matrix:
        return x @ self._w(f"{name}.weight").T + self._w(f"{name}.bias")  # torch's (out, in) layout

    def _norm(self, name: str, x: Matrix) -> Matrix:
        return _layer_norm(x, self._w(f"{name}.weight"), self._w(f"{name}.bias"), self.shape.eps)

    def _w(self, name: str) -> Matrix:
        return self.tensors[name]


def _tokenizer(path: Path, max_tokens: int) -> Tokenizer:
    from tokenizers import Tokenizer

    # tokenizer.json pads to 128 and truncates at 128; sentence-transformers truncates at
    # max_seq_length and pads to the batch's longest under an attention mask: one text, no pad.
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_tokens)
    return tokenizer
