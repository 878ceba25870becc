"""Fraud labels and campaign outcomes: checked, then kept in the catalog for the next training.

A file whose header (CSV) or schema (Parquet) does not name the model's columns fails once,
naming the expected ones, instead of once per line. A row for a creator the catalog does not
hold is rejected with the others, counted apart: training could not use it (nothing to learn
the creator's features from); ingest the creators first, then their labels and outcomes. A file
beside the `world.json` of a synthetic world records that world's seed in the catalog, which
every model version trained on it carries in its lineage.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from pydantic import BaseModel

from creatormatch.core import Home, InvalidInput
from creatormatch.features import CampaignOutcome, FraudLabel, Rejection, read_records
from creatormatch.store import Catalog

UNKNOWN = "creator_id: not in the catalog (ingest the creator first)"
T = TypeVar("T", CampaignOutcome, FraudLabel)


@dataclass
class SideTableReport(Generic[T]):
    read: int = 0  # rows in the file, good or bad
    records: list[T] = field(default_factory=list)  # stored
    rejections: list[Rejection] = field(default_factory=list)

    def summary(self) -> str:
        """e.g. "6 read, 3 stored, 3 rejected (2 not in the catalog, 1 invalid)"."""
        line = f"{self.read} read, {len(self.records)} stored, {len(self.rejections)} rejected"
        if not self.rejections:
            return line
        why = Counter(
            "not in the catalog" if r.problems == (UNKNOWN,) else "invalid" for r in self.rejections
        )
        return line + " (" + ", ".join(f"{n} {reason}" for reason, n in why.items()) + ")"


def _header(path: Path) -> list[str] | None:
    """The column names of a CSV or Parquet file; None for JSONL (no header)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as handle:
            return next(csv.reader(handle), [])
    if suffix in (".parquet", ".pq"):
        import pyarrow.parquet as pq

        return list(pq.read_schema(path).names)
    return None


def check_header(path: Path, model: type[BaseModel]) -> None:
    """InvalidInput, once, when the header of `path` lacks a required column of `model` or
    names one it does not have."""
    columns = _header(path) if path.is_file() else None
    if columns is None:
        return
    fields = model.model_fields
    required = [name for name, f in fields.items() if f.is_required()]
    optional = [name for name, f in fields.items() if not f.is_required()]
    missing = [name for name in required if name not in columns]
    unknown = [name for name in columns if name not in fields]
    if missing or unknown:
        raise InvalidInput(
            f"{path.name}: expected the columns {', '.join(required)} "
            f"(optional: {', '.join(optional)}); its header has {', '.join(columns) or 'nothing'}"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; unknown {', '.join(unknown)}" if unknown else "")
        )


def world_seed(path: Path) -> int | None:
    """The seed of the synthetic world whose folder holds `path`, if it is one."""
    summary = path.parent / "world.json"
    try:
        return int(json.loads(summary.read_text())["params"]["seed"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _ingest(
    home: Home, path: Path, model: type[T], store: Callable[[Catalog, list[T]], None]
) -> SideTableReport[T]:
    check_header(path, model)
    batch = read_records(path, model)
    report = SideTableReport[T](read=batch.read)
    unknown = []
    with closing(Catalog(home.ensure().catalog)) as catalog:
        known = set(catalog.creator_ids())
        for record, line in zip(batch.records, batch.lines, strict=True):
            if record.creator_id in known:
                report.records.append(record)
            else:
                unknown.append(Rejection(line, record.creator_id, (UNKNOWN,)))
        store(catalog, report.records)
        if (seed := world_seed(path)) is not None:
            catalog.record_world_seed(seed)
    report.rejections = sorted(batch.rejections + unknown, key=lambda r: r.line)
    return report


def ingest_outcomes(home: Home, path: Path) -> SideTableReport[CampaignOutcome]:
    """Store the campaign outcomes of known creators for the next training."""
    return _ingest(home, path, CampaignOutcome, lambda c, rows: c.upsert_outcomes(rows))


def ingest_labels(home: Home, path: Path) -> SideTableReport[FraudLabel]:
    """Store the fraud labels of known creators for the next training."""
    return _ingest(home, path, FraudLabel, lambda c, rows: c.upsert_labels(rows))
