"""Read records (creators, outcomes, labels) from JSONL, CSV or Parquet, keeping the good ones.

A bad record never stops a run: it becomes a `Rejection` naming its line, the field and what was
expected, and the caller decides the exit code.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from creatormatch.core import InvalidInput
from creatormatch.features.records import CreatorRecord


@dataclass(frozen=True)
class Rejection:
    line: int
    creator_id: str | None
    problems: tuple[str, ...]

    def __str__(self) -> str:
        who = f" ({self.creator_id})" if self.creator_id else ""
        return f"line {self.line}{who}: " + "; ".join(self.problems)


T = TypeVar("T", bound=BaseModel)
PARQUET_BATCH = 1_000  # rows decoded at a time


@dataclass
class RecordBatch(Generic[T]):
    records: list[T] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # the line of each record, as a Rejection's

    @property
    def read(self) -> int:
        """Rows in the file, good or bad (blank JSONL lines are not rows)."""
        return len(self.records) + len(self.rejections)


def describe(error: ValidationError) -> tuple[str, ...]:
    """One readable line per problem: the field path, what was expected, what arrived."""
    lines = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"]) or "record"
        got = problem.get("input")
        shown = repr(got) if not isinstance(got, dict | list) else type(got).__name__
        lines.append(f"{where}: {problem['msg']} (got {shown[:80]})")
    return tuple(lines)


def parse_record(raw: Any, line: int, model: type[T]) -> T | Rejection:
    creator_id = raw.get("creator_id") if isinstance(raw, dict) else None
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        return Rejection(line, str(creator_id) if creator_id else None, describe(error))


def parse_json_line(number: int, text: str) -> Any:
    """The object on JSONL line `number`, or a `Rejection` when the line is not JSON."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        return Rejection(number, None, (f"not JSON: {error.msg}",))
    except ValueError as error:  # a number of more than 4,300 digits
        return Rejection(number, None, (f"not JSON: {str(error)[:80]}",))


def jsonl_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, text) of every line that is not blank, not yet parsed."""
    with path.open(encoding="utf-8") as handle:
        yield from numbered_lines(handle)


def numbered_lines(lines: Iterable[str], first: int = 1) -> Iterator[tuple[int, str]]:
    """(line number, text) of each line that is not blank, the first being line `first`."""
    for number, text in enumerate(lines, start=first):
        if text.strip():
            yield number, text


def _jsonl_rows(path: Path) -> Iterator[tuple[int, Any]]:
    for number, text in jsonl_lines(path):
        yield number, parse_json_line(number, text)


def _parquet_rows(path: Path) -> Iterator[tuple[int, Any]]:
    import pyarrow.parquet as pq

    # Batch by batch: a file larger than memory is read in bounded pieces (`creatormatch score`).
    batches = pq.ParquetFile(path).iter_batches(batch_size=PARQUET_BATCH)
    rows = (row for batch in batches for row in batch.to_pylist())
    for number, row in enumerate(rows, start=1):
        yield number, {key: value for key, value in row.items() if value is not None}


def _csv_rows(path: Path) -> Iterator[tuple[int, Any]]:
    with path.open(encoding="utf-8", newline="") as handle:
        # Line 1 is the header, so the first data row is line 2, as an editor shows it.
        for number, row in enumerate(csv.DictReader(handle), start=2):
            yield number, {key: value for key, value in row.items() if value not in ("", None)}


def iter_rows(path: Path) -> Iterator[tuple[int, Any]]:
    """(line number, raw object) pairs; JSONL lines that are not JSON come as `Rejection`s."""
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    readers = {
        ".jsonl": _jsonl_rows,
        ".ndjson": _jsonl_rows,
        ".json": _jsonl_rows,
        ".csv": _csv_rows,
        ".parquet": _parquet_rows,
        ".pq": _parquet_rows,
    }
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise InvalidInput(f"expected a .jsonl, .csv or .parquet file, got {path.name}")
    return reader(path)


def read_records(path: Path, model: type[T] = CreatorRecord) -> RecordBatch[T]:  # type: ignore[assignment]
    """Every valid row of `path` as `model`, and a `Rejection` for each invalid one."""
    batch: RecordBatch[T] = RecordBatch()
    for line, raw in iter_rows(path):
        parsed = raw if isinstance(raw, Rejection) else parse_record(raw, line, model)
        if isinstance(parsed, Rejection):
            batch.rejections.append(parsed)
        else:
            batch.records.append(parsed)
            batch.lines.append(line)
    return batch
