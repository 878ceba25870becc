"""`creatormatch bench shortlist`: end-to-end shortlists over N synthetic creators.

The world generator is far too slow for a million creators, so this builds the bundle directly:
clustered unit content vectors (topics and sub-topics, like niches of real creators), audience
shares, the candidate table, the index, a small conversion model fitted on synthetic pairs, and
minimal catalog rows (the k chosen creators are read from SQLite for their reasons). Briefs are
embedded by a deterministic stand-in (a hash of the text picks a topic direction), declared in
the output; `--embedder minilm` times the real model instead (its vectors do not live in the
synthetic topic space, so recall is then meaningless and reported as such).

Each brief sets filters (two platforms, a language, a follower floor, exclusions, a fraud cap)
and audience targets. recall@100 compares the top 100 of the 1,000 candidates with the same
pipeline on exact search: exact first search, feedback, a second exact search. The last line
printed is a JSON object.

With `--workdir DIR` the catalog and the published index stay in DIR, and a later run with the
same creators, seed and index parameters loads them instead of building (IVF training is most of
a 1M build); everything else is regenerated from the seed, identically.
"""

from __future__ import annotations

import gc
import hashlib
import json
import math
import os
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.core import Home, get_settings
from creatormatch.features import (
    AUDIENCE_DIM,
    BLOCK_WEIGHTS,
    BLOCKS,
    Brief,
    Codes,
    CreatorSide,
    Ragged,
    Shares,
    folded,
    load_embedder,
    target_vector,
    with_creator_columns,
)
from creatormatch.matching import (
    CANDIDATES,
    FEATURE_COLUMNS,
    POOL,
    Bundle,
    CandidateTable,
    CreatorIndex,
    VectorWeights,
    expanded_from,
    filters_of,
    joint_vectors,
    query_vector,
    retrieve,
    settle,
    shortlist,
)
from creatormatch.models import ConversionModel
from creatormatch.serving import limit_library_threads
from creatormatch.store import Catalog

DIM = 384
TOPICS = 64
SUBTOPICS = 16  # per topic
PLATFORMS = ("instagram", "tiktok", "youtube")
LANGUAGES = ("en", "es", "de", "pt")
INTERESTS = BLOCKS["interests"]
Vectors = npt.NDArray[np.float32]


