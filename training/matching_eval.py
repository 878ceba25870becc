"""Matching on real creators: P@10 and nDCG@10 per category, against two baselines.

Labelled creators (Kim et al. Instagram creators, YouTube trending channels) go through the real
pipeline like any user data (JSON lines → `ingest` → index → `shortlist` per brief), embedded by
the real MiniLM. A shortlisted creator is relevant when its category is the brief's. Baselines on
the same briefs and creators: BM25 over the raw captions, and "plain MiniLM": one embedding of the
concatenated raw captions per creator. Creators of other labels (Kim's `other`) stay in the index
as distractors; no brief asks for them.

With `workdir`, embeddings are cached there across runs and so is the evaluation home, one per
set of creator texts: ingest re-embeds only records that changed, so a home kept from a run with
another `content_text` would silently score the old vectors.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from creatormatch.core import Home, InvalidInput
from creatormatch.features import (
    Brief,
    CreatorRecord,
    TextEmbedder,
    content_hash,
    content_text,
    load_embedder,
)
from creatormatch.matching import ingest_file, load_bundle, shortlist
from creatormatch.training.kim import LabelledCreators, write_jsonl
from creatormatch.training.metrics import ndcg_at_k

K = 10
METHODS = ("ours", "bm25", "minilm_plain")
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class EvalBrief:
    id: str
    category: str
    brief: Brief


def load_briefs(path: Path, categories: Sequence[str]) -> list[EvalBrief]:
    """Briefs of `{"briefs": [{"id", "category", "text", ...Brief fields}]}`."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for item in raw["briefs"]:
        fields = {k: v for k, v in item.items() if k not in ("id", "category")}
        if item["category"] not in categories:
            raise InvalidInput(
                f"expected a category in {tuple(categories)} in {path}, got {item['category']!r}"
            )
        out.append(EvalBrief(item["id"], item["category"], Brief(**{"k": K, **fields})))
    return out


# -- metrics ---------------------------------------------------------------------------------


def precision_at_k(ranked: Sequence[str], relevant: str, k: int = K) -> float:
    """Share of the first k labels equal to `relevant`; a list shorter than k counts as misses."""
    return sum(label == relevant for label in ranked[:k]) / k


def binary_ndcg(ranked: Sequence[str], relevant: str, k: int = K, *, n_relevant: int) -> float:
    """nDCG@k with gain 1 for a `relevant` label; the ideal ranks min(k, n_relevant) of them first.
    0 when nothing is relevant."""
    if n_relevant == 0:
        return 0.0
    hits = np.array([label == relevant for label in ranked], dtype=np.float64)
    return ndcg_at_k(hits, np.ones(n_relevant), k=k)


# -- BM25 ------------------------------------------------------------------------------------


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


class BM25:
    """Okapi BM25 (k1, b) with the non-negative idf log(1 + (N - df + 0.5) / (df + 0.5))."""

    def __init__(self, documents: Sequence[str], *, k1: float = 1.5, b: float = 0.75) -> None:
        self.k1, self.b = k1, b
        self.docs = [Counter(tokens(d)) for d in documents]
        self.lengths = np.array([sum(d.values()) for d in self.docs], dtype=np.float64)  # (n,)
        self.avg_length = float(self.lengths.mean()) if len(self.docs) else 0.0
        df = Counter(term for d in self.docs for term in d)
        n = len(self.docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}

    def scores(self, query: str) -> npt.NDArray[np.float64]:
        """(n,) score of every document for `query`."""
        norm = self.k1 * (1 - self.b + self.b * self.lengths / max(self.avg_length, 1e-9))
        out = np.zeros(len(self.docs))
        for term in set(tokens(query)):
            if term not in self.idf:
                continue
            tf = np.array([d.get(term, 0) for d in self.docs], dtype=np.float64)
            out += self.idf[term] * tf * (self.k1 + 1) / (tf + norm)
        return out


def top_k(scores: npt.NDArray[np.floating], ids: Sequence[str], k: int = K) -> list[str]:
    """Ids of the k highest scores, best first (ties: earlier id first)."""
    order = np.argsort(-scores, kind="stable")[:k]
    return [ids[i] for i in order]


# -- embeddings cache ------------------------------------------------------------------------


class CachedEmbedder:
    """A TextEmbedder that keeps every vector it made in `path` (.npz), keyed by content hash."""

    def __init__(self, inner: TextEmbedder, path: Path | None) -> None:
        self.inner, self.path = inner, path
        self.model_id, self.dimension = inner.model_id, inner.dimension
        self.vectors: dict[str, npt.NDArray[np.float32]] = {}
        if path is not None and path.is_file():
            with np.load(path, allow_pickle=False) as stored:
                self.vectors = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))

    def encode(self, texts: Sequence[str], *, progress: bool = False) -> npt.NDArray[np.float32]:
        keys = [content_hash(t, self.model_id) for t in texts]
        todo = {k: t for k, t in zip(keys, texts, strict=True) if k not in self.vectors}
        if todo:
            fresh = self.inner.encode(list(todo.values()), progress=progress)  # (m, dim)
            self.vectors.update(zip(todo, fresh, strict=True))
            self._save()
        return (
            np.stack([self.vectors[k] for k in keys])
            if keys
            else np.zeros((0, self.dimension), np.float32)
        )

    def _save(self) -> None:
        if self.path is None:
            return
        keys = list(self.vectors)
        np.savez(self.path, keys=np.array(keys), vectors=np.stack([self.vectors[k] for k in keys]))


