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
        found = _range_starts(data, kind, rows)
    if found is None:
        return None
    starts, header_end = found
    cuts = [*(s for s in starts if s < size), size]
    first = 1 if kind == "jsonl" else 2  # a CSV's header is line 1
    return [
        LineRange(str(path), kind, start, end, first + k * rows, header_end)
        for k, (start, end) in enumerate(pairwise(cuts))
    ]


def _range_starts(
    data: mmap.mmap, kind: Literal["csv", "jsonl"], rows: int
) -> tuple[list[int], int] | None:
    """Where every `rows`-th row of `data` starts, and where a CSV's header ends (0 for
    JSONL); None when a newline may not end a row. Only those offsets are kept, not every
    newline's, so a file of 100M rows needs no 800 MB of them."""
    quoted = kind == "csv" and data.find(b'"') != -1
    # A CSV's row j starts after newline j (newline 0 ends the header); a JSONL's line j after
    # newline j - 1, its line 0 at the start of the file.
    residue, starts = (0, []) if kind == "csv" else (rows - 1, [0])
    parity, seen, previous = np.uint8(0), 0, -1  # quotes (mod 2), newlines, the last one
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
        starts += (ends[(seen + np.arange(len(ends))) % rows == residue] + 1).tolist()
        seen, previous = seen + len(ends), int(ends[-1]) if len(ends) else previous
    if kind == "csv" and (not starts or not data[: starts[0] - 1].strip()):
        return None  # no header line, or a blank one
    return starts, starts[0] if kind == "csv" else 0


def _lone_return(block: npt.NDArray[np.uint8], data: mmap.mmap, offset: int) -> bool:
    """Whether a carriage return in `block` (at `offset` of `data`) is not followed by "\n"."""
    after = np.flatnonzero(block == RETURN) + 1
    inside = after[after < len(block)]
    if (block[inside] != NEWLINE).any():
        return True
    edge = offset + len(block)  # a return that ends the block: its next byte is the next block's
    return len(inside) < len(after) and (edge >= len(data) or data[edge] != NEWLINE)


def _blank_line(ends: npt.NDArray[np.intp], previous: int, data: mmap.mmap) -> bool:
    """Whether a newline in `ends` closes an empty line ("\\n" or "\\r\\n" alone), the first
    one's line starting after `previous` (-1: the file's start): pyarrow skips those, so its
    rows and the file's lines part."""
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
