"""Batch scoring of files: fraud scores of creator records, fake-account scores of accounts.

`score_file` streams the input in chunks (matching/chunked_files.py), scores each chunk with the
home's published models by the same rules as the API (`FraudModel.reports` with the account
model's audience quality; `score_accounts`), and appends it to the output, in input order. With
a Dask client the chunks are scored on its workers and written here by this one writer
(matching/distributed.py). A row that cannot be scored (an invalid record, an invalid value) is
kept with its `error`, and the others are scored.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa

from creatormatch.core import Home, NotReady, load_published
from creatormatch.features import (
    ACCOUNT_FIELDS,
    CreatorRecord,
    Rejection,
    parse_json_line,
    parse_record,
)
from creatormatch.matching.chunked_files import (
    ChunkWriter,
    Column,
    Format,
    file_format,
    input_file,
    render,
    row_chunks,
    text_chunks,
)
from creatormatch.matching.sources import Source
from creatormatch.models import AccountModel, BatchFraudScorer, FraudModel, score_accounts
from creatormatch.store import QUALITY_COLUMNS, quality_frame

if TYPE_CHECKING:
    from distributed import Client

Kind = Literal["fraud", "accounts"]
CHUNKS: dict[Kind, int] = {"fraud": 5_000, "accounts": 100_000}  # rows per chunk
FRAUD_COLUMNS: dict[str, Column] = {
    "line": "int",
    "creator_id": "string",
    "probability": "float",
    "band": "string",
    "reasons": "strings",
    "error": "string",
}
ACCOUNT_COLUMNS: dict[str, Column] = {
    "line": "int",
    "username": "string",
    "probability": "float",
    "band": "string",
    "fields_used": "strings",
    "error": "string",
}
COLUMNS: dict[Kind, dict[str, Column]] = {"fraud": FRAUD_COLUMNS, "accounts": ACCOUNT_COLUMNS}


class ChunkScorer(Protocol):
    def __call__(self, chunk: Any) -> pd.DataFrame: ...


@dataclass(frozen=True)
class FraudFileScorer:
    """Scores a chunk of (line, raw record) pairs, a raw record being a parsed object or the text
    of its JSONL line: validated, then `BatchFraudScorer`."""

    fraud: BatchFraudScorer
    account: AccountModel | None

    def __call__(self, chunk: list[tuple[int, Any]]) -> pd.DataFrame:
        records: list[CreatorRecord] = []
        lines, rejected = [], []
        for line, raw in chunk:
            raw = parse_json_line(line, raw) if isinstance(raw, str) else raw
            parsed = raw if isinstance(raw, Rejection) else parse_record(raw, line, CreatorRecord)
            if isinstance(parsed, Rejection):
                rejected.append(parsed)
            else:
                records.append(parsed)
                lines.append(line)
        scored = self._scored(records).assign(line=lines) if records else None
        errors = pd.DataFrame(
            {
                "line": [r.line for r in rejected],
                "creator_id": [r.creator_id for r in rejected],
                "probability": np.nan,
                "band": None,
                "reasons": [[] for _ in rejected],
                "error": ["; ".join(r.problems) for r in rejected],
            }
        )
        parts = [part for part in (scored, errors) if part is not None and len(part)]
        if not parts:
            return errors
        return pd.concat(parts, ignore_index=True).sort_values("line", ignore_index=True)

    def _scored(self, records: list[CreatorRecord]) -> pd.DataFrame:
        quality = None
        if self.account is not None:
            quality = quality_frame(records, self.account).reindex(columns=list(QUALITY_COLUMNS))
        scores = self.fraud.score(records, quality=quality)
        return pd.DataFrame(
            {
                "creator_id": scores.creator_id,
                "probability": scores.probability,
                "band": scores.band,
                "reasons": [[reason.text for reason in why] for why in scores.reasons],
                "error": None,
            }
        )


def row_fields(frame: pd.DataFrame, ok: npt.NDArray[np.bool_]) -> list[list[str]]:
    """The canonical fields each row gave the model (`features.fields_used` of that row alone):
    those with a value that is not blank; none for a row that was not scored (`ok` False).
    Rows with the same fields share one list."""
    present = [name for name in ACCOUNT_FIELDS if name in frame.columns]
    pattern = np.zeros(len(frame), dtype=np.int64)  # bit j: the row gives present[j]
    for bit, name in enumerate(present):
        cells = frame[name]
        given = cells.notna()
        if not (isinstance(cells.dtype, np.dtype) and cells.dtype.kind in "biuf"):
            given &= cells.astype("string").str.strip() != ""  # text: a blank cell is missing
        pattern |= given.to_numpy(dtype=bool).astype(np.int64) << bit
    pattern = np.where(ok, pattern, 0)
    patterns, inverse = np.unique(pattern, return_inverse=True)
    names = [[n for bit, n in enumerate(present) if p >> bit & 1] for p in patterns.tolist()]
    return [names[k] for k in inverse.tolist()]


@dataclass(frozen=True)
class AccountFileScorer:
    """Scores a chunk (line of its first row, its accounts) with `score_accounts`."""

    model: AccountModel

    def __call__(self, chunk: tuple[int, pa.Table | pd.DataFrame]) -> pd.DataFrame:
        first, rows = chunk
        frame = rows.to_pandas() if isinstance(rows, pa.Table) else rows
        scored = score_accounts(frame, self.model).frame
        ok = scored["error"].isna().to_numpy()
        usernames = frame["username"] if "username" in frame.columns else None
        return pd.DataFrame(
            {
                "line": np.arange(first, first + len(frame)),
                "username": None if usernames is None else usernames.to_numpy(dtype=object),
                "probability": scored["fake_probability"].to_numpy(),
                "band": scored["risk_band"].to_numpy(dtype=object),
                "fields_used": row_fields(frame, ok),
                "error": scored["error"].to_numpy(dtype=object),
            }
        )


def load_scorer(kind: Kind, home: Home) -> ChunkScorer:
    """The home's published models behind a chunk scorer; NotReady naming the command to run."""
    account, _ = load_published(AccountModel.load, home.model_dir("account"))
    if kind == "accounts":
        if account is None:
            raise NotReady("no account model in the home: run `creatormatch accounts train` first")
        return AccountFileScorer(account)
    fraud, _ = load_published(FraudModel.load, home.model_dir("fraud"))
    if fraud is None:
        raise NotReady("no fraud model in the home: run `creatormatch train` first")
    return FraudFileScorer(BatchFraudScorer(fraud), account)


