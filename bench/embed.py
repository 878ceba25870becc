"""Embedding benchmark: sentence-transformers' default `encode` against the project's embedder.

Both encode the same synthetic creator texts (built by `features.text.content_text` from
creator-like records, so lengths and cleaning match production). Modes are interleaved within each
repeat so a noisy, shared machine slows them alike; the table shows medians. The last line printed
is a JSON object (`speedup`, `min_cosine`, ...) for scripts and CI.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from creatormatch.features import (
    DEFAULT_PRECISION,
    CreatorRecord,
    Embeddings,
    MiniLMEmbedder,
    Post,
    content_text,
    minilm_model,
)

Encode = Callable[[Sequence[str]], Embeddings]

_NICHES = {
    "fitness": "leg day squats protein meal prep hiit cardio gains personal best deadlift",
    "food": "homemade pasta sourdough brunch recipe spicy ramen vegan dessert street food",
    "travel": "sunset beach backpacking hidden gems road trip mountains hostel city guide",
    "beauty": "skincare routine serum foundation glow makeup tutorial lipstick swatches",
    "fashion": "outfit of the day streetwear thrift haul sneakers vintage denim lookbook",
    "pets": "golden retriever puppy training cat nap adoption vet visit dog park treats",
    "home": "living room makeover scandinavian interior plants diy shelves cozy bedroom",
    "gaming": "speedrun new patch ranked stream setup esports controller indie game review",
}
_EXTRAS = ["😍", "🔥", "💪", "✨", "link in bio https://lnk.to/x", "@brand.official", "ad", "🙌"]
BRIEF = "Protein snack brand looking for fitness creators whose audience is 18-34 in the US"


def _caption(rng: random.Random, words: list[str]) -> str:
    body = " ".join(rng.choices(words, k=rng.randint(6, 40)))
    tags = " ".join(f"#{w}" for w in rng.sample(words, k=rng.randint(0, 6)))
    return f"{body.capitalize()} {rng.choice(_EXTRAS)} {tags}"


def synthetic_records(n: int, *, seed: int = 0) -> list[CreatorRecord]:
    """Creator-like records: a niche, a bio and 0-30 posts (many hit the text budget)."""
    rng = random.Random(seed)
    records = []
    for i in range(n):
        niche, vocab = rng.choice(list(_NICHES.items()))
        words = vocab.split()
        posts = [
            Post(post_id=f"{i}-{j}", caption=_caption(rng, words))
            for j in range(rng.choice([0, 1, 3, 8, 15, 30]))
        ]
        bio = f"{niche} creator 📍 {rng.choice(['NYC', 'Berlin', 'Lagos'])} | collabs: @mgmt"
        records.append(CreatorRecord(creator_id=f"c{i}", bio=bio, posts=posts))
    return records


@dataclass
class Mode:
    name: str
    encode: Encode
    rates: list[float]
    latencies_ms: list[float]
    vectors: Embeddings | None = None


def _time_mode(mode: Mode, texts: list[str], *, briefs: int) -> None:
    started = time.perf_counter()
    mode.vectors = mode.encode(texts)  # (n, dim)
    mode.rates.append(len(texts) / (time.perf_counter() - started))
    for _ in range(briefs):
        started = time.perf_counter()
        mode.encode([BRIEF])
        mode.latencies_ms.append((time.perf_counter() - started) * 1e3)


def _modes() -> list[Mode]:
    model = minilm_model()

    def st_default(texts: Sequence[str]) -> Embeddings:
        return model.encode(list(texts), convert_to_numpy=True, normalize_embeddings=True)

    project = MiniLMEmbedder()
    modes = [Mode("sentence-transformers default (fp32)", st_default, [], [])]
    if DEFAULT_PRECISION != "fp32":
        modes.append(Mode("creatormatch fp32", MiniLMEmbedder(precision="fp32").encode, [], []))
    modes.append(Mode(f"creatormatch {project.precision} (default)", project.encode, [], []))
    return modes


def _min_cosine(reference: Embeddings, other: Embeddings) -> float:
    return float(np.min(np.sum(reference * other, axis=1)))


def run(
    *, n_texts: int = 512, repeats: int = 3, briefs: int = 20, seed: int = 0
) -> dict[str, object]:
    """Time every mode `repeats` times; print the table and return the summary."""
    texts = [content_text(r) for r in synthetic_records(n_texts, seed=seed)]
    modes = _modes()
    for mode in modes:  # warm-up: first calls pay for allocation and thread start-up
        mode.encode(texts[:32])
    for _ in range(repeats):
        for mode in modes:
            _time_mode(mode, texts, briefs=briefs)
    reference, project = modes[0], modes[-1]
    assert reference.vectors is not None and project.vectors is not None
    _print_table(modes, reference.vectors, texts)
    return {
        "texts": n_texts,
        "repeats": repeats,
        "load_1m": round(os.getloadavg()[0], 1),  # a shared machine: >2 here means contended
        "mean_chars": round(statistics.mean(len(t) for t in texts)),
        "mode": project.name,
        "speedup": round(statistics.median(project.rates) / statistics.median(reference.rates), 2),
        "min_cosine": round(_min_cosine(reference.vectors, project.vectors), 6),
        "texts_per_s": {m.name: round(statistics.median(m.rates), 1) for m in modes},
        "brief_p50_ms": {m.name: round(statistics.median(m.latencies_ms), 1) for m in modes},
    }


def _print_table(modes: list[Mode], reference: Embeddings, texts: list[str]) -> None:
    print(
        f"{len(texts)} texts, mean {statistics.mean(len(t) for t in texts):.0f} chars, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    print(f"{'mode':<40} {'texts/s':>9} {'brief p50 ms':>13} {'min cos vs fp32':>16}")
    for mode in modes:
        assert mode.vectors is not None
        print(
            f"{mode.name:<40} {statistics.median(mode.rates):>9.1f} "
            f"{statistics.median(mode.latencies_ms):>13.1f} "
            f"{_min_cosine(reference, mode.vectors):>16.6f}"
        )


def main(*, n_texts: int = 512, repeats: int = 3, seed: int = 0) -> int:
    summary = run(n_texts=n_texts, repeats=repeats, seed=seed)
    print(json.dumps(summary))
    return 0
