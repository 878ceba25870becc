"""Files read and written a chunk at a time: batch scoring holds one chunk, whatever the file size.

Formats go by extension: .jsonl (.ndjson, .json: one object a line), .csv, .parquet (.pq). The
input may be a URL of any fsspec file system (`matching/sources.py`). The output is written to a
temporary file beside the target and replaces it only once complete, so a run that is killed
leaves the old file (or none), never half of one. Workers that see the target's folder write
their chunks as part files in a folder beside it (`ChunkWriter.parts`), appended here in order.
In CSV, list columns (reasons, fields used) are JSON arrays: a reason may contain commas.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
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
from creatormatch.matching.sources import Source, is_input, local_file

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
PART_BLOCK = 4 << 20  # bytes copied at a time from a part file
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


def input_file(source: Source) -> Format:
    """The format of the input `source`; InvalidInput naming --input when it is not a file."""
    kind = file_format(Path(source), flag="--input")  # a URL's name and suffix survive Path
    if not is_input(source, flag="--input"):
        raise InvalidInput(f"--input: no such file: {source}")
    return kind


def row_chunks(source: Source, size: int, *, parse: bool = True) -> Iterator[list[tuple[int, Any]]]:
    """(line, raw object) pairs of `source` in lists of `size`; a line that is not JSON comes as
    a `Rejection` (features.reading.iter_rows). Without `parse`, JSONL lines come as their text
    (`parse_json_line` reads them where they are scored)."""
    with local_file(source, flag="--input") as path:
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


def text_chunks(source: Source, size: int) -> Iterator[tuple[int, pa.Table | pd.DataFrame]]:
    """(line of the first row, rows) of a flat table in chunks of about `size` rows: Arrow
    tables for CSV (every cell text) and Parquet (typed), a frame for JSONL (typed).

    A JSONL line that is not an object is refused whole (InvalidInput with its line): a flat
    table has no partial rows to keep.
    """
    kind = input_file(source)
    if kind == "jsonl":
        yield from _object_frames(source, size)
        return
    import pyarrow.parquet as pq

    with local_file(source, flag="--input") as path:
        tables: Iterator[pa.Table]
        if kind == "csv":
            tables, line = _csv_tables(path, size), 2  # the header is line 1
        else:
            batches = pq.ParquetFile(path).iter_batches(batch_size=size)
            tables, line = (pa.Table.from_batches([b]) for b in batches), 1
        for table in tables:
            yield line, table
            line += table.num_rows


def _object_frames(source: Source, size: int) -> Iterator[tuple[int, pd.DataFrame]]:
    for chunk in row_chunks(source, size):
        bad = next(((n, raw) for n, raw in chunk if not isinstance(raw, dict)), None)
        if bad is not None:
            raise InvalidInput(f"--input line {bad[0]}: expected a JSON object per line")
        yield chunk[0][0], pd.DataFrame([raw for _, raw in chunk])


def _json_texts(lists: pd.Series) -> list[str]:
    """Each list as a JSON array; rows that share one list object share its text."""
    texts: dict[int, str] = {}
    return [texts.get(id(x)) or texts.setdefault(id(x), json.dumps(x)) for x in lists]


def _csv_bytes(table: pa.Table) -> bytes:
    """The rows of `table` as CSV, no header (pyarrow writes ~5x faster than pandas)."""
    import pyarrow.csv as pcsv

    sink = pa.BufferOutputStream()
    pcsv.write_csv(table, sink, pcsv.WriteOptions(include_header=False))
    return bytes(sink.getvalue().to_pybytes())


def arrow_schema(schema: Mapping[str, Column]) -> pa.Schema:
    return pa.schema([(name, ARROW[kind]) for name, kind in schema.items()])


def render(frame: pd.DataFrame, kind: Format, schema: Mapping[str, Column]) -> bytes | pa.Table:
    """`frame`'s rows as the output file holds them: JSONL or CSV bytes, or an Arrow table for
    Parquet. Pure, so a worker can render its chunk and the one writer only appends it."""
    frame = frame.loc[:, list(schema)]
    if kind == "parquet":
        return pa.Table.from_pandas(frame, schema=arrow_schema(schema), preserve_index=False)
    if kind == "csv":
        lists = [name for name, column in schema.items() if column == "strings"]
        cells = frame.assign(**{c: _json_texts(frame[c]) for c in lists})
        as_text: dict[str, Column] = {c: "string" if c in lists else k for c, k in schema.items()}
        table = pa.Table.from_pandas(cells, schema=arrow_schema(as_text), preserve_index=False)
        return _csv_bytes(table)
    if frame.empty:
        return b""
    lines = frame.to_json(orient="records", lines=True, double_precision=15, force_ascii=False)
    return str(lines).encode("utf-8")


def write_part(rendered: bytes | pa.Table, path: Path) -> None:
    """A rendered chunk as a part file: written aside and renamed, so a worker killed while
    writing leaves no part that looks whole."""
    aside = path.with_name(f".{path.name}.tmp")
    if isinstance(rendered, pa.Table):
        import pyarrow.parquet as pq

        pq.write_table(rendered, aside)
    else:
        aside.write_bytes(rendered)
    os.replace(aside, path)


class ChunkWriter:
    """Append rendered chunks (`render`, or `write_part` files) to `path`, published on a clean
    exit."""

    def __init__(self, path: Path, schema: Mapping[str, Column]) -> None:
        self.path = path
        self.kind = file_format(path, flag="--output")
        self.schema = dict(schema)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        os.close(fd)
        self._tmp = Path(tmp)
        self._bytes: IO[bytes] | None = None
        self._parquet: Any = None
        self._parts: Path | None = None

    def parts(self) -> Path:
        """A folder beside the output for part files, removed with the writer's temporary file."""
        if self._parts is None:
            self._parts = Path(tempfile.mkdtemp(dir=self.path.parent, prefix=f".{self.path.name}."))
        return self._parts

    def __enter__(self) -> Self:
        if self.kind == "parquet":
            import pyarrow.parquet as pq

            self._parquet = pq.ParquetWriter(self._tmp, arrow_schema(self.schema))
        else:
            self._bytes = self._tmp.open("wb")
            if self.kind == "csv":  # the header, even for a file with no rows
                self._bytes.write((",".join(self.schema) + "\n").encode("utf-8"))
        return self

    def write(self, frame: pd.DataFrame) -> None:
        """Append `frame` (the schema's columns, in any order; others are left out)."""
        self.append(render(frame, self.kind, self.schema))

    def append(self, rendered: bytes | pa.Table | Path) -> None:
        """Append a chunk `render` made for this file's format, or a part file of one (removed
        once appended)."""
        if isinstance(rendered, Path):
            self._append_part(rendered)
        elif self._parquet is not None and isinstance(rendered, pa.Table):
            if rendered.num_rows:
                self._parquet.write_table(rendered)
        elif self._bytes is not None and isinstance(rendered, bytes):
            self._bytes.write(rendered)
        else:
            raise TypeError(f"expected a chunk rendered for {self.kind}, got {type(rendered)}")

    def _append_part(self, part: Path) -> None:
        if self._bytes is not None:
            with part.open("rb") as source:
                shutil.copyfileobj(source, self._bytes, PART_BLOCK)
        else:
            import pyarrow.parquet as pq

            self.append(pq.read_table(part))
        part.unlink()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._parquet is not None:
            self._parquet.close()
        if self._bytes is not None:
            self._bytes.flush()
            os.fsync(self._bytes.fileno())
            self._bytes.close()
        if self._parts is not None:
            shutil.rmtree(self._parts, ignore_errors=True)
        if kind is None:
            os.replace(self._tmp, self.path)
        else:
            self._tmp.unlink(missing_ok=True)
