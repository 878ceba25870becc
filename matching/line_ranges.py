"""A local CSV or JSONL file cut into byte ranges of whole rows, each read where it is scored.

With the driver reading a file and sending its chunks, the driver's share capped what a second
worker gave (docs/decisions/0029: reading 45 % of its time, sending 20 %). A worker that sees the
file reads its own range instead; the driver only finds where the ranges start, by scanning for
newlines with numpy (memory bound, ~0.1 s for 100 MB).

A range starts at a line the streaming readers (`chunked_files.text_chunks`,
`features.jsonl_lines`) would start a row at, and its first row carries the line number they
would give it. Where that cannot be known from newlines alone, `line_ranges` returns None and the
caller reads the file itself:
- CSV: a blank line (pyarrow skips it, so rows and lines part), or a newline inside quotes (a
  quoted value spanning lines; the quotes before it are odd in number);
- JSONL: a carriage return that does not end a line (Python's universal newlines break there).
"""

from __future__ import annotations

import csv
import mmap
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from creatormatch.features import numbered_lines

BLOCK = 8 << 20  # bytes scanned at a time: the scan's arrays stay a few times this
NEWLINE, RETURN, QUOTE = 10, 13, 34


@dataclass(frozen=True)
class LineRange:
    """Bytes [start, end) of `path`: whole rows, the first of them on line `first_line`."""

    path: str
    kind: Literal["csv", "jsonl"]
    start: int
    end: int
    first_line: int
    header_end: int  # a CSV's header is bytes [0, header_end); 0 for JSONL


def line_ranges(path: Path, kind: Literal["csv", "jsonl"], rows: int) -> list[LineRange] | None:
    """`path` as ranges of `rows` rows (JSONL: lines, blank ones included) in file order, or
    None when newlines alone cannot say where its rows start (see the module's doc)."""
    size = path.stat().st_size
    if size == 0:  # an empty CSV has no header: its reader's error is the one to give
        return [] if kind == "jsonl" else None
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        ends = _line_ends(data, kind)
    if ends is None:
        return None
    header_end = int(ends[0]) + 1 if kind == "csv" else 0
    # A row starts after each newline; a JSONL file's first line at 0, a CSV's after its header.
    starts = ends + 1 if kind == "csv" else np.concatenate(([0], ends + 1))
    cuts = [*starts[starts < size][::rows].tolist(), size]
    first = 1 if kind == "jsonl" else 2  # a CSV's header is line 1
    return [
        LineRange(str(path), kind, start, end, first + k * rows, header_end)
        for k, (start, end) in enumerate(pairwise(cuts))
    ]


def _line_ends(data: mmap.mmap, kind: Literal["csv", "jsonl"]) -> npt.NDArray[np.int64] | None:
    """Offsets of every newline in `data`, or None when a newline may not end a row."""
    quoted = kind == "csv" and data.find(b'"') != -1
    found: list[npt.NDArray[np.int64]] = []
    parity, previous = np.uint8(0), -2  # quotes so far (mod 2); the last newline seen
    for offset in range(0, len(data), BLOCK):
        block = np.frombuffer(data, np.uint8, count=min(BLOCK, len(data) - offset), offset=offset)
        ends = np.flatnonzero(block == NEWLINE)
        if kind == "jsonl" and _lone_return(block, data, offset):
            return None
        if quoted:
            # uint8 wraps at 256, an even number: the running count's parity survives
            counts = np.cumsum(block == QUOTE, dtype=np.uint8) + parity
            if (counts[ends] & 1).any():
                return None
            parity = counts[-1] & 1
        ends = ends + offset
        if kind == "csv" and _blank_line(ends, previous, data):
            return None
        if len(ends):
            previous = int(ends[-1])
        found.append(ends)
    every = np.concatenate(found) if found else np.empty(0, np.int64)
    if kind == "csv" and (not len(every) or not data[: every[0]].strip()):
        return None  # no header line, or a blank one
    return every


def _lone_return(block: npt.NDArray[np.uint8], data: mmap.mmap, offset: int) -> bool:
    """Whether a carriage return in `block` (at `offset` of `data`) is not followed by "\n"."""
    after = np.flatnonzero(block == RETURN) + 1
    inside = after[after < len(block)]
    if (block[inside] != NEWLINE).any():
        return True
    edge = offset + len(block)  # a return that ends the block: its next byte is the next block's
    return len(inside) < len(after) and (edge >= len(data) or data[edge] != NEWLINE)


def _blank_line(ends: npt.NDArray[np.int64], previous: int, data: mmap.mmap) -> bool:
    """Whether a newline in `ends` (or after `previous`) closes an empty line ("\\n" or
    "\\r\\n" alone): pyarrow skips those, so its rows and the file's lines part."""
    starts = np.concatenate(([previous + 1], ends[:-1] + 1)) if len(ends) else ends
    width = ends - starts
    crlf = [s for s in starts[width == 1].tolist() if data[s] == RETURN]
    return bool((width == 0).any() or crlf)


def range_bytes(part: LineRange) -> bytes:
    with open(part.path, "rb") as handle:
        handle.seek(part.start)
        return handle.read(part.end - part.start)


def csv_range(part: LineRange) -> pa.Table:
    """The rows of a CSV range with every cell as text, as `chunked_files.text_chunks` reads
    them (the header read from the file's first line)."""
    import io

    import pyarrow.csv as pcsv

    with open(part.path, "rb") as handle:
        header = handle.read(part.header_end)
    names = next(csv.reader([header.decode("utf-8")]), [])
    convert = pcsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()))
    return pcsv.read_csv(io.BytesIO(header + range_bytes(part)), convert_options=convert)


def range_chunk(part: LineRange) -> tuple[int, pa.Table] | list[tuple[int, str]]:
    """The range as a chunk scorer takes it: (first line, table) of a CSV of accounts, the
    (line, text) pairs of a JSONL of records (`matching.batch.input_chunks`)."""
    return (part.first_line, csv_range(part)) if part.kind == "csv" else jsonl_range(part)


def jsonl_range(part: LineRange) -> list[tuple[int, str]]:
    """(line, text) of the range's lines that are not blank, as `features.jsonl_lines` gives."""
    return list(numbered_lines(_text_lines(range_bytes(part)), part.first_line))


def _text_lines(raw: bytes) -> Iterator[str]:
    import io

    return iter(io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
