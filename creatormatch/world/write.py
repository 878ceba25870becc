"""Write a world to a directory: creators, fraud labels, briefs, outcomes and world.json."""

from __future__ import annotations

import json
import multiprocessing
from pathlib import Path
from typing import Any, Literal

from tqdm import tqdm

from creatormatch.world.world import World

CHUNK = 5_000


def _line(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"


_SHARED: list[World] = []  # the world a forked worker renders from (copy-on-write, not pickled)


def _render(bounds: tuple[int, int]) -> str:
    return "".join(_line(r) for r in _SHARED[0].records(*bounds))


def _chunks(n: int, workers: int) -> list[tuple[int, int]]:
    """[start, stop) blocks; small enough that every worker gets several (rendering is per
    creator, so the block size never changes the bytes written)."""
    size = max(50, min(CHUNK, -(-n // (4 * workers))))
    return [(start, min(start + size, n)) for start in range(0, n, size)]


def _creators_jsonl(world: World, path: Path, *, progress: bool, workers: int) -> None:
    """Chunks rendered in order (by forked workers when workers > 1): byte-identical output."""
    chunks = _chunks(len(world), workers)
    _SHARED[:] = [world]
    with (
        path.open("w", encoding="utf-8") as out,
        tqdm(total=len(world), unit="creator", disable=not progress, desc="creators.jsonl") as bar,
    ):
        if workers > 1 and len(chunks) > 1:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for (start, stop), text in zip(chunks, pool.imap(_render, chunks), strict=True):
                    out.write(text)
                    bar.update(stop - start)
        else:
            for start, stop in chunks:
                out.write(_render((start, stop)))
                bar.update(stop - start)
    _SHARED.clear()


def _creators_parquet(world: World, path: Path, *, progress: bool) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer: pq.ParquetWriter | None = None
    for start in tqdm(range(0, len(world), CHUNK), disable=not progress, desc="creators.parquet"):
        table = pa.Table.from_pylist(list(world.records(start, start + CHUNK)))
        if writer is None:
            writer = pq.ParquetWriter(path, table.schema)
        writer.write_table(table.cast(writer.schema))
    if writer is not None:
        writer.close()


def write_world(
    world: World,
    out_dir: Path | str,
    *,
    format: Literal["jsonl", "parquet"] = "jsonl",
    progress: bool = True,
    workers: int = 1,
) -> Path:
    """Write the five files of a world into `out_dir` (created); returns the directory."""
    if format not in ("jsonl", "parquet"):
        raise ValueError(f"expected format 'jsonl' or 'parquet', got {format!r}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    if format == "jsonl":
        _creators_jsonl(world, out / "creators.jsonl", progress=progress, workers=workers)
    else:
        _creators_parquet(world, out / "creators.parquet", progress=progress)
    world.labels.to_csv(out / "fraud_labels.csv", index=False, lineterminator="\n")
    (out / "briefs.jsonl").write_text("".join(_line(b) for b in world.briefs), encoding="utf-8")
    (out / "outcomes.jsonl").write_text("".join(_line(o) for o in world.outcomes), encoding="utf-8")
    summary = json.dumps(world.summary(), indent=2, sort_keys=True)
    (out / "world.json").write_text(summary + "\n", encoding="utf-8")
    return out
