"""Files read and written a chunk at a time: batch scoring holds one chunk, whatever the file size.

Formats go by extension: .jsonl (.ndjson, .json: one object a line), .csv, .parquet (.pq). The
output is written to a temporary file beside the target and replaces it only once complete, so
a run that is killed leaves the old file (or none), never half of one. In CSV, list columns
(reasons, fields used) are JSON arrays: a reason may contain commas.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterator, Mapping
from itertools import islice
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal, Self

import pandas as pd
import pyarrow as pa

from creatormatch.core import InvalidInput
from creatormatch.features import iter_rows, jsonl_lines

Format = Literal["jsonl", "csv", "parquet"]
Column = Literal["string", "float", "int", "strings"]  # "strings": a list of strings
FORMATS: dict[str, Format] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
ARROW: dict[Column, pa.DataType] = {
    "string": pa.string(),
    "float": pa.float64(),
    "int": pa.int64(),
    "strings": pa.list_(pa.string()),
}


def file_format(path: Path, *, flag: str) -> Format:
    """The format of `path` by its extension; InvalidInput naming `flag` otherwise."""
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        raise InvalidInput(f"{flag}: expected a .jsonl, .csv or .parquet file, got {path.name}")
    return found


def input_file(path: Path) -> Format:
    """The format of the input `path`; InvalidInput naming --input when it is not a file."""
    kind = file_format(path, flag="--input")
    if not path.is_file():
        raise InvalidInput(f"--input: no such file: {path}")
    return kind


def row_chunks(path: Path, size: int, *, parse: bool = True) -> Iterator[list[tuple[int, Any]]]:
    """(line, raw object) pairs of `path` in lists of `size`; a line that is not JSON comes as a
    `Rejection` (features.reading.iter_rows). Without `parse`, JSONL lines come as their text
    (`parse_json_line` reads them where they are scored)."""
    unparsed = not parse and input_file(path) == "jsonl"
    rows: Iterator[tuple[int, Any]] = jsonl_lines(path) if unparsed else iter_rows(path)
    while chunk := list(islice(rows, size)):
        yield chunk


def _csv_tables(path: Path, size: int) -> Iterator[pa.Table]:
    """The CSV at `path` as tables of at least `size` rows (the last may be shorter), every cell
    as text: a blank cell is "", as `pd.read_csv(dtype=str, keep_default_na=False)` reads it."""
    import pyarrow.csv as pcsv

    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle), [])
    convert = pcsv.ConvertOptions(column_types=dict.fromkeys(header, pa.string()))
    batches: list[pa.RecordBatch] = []
    for batch in pcsv.open_csv(path, convert_options=convert):
        batches.append(batch)
        if sum(b.num_rows for b in batches) >= size:
            yield pa.Table.from_batches(batches)
            batches = []
    if batches:
        yield pa.Table.from_batches(batches)


def text_chunks(path: Path, size: int) -> Iterator[tuple[int, pa.Table | pd.DataFrame]]:
    """(line of the first row, rows) of a flat table in chunks of about `size` rows: Arrow
    tables for CSV (every cell text) and Parquet (typed), a frame for JSONL (typed).

    A JSONL line that is not an object is refused whole (InvalidInput with its line): a flat
    table has no partial rows to keep.
    """
    kind = input_file(path)
    if kind != "jsonl":
        import pyarrow.parquet as pq

        tables: Iterator[pa.Table]
        if kind == "csv":
            tables, line = _csv_tables(path, size), 2  # the header is line 1
        else:
            batches = pq.ParquetFile(path).iter_batches(batch_size=size)
            tables, line = (pa.Table.from_batches([b]) for b in batches), 1
        for table in tables:
            yield line, table
            line += table.num_rows
        return
    for chunk in row_chunks(path, size):
        bad = next(((n, raw) for n, raw in chunk if not isinstance(raw, dict)), None)
        if bad is not None:
            raise InvalidInput(f"--input line {bad[0]}: expected a JSON object per line")
        yield chunk[0][0], pd.DataFrame([raw for _, raw in chunk])


def _json_texts(lists: pd.Series) -> list[str]:
    """Each list as a JSON array; rows that share one list object share its text."""
    texts: dict[int, str] = {}
    return [texts.get(id(x)) or texts.setdefault(id(x), json.dumps(x)) for x in lists]


def _csv_text(table: pa.Table) -> str:
    """The rows of `table` as CSV, no header (pyarrow writes ~5x faster than pandas)."""
    import pyarrow.csv as pcsv

    sink = pa.BufferOutputStream()
    pcsv.write_csv(table, sink, pcsv.WriteOptions(include_header=False))
    return sink.getvalue().to_pybytes().decode("utf-8")


class ChunkWriter:
    """Append frames with the columns of `schema` to `path`, published on a clean exit."""

    def __init__(self, path: Path, schema: Mapping[str, Column]) -> None:
        self.path = path
        self.kind = file_format(path, flag="--output")
        self.schema = dict(schema)
        self.rows = 0
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        self._tmp = Path(tmp)
        self._text: IO[str] | None = None
        self._parquet: Any = None

    def __enter__(self) -> Self:
        if self.kind == "parquet":
            import pyarrow.parquet as pq

            arrow = pa.schema([(name, ARROW[kind]) for name, kind in self.schema.items()])
            self._parquet = pq.ParquetWriter(self._tmp, arrow)
        else:
            self._text = self._tmp.open("w", encoding="utf-8", newline="")
            if self.kind == "csv":  # the header, even for a file with no rows
                pd.DataFrame(columns=list(self.schema)).to_csv(self._text, index=False)
        return self

    def write(self, frame: pd.DataFrame) -> None:
        """Append `frame` (the schema's columns, in any order; others are left out)."""
        if frame.empty:
            return
        frame = frame.loc[:, list(self.schema)]
        if self._parquet is not None:
            table = pa.Table.from_pandas(frame, schema=self._parquet.schema, preserve_index=False)
            self._parquet.write_table(table)
        elif self._text is not None and self.kind == "csv":
            lists = [name for name, kind in self.schema.items() if kind == "strings"]
            text = frame.assign(**{c: _json_texts(frame[c]) for c in lists})
            schema = pa.schema([(c, pa.string() if c in lists else ARROW[k])
                                for c, k in self.schema.items()])  # fmt: skip
            table = pa.Table.from_pandas(text, schema=schema, preserve_index=False)
            self._text.write(_csv_text(table))
        elif self._text is not None:
            frame.to_json(
                self._text, orient="records", lines=True, double_precision=15, force_ascii=False
            )
        self.rows += len(frame)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._parquet is not None:
            self._parquet.close()
        if self._text is not None:
            self._text.flush()
            os.fsync(self._text.fileno())
            self._text.close()
        if kind is None:
            os.replace(self._tmp, self.path)
        else:
            self._tmp.unlink(missing_ok=True)