# -- the evaluation --------------------------------------------------------------------------


@dataclass
class Evaluation:
    creators: dict[str, int]  # category → creators in the index
    rows: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)  # method→cat→metric
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def categories(self) -> list[str]:
        """The categories some brief asked for, in the first method's order."""
        return list(next(iter(self.rows.values()), {}))

    def mean(self, method: str, metric: str) -> float:
        return float(np.mean([self.rows[method][c][metric] for c in self.categories]))


def plain_text(record: CreatorRecord) -> str:
    """The baselines' document: the raw captions, concatenated in file order."""
    return "\n".join(p.caption for p in record.posts if p.caption)


def _score_rankings(
    briefs: Sequence[EvalBrief], rankings: Sequence[list[str]], labels: dict[str, str]
) -> dict[str, dict[str, float]]:
    """Per category: mean P@10 and nDCG@10 over its briefs."""
    counts = Counter(labels.values())
    per: dict[str, list[tuple[float, float]]] = {b.category: [] for b in sorted(briefs, key=_cat)}
    for brief, ranked in zip(briefs, rankings, strict=True):
        cats = [labels[cid] for cid in ranked]
        n_rel = counts[brief.category]
        per[brief.category].append(
            (
                precision_at_k(cats, brief.category),
                binary_ndcg(cats, brief.category, n_relevant=n_rel),
            )
        )
    return {
        c: {"p@10": float(np.mean([p for p, _ in v])), "ndcg@10": float(np.mean([n for _, n in v]))}
        for c, v in per.items()
        if v
    }


def _cat(brief: EvalBrief) -> str:
    return brief.category


def home_dir(work: Path, records: Sequence[CreatorRecord]) -> Path:
    """The evaluation home in `work` for these creators as `content_text` now reads them."""
    texts = "\x00".join(content_text(r) for r in records)
    return work / f"home-{hashlib.sha256(texts.encode()).hexdigest()[:12]}"


def _ours(
    home: Home,
    records: list[CreatorRecord],
    briefs: Sequence[EvalBrief],
    embedder: TextEmbedder,
    work: Path,
) -> list[list[str]]:
    """Rankings of the real pipeline: JSONL → ingest (embed, index) → shortlist per brief."""
    path = write_jsonl(records, work / "creators.jsonl")
    ingest_file(home, path, embedder=embedder, progress=False)
    bundle = load_bundle(home, embedder=embedder)
    try:
        return [[item.creator_id for item in shortlist(bundle, b.brief).items] for b in briefs]
    finally:
        bundle.catalog.close()


def _plain_minilm(
    records: list[CreatorRecord], briefs: Sequence[EvalBrief], embedder: TextEmbedder
) -> list[list[str]]:
    ids = [r.creator_id for r in records]
    creators = embedder.encode([plain_text(r) or " " for r in records])  # (n, dim)
    queries = embedder.encode([b.brief.text for b in briefs])  # (q, dim)
    return [top_k(creators @ q, ids) for q in queries]


def _bm25(records: list[CreatorRecord], briefs: Sequence[EvalBrief]) -> list[list[str]]:
    ids = [r.creator_id for r in records]
    index = BM25([plain_text(r) for r in records])
    return [top_k(index.scores(b.brief.text), ids) for b in briefs]


def evaluate_matching(
    creators: LabelledCreators, briefs: Sequence[EvalBrief], *, workdir: Path | None = None
) -> Evaluation:
    """Run ours and both baselines on `briefs` over the creators, score them per category."""
    with tempfile.TemporaryDirectory(prefix="cm-eval-") as tmp:
        work = workdir or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        cache = None if workdir is None else work / "embeddings.npz"
        embedder = CachedEmbedder(load_embedder("minilm"), cache)
        result = Evaluation(creators=dict(Counter(creators.labels.values())))
        runs = {
            "ours": lambda: _ours(
                Home(home_dir(work, creators.records)), creators.records, briefs, embedder, work
            ),
            "bm25": lambda: _bm25(creators.records, briefs),
            "minilm_plain": lambda: _plain_minilm(creators.records, briefs, embedder),
        }
        for method, run in runs.items():
            start = time.perf_counter()
            result.rows[method] = _score_rankings(briefs, run(), creators.labels)
            result.seconds[method] = round(time.perf_counter() - start, 1)
    return result


def format_table(result: Evaluation, methods: Sequence[str] = METHODS) -> str:
    width = max(len(c) for c in [*result.categories, "category"]) + 2
    header = f"{'category':<{width}}" + "".join(
        f"{m + ' P@10':>19}{m + ' nDCG':>19}" for m in methods
    )
    lines = [header]
    for cat in [*result.categories, "mean"]:
        cells = []
        for m in methods:
            for metric in ("p@10", "ndcg@10"):
                value = result.mean(m, metric) if cat == "mean" else result.rows[m][cat][metric]
                cells.append(f"{value:>19.3f}")
        lines.append(f"{cat:<{width}}" + "".join(cells))
    return "\n".join(lines)


def summary_json(result: Evaluation) -> str:
    return json.dumps(
        {
            "creators": result.creators,
            "mean": {
                m: {k: round(result.mean(m, k), 4) for k in ("p@10", "ndcg@10")}
                for m in result.rows
            },
            "per_category": result.rows,
            "seconds": result.seconds,
        },
        sort_keys=True,
    )