def input_chunks(kind: Kind, source: Source, size: int) -> Iterator[Any]:
    """What a chunk scorer of `kind` takes; JSONL records stay text until they are scored."""
    return row_chunks(source, size, parse=False) if kind == "fraud" else text_chunks(source, size)


@dataclass
class ScoreSummary:
    rows: int = 0
    errors: int = 0
    bands: Counter[str] = field(default_factory=Counter)
    fields_used: set[str] = field(default_factory=set)
    seconds: float = 0.0

    def add(self, scored: pd.DataFrame) -> None:
        self.rows += len(scored)
        self.errors += int(scored["error"].notna().sum())
        self.bands.update(scored["band"].dropna())
        if "fields_used" in scored.columns:
            self.fields_used.update(name for names in scored["fields_used"] for name in names)

    def merge(self, other: ScoreSummary) -> None:
        self.rows += other.rows
        self.errors += other.errors
        self.bands.update(other.bands)
        self.fields_used |= other.fields_used

    def line(self, kind: Kind) -> str:
        bands = ", ".join(f"{n:,} {band}" for band, n in sorted(self.bands.items()))
        rate = self.rows / self.seconds if self.seconds else 0.0
        used = [name for name in ACCOUNT_FIELDS if name in self.fields_used]
        fields = f"; fields used: {', '.join(used) or 'none'}" if kind == "accounts" else ""
        return (
            f"{self.rows:,} rows in {self.seconds:.1f} s ({rate:,.0f}/s): {bands or 'none'}; "
            f"{self.errors:,} with an error{fields}"
        )


def score_file(
    kind: Kind,
    home: Home,
    source: Source,
    target: Path,
    *,
    chunk: int | None = None,
    client: Client | None = None,
) -> ScoreSummary:
    """Score every row of `source` into `target`, a chunk at a time; with `client` on its
    workers (each loads the models once, and reads its own chunks where it can), written here
    in input order."""
    input_file(source)
    fmt = file_format(target, flag="--output")
    start, size = time.perf_counter(), chunk or CHUNKS[kind]
    summary = ScoreSummary()
    with ChunkWriter(target, COLUMNS[kind]) as writer:
        results: Iterator[tuple[bytes | pa.Table | Path, ScoreSummary]]
        if client is None:
            scorer = load_scorer(kind, home)
            chunks = input_chunks(kind, source, size)
            results = (rendered(scorer(c), kind, fmt) for c in chunks)
        else:
            from creatormatch.matching.distributed import scored_on_cluster

            results = scored_on_cluster(client, kind, home, source, size, writer)
        for output, part in results:
            writer.append(output)
            summary.merge(part)
    summary.seconds = time.perf_counter() - start
    return summary


Rendered = tuple[bytes | pa.Table, ScoreSummary]


def rendered(scored: pd.DataFrame, kind: Kind, fmt: Format) -> Rendered:
    """A scored chunk as the output file holds it, and its counts: what a worker sends back."""
    part = ScoreSummary()
    part.add(scored)
    return render(scored, fmt, COLUMNS[kind]), part
