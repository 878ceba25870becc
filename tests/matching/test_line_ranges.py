"""Byte ranges of whole rows give the rows and line numbers the streaming readers give, or are
refused where newlines alone cannot say where rows start."""

from __future__ import annotations

from pathlib import Path

import pytest

from creatormatch.features import jsonl_lines
from creatormatch.matching import chunked_files
from creatormatch.matching import line_ranges as ranges

line_ranges, range_chunk, text_chunks = (
    ranges.line_ranges,
    ranges.range_chunk,
    chunked_files.text_chunks,
)


def _csv_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line, row) as `text_chunks` reads the whole file."""
    return [
        (first + k, row)
        for first, table in text_chunks(path, 1_000)
        for k, row in enumerate(table.to_pylist())
    ]


def _ranged(path: Path, kind: str, rows: int) -> list[tuple[int, object]]:
    parts = line_ranges(path, kind, rows)  # type: ignore[arg-type]
    assert parts is not None
    found: list[tuple[int, object]] = []
    for part in parts:
        chunk = range_chunk(part)
        if isinstance(chunk, tuple):
            first, table = chunk
            found += [(first + k, row) for k, row in enumerate(table.to_pylist())]
        else:
            found += chunk
    return found


@pytest.mark.parametrize(
    "text",
    [
        b"username,bio\nann,runs\nbob,cooks\ncy,paints\ndee,sings\neve,codes",  # no last newline
        b"username,bio\r\nann,runs\r\nbob,cooks\r\ncy,paints\r\n",
        b'username,bio\nann,"runs, cooks"\nbob,"says ""hi"""\ncy,x\n',  # quotes on one line
    ],
)
@pytest.mark.parametrize("rows", [1, 2, 3, 10])
def test_csv_ranges_give_the_rows_and_lines_of_the_whole_file(
    tmp_path: Path, text: bytes, rows: int
) -> None:
    path = tmp_path / "accounts.csv"
    path.write_bytes(text)
    parts = line_ranges(path, "csv", rows)
    assert parts is not None and parts[0].first_line == 2
    assert all(len(range_chunk(p)[1]) <= rows for p in parts)  # type: ignore[arg-type]
    assert _ranged(path, "csv", rows) == _csv_rows(path)


@pytest.mark.parametrize(
    "text",
    [
        b"username,bio\nann,runs\n\nbob,cooks\n",  # pyarrow skips the blank line
        b"username,bio\r\nann,runs\r\n\r\nbob,cooks\r\n",
        b'username,bio\nann,"runs\nand cooks"\nbob,x\n',  # a value over two lines
        b"\nusername,bio\nann,runs\n",  # a blank header line
        b"username,bio",  # a header only, with no newline
        b"",
    ],
)
def test_csv_ranges_are_refused_where_rows_and_lines_part(tmp_path: Path, text: bytes) -> None:
    path = tmp_path / "accounts.csv"
    path.write_bytes(text)
    assert line_ranges(path, "csv", 2) is None


def test_a_quote_count_carried_across_scan_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ranges, "BLOCK", 8)  # blocks end inside quoted values and rows
    whole = b'username,bio\nann,"a, b"\nbob,"c\nd"\n'
    quoted_newline, fine = tmp_path / "a.csv", tmp_path / "b.csv"
    quoted_newline.write_bytes(whole)
    fine.write_bytes(whole.replace(b'c\nd"', b'c d"'))
    assert line_ranges(quoted_newline, "csv", 1) is None
    assert _ranged(fine, "csv", 1) == _csv_rows(fine)


@pytest.mark.parametrize("rows", [1, 2, 4])
def test_jsonl_ranges_number_lines_as_the_reader_does(tmp_path: Path, rows: int) -> None:
    path = tmp_path / "creators.jsonl"
    path.write_bytes(b'{"a": 1}\n\n{"a": 2}\r\n   \n{"a": "\xc3\xa9"}\n{"a": 4}')
    assert _ranged(path, "jsonl", rows) == list(jsonl_lines(path))
    assert [line for line, _ in _ranged(path, "jsonl", rows)] == [1, 3, 5, 6]


def test_a_jsonl_return_that_ends_no_line_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "creators.jsonl"
    path.write_bytes(b'{"a": 1}\r{"a": 2}\n')  # Python's universal newlines break at "\r"
    assert line_ranges(path, "jsonl", 1) is None
    monkeypatch.setattr(ranges, "BLOCK", 9)  # "\r\n" split between two blocks is a newline
    path.write_bytes(b'{"a": 1}\r\n{"a": 2}\n')
    assert _ranged(path, "jsonl", 1) == list(jsonl_lines(path))


def test_an_empty_jsonl_has_no_ranges_and_an_empty_csv_is_left_to_its_reader(
    tmp_path: Path,
) -> None:
    (tmp_path / "creators.jsonl").write_bytes(b"")
    (tmp_path / "accounts.csv").write_bytes(b"")
    assert line_ranges(tmp_path / "creators.jsonl", "jsonl", 5) == []
    assert line_ranges(tmp_path / "accounts.csv", "csv", 5) is None


@pytest.mark.parametrize("rows", [2, 3])
@pytest.mark.parametrize("block", [5, 7, 64])
def test_range_starts_counted_across_scan_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: int, block: int
) -> None:
    # only every `rows`-th row start is kept: the newline count must carry over block ends
    monkeypatch.setattr(ranges, "BLOCK", block)
    accounts, creators = tmp_path / "accounts.csv", tmp_path / "creators.jsonl"
    accounts.write_bytes(b"username,bio\n" + b"".join(b"u%d,bio %d\n" % (i, i) for i in range(11)))
    creators.write_bytes(b"".join(b'{"a": %d}\n' % i for i in range(11)))
    assert _ranged(accounts, "csv", rows) == _csv_rows(accounts)
    assert _ranged(creators, "jsonl", rows) == list(jsonl_lines(creators))
    starts = [p.start for p in line_ranges(accounts, "csv", rows) or []]
    assert len(starts) == -(-11 // rows) and starts[0] == len(b"username,bio\n")