class TopicEmbedder:
    """Deterministic stand-in: the text's hash picks a topic and sub-topic direction, plus noise."""

    def __init__(self, centers: Vectors) -> None:
        self.centers, self.dimension = centers, DIM
        self.model_id = "topic-hash-stand-in-v1"

    def encode(self, texts: list[str] | tuple[str, ...], *, progress: bool = False) -> Vectors:
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
            rng = np.random.default_rng(seed)
            center = self.centers[rng.integers(len(self.centers))]
            rows.append(center + rng.normal(0, 0.04, DIM).astype(np.float32))
        out = np.array(rows, dtype=np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def _unit(x: npt.NDArray[Any]) -> Vectors:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def topic_centers(rng: np.random.Generator) -> Vectors:
    """(TOPICS · SUBTOPICS, DIM) sub-topic directions clustered around TOPICS topics."""
    topics = _unit(rng.normal(size=(TOPICS, DIM)))
    offsets = rng.normal(0, 0.9 / math.sqrt(DIM), size=(TOPICS, SUBTOPICS, DIM))
    return _unit((topics[:, None, :] + offsets).reshape(-1, DIM))


def content_vectors(n: int, centers: Vectors, rng: np.random.Generator) -> Vectors:
    """(n, DIM) unit vectors: a sub-topic direction plus per-creator noise, built in chunks."""
    out = np.empty((n, DIM), dtype=np.float32)
    for start in range(0, n, 100_000):
        stop = min(n, start + 100_000)
        picks = rng.integers(len(centers), size=stop - start)
        noise = rng.normal(0, 1.1 / math.sqrt(DIM), size=(stop - start, DIM)).astype(np.float32)
        out[start:stop] = _unit(centers[picks] + noise)
    return out


def audience_shares(n: int, rng: np.random.Generator) -> dict[str, npt.NDArray[np.float64]]:
    """block → (n, slots) shares summing to 1; 20 % of creators have no audience (NaN rows)."""
    unknown = rng.random(n) < 0.2
    shares = {}
    for block, slots in BLOCKS.items():
        values = rng.dirichlet(np.full(len(slots), 0.3), size=n)
        values[unknown] = np.nan
        shares[block] = values
    return shares


def audience_layout(shares: dict[str, npt.NDArray[np.float64]]) -> tuple[Vectors, Any]:
    """(n, AUDIENCE_DIM) vectors laid out as features.audience does, and the known mask."""
    parts = []
    for block, values in shares.items():
        clean = np.nan_to_num(values)
        norm = np.linalg.norm(clean, axis=1, keepdims=True)
        scaled = np.divide(clean, norm, out=np.zeros_like(clean), where=norm > 0)
        parts.append(scaled * math.sqrt(BLOCK_WEIGHTS[block]))
    known = ~np.isnan(shares["countries"][:, 0])
    return np.hstack(parts).astype(np.float32), known


def creator_columns(n: int, rng: np.random.Generator) -> pd.DataFrame:
    """Filterable attributes and the engineered features a shortlist reads."""
    followers = np.round(10 ** rng.uniform(3, 6.5, n))
    engagement = rng.lognormal(-3.7, 0.6, n)
    return pd.DataFrame({
        "platform": rng.choice(PLATFORMS, n), "language": rng.choice(LANGUAGES, n,
                                                                     p=[0.55, 0.2, 0.15, 0.1]),
        "country": rng.choice(BLOCKS["countries"][:-1], n), "followers": followers,
        "engagement_rate": engagement, "log_followers": np.log10(followers),
        "posts_per_week": rng.gamma(2.0, 1.5, n), "sponsored_share": rng.beta(1, 8, n),
        "price_per_post": np.where(rng.random(n) < 0.8, followers * rng.uniform(0.005, 0.02, n),
                                   np.nan),
        "audience_fake_share": rng.beta(1, 12, n),
        "median_views": np.where(rng.random(n) < 0.5, followers * rng.uniform(0.05, 0.4, n),
                                 np.nan),
        "fraud": rng.beta(1, 9, n),
        "topic": rng.integers(len(INTERESTS), size=n),
    })  # fmt: skip


def candidate_table(
    ids: pd.Index, frame: pd.DataFrame, content: Vectors, shares: dict[str, Any]
) -> CandidateTable:
    """The table the bundle would load from the catalog, built from the arrays directly."""
    n = len(ids)
    audience = {
        block: Shares(values, {key: i for i, key in enumerate(BLOCKS[block])})
        for block, values in shares.items()
    }
    topics = Codes(frame["topic"].to_numpy(dtype=np.int32), {t: i for i, t in enumerate(INTERESTS)})
    side = CreatorSide(
        language=folded(frame["language"]),
        country=folded(frame["country"]),
        categories=Ragged(np.arange(n + 1, dtype=np.int64), topics),
        audience=audience,
    )
    return CandidateTable(
        ids=ids,
        features=frame[list(FEATURE_COLUMNS)].to_numpy(dtype=np.float64),
        fraud=frame["fraud"].to_numpy(dtype=np.float64),
        content=content,
        side=side,
    )


def write_catalog(catalog: Catalog, ids: pd.Index, frame: pd.DataFrame) -> None:
    """Minimal creator rows (no audience, two captions) and fraud reports, in bulk."""
    rows, scores = [], []
    columns = [frame[c].to_numpy() for c in ("topic", "platform", "language", "country")]
    numbers = [frame[c].to_numpy(dtype=np.float64) for c in ("followers", "fraud")]
    for cid, code, platform, language, country, followers, fraud in zip(
        ids, *columns, *numbers, strict=True
    ):
        topic = INTERESTS[code]
        record = (f'{{"creator_id":"{cid}","handle":"{topic}_{cid}","platform":"{platform}",'
                  f'"language":"{language}","country":"{country}",'
                  f'"followers":{int(followers)},"bio":"{topic} creator","posts":['
                  f'{{"post_id":"{cid}-1","caption":"{topic} tips"}}]}}')  # fmt: skip
        rows.append((cid, record, record, cid, cid, "{}", None, None, platform,
                     country, language))  # fmt: skip
        band = "high" if fraud > 0.5 else "medium" if fraud > 0.2 else "low"
        report = f'{{"probability":{fraud},"band":"{band}","reasons":["synthetic"]}}'
        scores.append((cid, float(fraud), band, report))
    with catalog.transaction() as db:
        db.executemany("INSERT INTO creators (creator_id, record, profile, record_hash, "
                       "content_hash, features, audience, handle, platform, country, language) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)  # fmt: skip
    catalog.store_fraud_scores(scores)


def joint(content: Vectors, audience: Vectors, known: Any) -> Vectors:
    out = np.empty((len(content), DIM + AUDIENCE_DIM), dtype=np.float32)
    for start in range(0, len(content), 100_000):
        part = slice(start, start + 100_000)
        out[part] = joint_vectors(content[part], audience[part], known[part])
    return out


def briefs(count: int, ids: pd.Index, rng: np.random.Generator) -> list[Brief]:
    """Briefs with filters on and audience targets, k=50."""
    out = []
    for i in range(count):
        platforms = list(rng.choice(PLATFORMS, 2, replace=False))
        interests = list(rng.choice(INTERESTS, 2, replace=False))
        out.append(Brief(
            text=f"campaign {i}: {' and '.join(interests)} creators for a product launch",
            platforms=platforms, languages=["en"], min_followers=5_000, max_fraud=0.6,
            countries={"US": 0.6, "GB": 0.4}, ages=["18-24", "25-34"], interests=interests,
            exclude=[str(c) for c in rng.choice(ids, 5)], k=50,
        ))  # fmt: skip
    return out


def conversion_model(
    table: CandidateTable, sample: list[Brief], embedder: Any, rng: np.random.Generator
) -> ConversionModel:
    """A small conversion model fitted on synthetic pairs: its predict cost is the real one."""
    frames, rates = [], []
    for brief in sample:
        rows = rng.integers(len(table), size=1_000)
        got = table.gather(rows, brief, embedder.encode([brief.text])[0])
        x = with_creator_columns(got.pairs, got.features).reset_index(drop=True)
        frames.append(x)
        fit = np.nan_to_num(x["content_similarity"]) + np.nan_to_num(x["interest_fit"])
        rates.append(0.002 * np.exp(fit))
    x, rate = pd.concat(frames, ignore_index=True), np.concatenate(rates)
    impressions = rng.uniform(1e3, 1e5, len(x))
    return ConversionModel().fit(x, rng.poisson(rate * impressions), impressions)


def _reusable(home: Home, index: CreatorIndex, identity: dict[str, Any]) -> bool:
    """Whether `home` holds the catalog and index a run with `identity` would build."""
    manifest = home.index_dir / "manifest.json"
    if not manifest.is_file():
        return False
    saved = json.loads(manifest.read_text())
    return bool(saved.get("bench") == identity and saved.get("params") == index.get_params())


def _index_and_catalog(
    home: Home, n: int, kind: str, seed: int, data: tuple[pd.Index, pd.DataFrame, Vectors]
) -> tuple[CreatorIndex, Catalog, bool]:
    """Both loaded from `home` (True) when a previous run left them there, else built (False)."""
    ids, frame, vectors = data
    index = CreatorIndex(kind=kind)  # type: ignore[arg-type]
    identity = {"creators": n, "seed": seed, "kind": kind}
    if _reusable(home, index, identity):
        return CreatorIndex.load(home.index_dir), Catalog(home.catalog), True
    shutil.rmtree(home.root, ignore_errors=True)
    home.ensure()
    index.build(list(ids), vectors, frame)
    catalog = Catalog(home.catalog)
    write_catalog(catalog, ids, frame)
    # Published last: an index in the work directory means its catalog was written in full.
    index.save(home.index_dir, metadata={"bench": identity})
    return index, catalog, False


def build(n: int, *, kind: str, embedder_kind: str, seed: int, root: Path) -> tuple[Bundle, dict]:
    """A bundle of n synthetic creators; returns it, build timings (seconds) and `index_reused`."""
    rng = np.random.default_rng(seed)
    started = time.perf_counter()
    centers = topic_centers(rng)
    ids = pd.Index([f"s{i:07d}" for i in range(n)], dtype=object)
    content = content_vectors(n, centers, rng)
    shares = audience_shares(n, rng)
    frame = creator_columns(n, rng)
    audience, known = audience_layout(shares)
    vectors = joint(content, audience, known)
    generated = time.perf_counter()
    home = Home(root)
    index, catalog, reused = _index_and_catalog(home, n, kind, seed, (ids, frame, vectors))
    del vectors, audience
    table = candidate_table(ids, frame, content, shares)
    stored = time.perf_counter()
    embedder: Any = TopicEmbedder(centers) if embedder_kind == "stand-in" else load_embedder()
    sample = briefs(8, ids, np.random.default_rng(seed + 1))
    model = conversion_model(table, sample, embedder, rng)
    bundle = Bundle(home, catalog, index, embedder, model, None, {}, candidates=table,
                    held_below=index.next_label_)  # fmt: skip
    settle(bundle)  # as load_bundle does
    times = {"generate_s": generated - started, "index_catalog_s": stored - generated,
             "build_s": time.perf_counter() - started, "index_reused": reused}  # fmt: skip
    return bundle, times


def exact_top(bundle: Bundle, brief: Brief, text: Vectors, depth: int) -> list[str]:
    """The first `depth` candidates of the pipeline on exact search (two searches, as before)."""
    index, saved = bundle.index, bundle.index.nprobe
    index.nprobe = 1 << 30  # IVF probes every list: exact
    try:
        target, known = target_vector(brief)
        filters = filters_of(brief)
        query = query_vector(text, target, known, weights=VectorWeights())
        seeds = [hit.id for hit in index.search(query, 10, filters=filters)[0]]
        seed_rows = bundle.candidates.rows(seeds) if bundle.candidates is not None else None
        assert seed_rows is not None
        moved = expanded_from(text, bundle.candidates.content[seed_rows])  # type: ignore[union-attr]
        query = query_vector(moved, target, known, weights=VectorWeights())
        return [hit.id for hit in index.search(query, CANDIDATES, filters=filters)[0][:depth]]
    finally:
        index.nprobe = saved


def recall(bundle: Bundle, sample: list[Brief]) -> float:
    found = []
    for brief in sample:
        text = bundle.embedder.encode([brief.text])[0]
        fast = retrieve(bundle, brief, text)[0][:100]
        exact = exact_top(bundle, brief, text, 100)
        found.append(len(set(fast) & set(exact)) / max(1, len(exact)))
    return float(np.mean(found))


def _timed(call: Any, *args: Any, **options: Any) -> float:
    started = time.perf_counter()
    call(*args, **options)
    return (time.perf_counter() - started) * 1e3


# What getrusage counts during a shortlist: memory touched for the first time (fresh heap, page
# cache), page faults and file reads that went to the disk (512-byte blocks), and how often the
# process gave up or lost the CPU (blocking on I/O or a lock; preempted by another process).
RUSAGE = {"faults": "ru_minflt", "disk_faults": "ru_majflt", "disk_blocks": "ru_inblock",
          "waits": "ru_nvcsw", "preempted": "ru_nivcsw"}  # fmt: skip


class TailProbe:
    """What happened during each timed shortlist (RUSAGE counts and garbage-collector time).
    The slowest shortlists are then compared with the typical one, which says where the tail
    comes from."""

    def __init__(self) -> None:
        self.gc_ms = 0.0
        self._gc_start = 0.0
        self.counts: dict[str, list[int]] = {name: [] for name in RUSAGE}
        self.gc: list[float] = []

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_start = time.perf_counter()
        else:
            self.gc_ms += (time.perf_counter() - self._gc_start) * 1e3

    def timed(self, call: Any, *args: Any) -> float:
        gc.callbacks.append(self._on_gc)
        self.gc_ms, before = 0.0, resource.getrusage(resource.RUSAGE_SELF)
        try:
            elapsed = _timed(call, *args)
        finally:
            gc.callbacks.remove(self._on_gc)
        after = resource.getrusage(resource.RUSAGE_SELF)
        for name, field in RUSAGE.items():
            self.counts[name].append(getattr(after, field) - getattr(before, field))
        self.gc.append(self.gc_ms)
        return elapsed

    def summary(self, latencies: list[float]) -> dict[str, float]:
        """Mean RUSAGE counts and GC ms of the slowest 1 % of shortlists, and of all of them."""
        order = np.argsort(latencies)
        slow = order[-max(1, len(order) // 100) :]
        out = {"slowest_1pct_ms": float(np.mean(np.asarray(latencies)[slow]))}
        for name, values in {**self.counts, "gc_ms": self.gc}.items():
            array = np.asarray(values, dtype=float)
            out[f"{name}_mean"] = float(array.mean())
            out[f"{name}_slowest_1pct"] = float(array[slow].mean())
        return out


def time_shortlists(
    bundle: Bundle, sample: list[Brief], repeats: int, probe: TailProbe
) -> dict[str, list[float]]:
    """Interleaved per brief: embedding alone, the first search alone, the whole shortlist (with
    `probe` watching it)."""
    for brief in sample[:5]:  # warm-up
        shortlist(bundle, brief)
    out: dict[str, list[float]] = {"embed": [], "search": [], "shortlist": []}
    for _ in range(repeats):
        for brief in sample:
            text = bundle.embedder.encode([brief.text])[0]
            target, known = target_vector(brief)
            query = query_vector(text, target, known, weights=VectorWeights())
            out["embed"].append(_timed(bundle.embedder.encode, [brief.text]))
            out["search"].append(
                _timed(bundle.index.search, query, POOL, filters=filters_of(brief))
            )
            out["shortlist"].append(probe.timed(shortlist, bundle, brief))
    return out


def bytes_per_creator(bundle: Bundle) -> dict[str, float]:
    index, n = bundle.index, len(bundle.index)
    vectors = index.index_.ntotal * (index.dim_ * 4 + 8)  # float32 rows + int64 label
    items = int(index.items_.memory_usage(deep=True).sum())
    columns = index.filter_columns_.nbytes
    table = bundle.label_rows.nbytes + bundle.held_impressions.nbytes + bundle.held_topics.nbytes
    table += bundle.candidates.nbytes if bundle.candidates is not None else 0
    return {"index_vectors": vectors / n, "index_items": items / n,
            "index_filter_columns": columns / n, "candidate_table": table / n}  # fmt: skip


def _ms(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def _print_table(n: int, bundle: Bundle, times: dict[str, list[float]], build: dict) -> None:
    load = os.getloadavg()
    reused = " (index reused)" if build["index_reused"] else ""
    print(f"{n:,} creators, index {bundle.index.kind_}, embedder {bundle.embedder.model_id}, "
          f"load average {load[0]:.1f} / {load[1]:.1f} on {os.cpu_count()} CPUs; "
          f"build {build['build_s']:.1f} s{reused}")  # fmt: skip
    print(f"{'stage':<28} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8}")
    for name, label in (("embed", "brief embedding"), ("search", "first search (2,000)"),
                        ("shortlist", "shortlist end-to-end")):  # fmt: skip
        values = times[name]
        print(f"{label:<28} {_ms(values, 50):>8.1f} {_ms(values, 90):>8.1f} "
              f"{_ms(values, 99):>8.1f}")  # fmt: skip


def run(*, creators: int, briefs_n: int, repeats: int, kind: str, embedder: str, seed: int,
        library_threads: int, workdir: Path | None = None) -> dict[str, Any]:  # fmt: skip
    # As a serving worker runs: one thread per numeric library (docs/decisions/0009). Limiting
    # them only after an all-core build gave a p99 of 71 ms instead of 25-27 at 1M (one run).
    limit_library_threads(library_threads)
    root = workdir or Path(tempfile.mkdtemp(prefix="creatormatch-bench-shortlist-"))
    try:
        bundle, build_times = build(creators, kind=kind, embedder_kind=embedder, seed=seed,
                                    root=root)  # fmt: skip
        sample = briefs(briefs_n, bundle.candidates.ids, np.random.default_rng(seed + 2))  # type: ignore[union-attr]
        probe = TailProbe()
        times = time_shortlists(bundle, sample, repeats, probe)
        got = recall(bundle, sample[: min(len(sample), 30)])
        _print_table(creators, bundle, times, build_times)
        tail = probe.summary(times["shortlist"])
        print(f"slowest 1 % of shortlists ({tail['slowest_1pct_ms']:.1f} ms) against all, per "
              "shortlist: " + ", ".join(
                  f"{name} {tail[name + '_slowest_1pct']:.1f} vs {tail[name + '_mean']:.1f}"
                  for name in (*RUSAGE, "gc_ms")))  # fmt: skip
        sizes = bytes_per_creator(bundle)
        bundle.catalog.close()
    finally:
        if workdir is None:
            shutil.rmtree(root, ignore_errors=True)
    total = times["shortlist"]
    return {
        "creators": creators, "index": bundle.index.kind_, "embedder": bundle.embedder.model_id,
        "stand_in_embedder": embedder == "stand-in", "briefs": briefs_n, "repeats": repeats,
        "k": 50, "candidates": CANDIDATES, "filters": True,
        "load_1m": round(os.getloadavg()[0], 1), "cpus": os.cpu_count(),
        "p50_ms": round(_ms(total, 50), 2), "p99_ms": round(_ms(total, 99), 2),
        "qps": round(1e3 / statistics.mean(total), 1),
        "search_p50_ms": round(_ms(times["search"], 50), 2),
        "embed_p50_ms": round(_ms(times["embed"], 50), 2),
        "recall_at_100": round(got, 4) if embedder == "stand-in" else None,
        **{k: v if isinstance(v, bool) else round(v, 1) for k, v in build_times.items()},
        "tail": {k: round(v, 2) for k, v in tail.items()},
        "bytes_per_creator": round(sum(sizes.values())),
        "bytes_per_creator_parts": {k: round(v) for k, v in sizes.items()},
    }  # fmt: skip


def main(*, creators: int, briefs: int, repeats: int, kind: str, embedder: str, seed: int,
         workdir: Path | None = None) -> int:  # fmt: skip
    threads = get_settings().library_threads  # the entry point reads the settings, once
    summary = run(creators=creators, briefs_n=briefs, repeats=repeats, kind=kind,
                  embedder=embedder, seed=seed, library_threads=threads,
                  workdir=workdir)  # fmt: skip
    print(json.dumps(summary))
    return 0
