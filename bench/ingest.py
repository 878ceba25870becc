"""`creatormatch bench ingest`: ingest throughput, creators per second, stage by stage.

N demo-like creators (the synthetic world: profile, posts, a 60-75 day follower series, audience,
comment and follower samples; ~19 kB of JSON each) are written to a JSONL file and ingested into
a fresh home by `ingest_file`, as `creatormatch ingest` does, with MiniLM in the default
precision (or the hashing stand-in). Printed: seconds per stage (validate, features, embed,
catalog write, index add; scores are none in a home without models), the total, the embedder
alone on the same texts (the ceiling embedding sets), and a second ingest of the same file (every
record unchanged). The load average is printed too: the machine is shared.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Literal

from creatormatch.bench.fraud import timed


def _texts_and_file(creators: int, seed: int, path: Path) -> list[str]:
    """Write the world's records to `path`; their content texts."""
    from creatormatch.features import CreatorRecord, content_text
    from creatormatch.world import WorldParams, generate_world

    world = generate_world(WorldParams(seed=seed, n_creators=creators))
    raws = list(world.records())
    path.write_text("".join(json.dumps(raw, default=str) + "\n" for raw in raws))
    return [content_text(CreatorRecord.model_validate(raw)) for raw in raws]


def _tokens(texts: list[str]) -> float:
    """Mean MiniLM word pieces per text, truncation at 256 included."""
    from creatormatch.features import minilm_model

    tokenizer = minilm_model().tokenizer
    sizes = [len(ids) for ids in tokenizer(texts, truncation=True, max_length=256)["input_ids"]]
    return sum(sizes) / max(len(sizes), 1)


def main(*, creators: int, seed: int, embedder: Literal["minilm", "stand-in"]) -> int:
    from creatormatch.core import Home
    from creatormatch.features import load_embedder
    from creatormatch.matching import ingest_file

    model = load_embedder("minilm" if embedder == "minilm" else "hashing")
    model.encode(["warm up the model once, outside the clock"])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "creators.jsonl"
        texts = _texts_and_file(creators, seed, path)
        chars = sum(map(len, texts)) / len(texts)
        tokens = f", {_tokens(texts):.0f} word pieces" if embedder == "minilm" else ""
        size = path.stat().st_size / creators / 1e3
        print(f"{creators:,} creators, {size:.1f} kB of JSON and {chars:.0f} characters of "
              f"content text each{tokens}; {model.model_id}")  # fmt: skip
        load_before = os.getloadavg()[0]
        home = Home(Path(tmp) / "home")
        report, wall, cpu = timed(lambda: ingest_file(home, path, embedder=model, progress=False))
        _, alone, alone_cpu = timed(lambda: model.encode(texts))
        again, again_wall, _ = timed(
            lambda: ingest_file(home, path, embedder=model, progress=False)
        )
    load_after = os.getloadavg()[0]
    stages = report.times.seconds
    print(f"{'stage':<34} {'seconds':>8} {'creators/s':>11} {'share':>6}")
    for stage, seconds in stages.items():
        rate = f"{creators / seconds:>11,.0f}" if seconds else f"{'-':>11}"
        print(f"{stage:<34} {seconds:>8.2f} {rate} {seconds / wall:>6.0%}")
    print(f"{'total (ingest_file)':<34} {wall:>8.2f} {creators / wall:>11,.0f} {'':>6}")
    print(f"{'total without embed':<34} {wall - stages['embed']:>8.2f} "
          f"{creators / (wall - stages['embed']):>11,.0f}")  # fmt: skip
    print(f"{'embedder alone, same texts':<34} {alone:>8.2f} {creators / alone:>11,.0f}")
    print(f"{'second ingest, all unchanged':<34} {again_wall:>8.2f} "
          f"{creators / again_wall:>11,.0f}   ({again.unchanged:,} unchanged)")  # fmt: skip
    print(f"load average {load_before:.1f} → {load_after:.1f} on {os.cpu_count()} cores; "
          f"CPU seconds: ingest {cpu:.1f}, embedder alone {alone_cpu:.1f}")  # fmt: skip
    print(json.dumps({
        "creators": creators,
        "embedder": model.model_id,
        "per_s": round(creators / wall, 1),
        "without_embed_per_s": round(creators / (wall - stages["embed"]), 1),
        "embed_alone_per_s": round(creators / alone, 1),
        "unchanged_per_s": round(creators / again_wall, 1),
        "chars_per_text": round(chars, 1),
        "load_1m": [round(load_before, 2), round(load_after, 2)],
        "seconds": {**{k: round(v, 3) for k, v in stages.items()}, "total": round(wall, 3)},
    }))  # fmt: skip
    return 0
