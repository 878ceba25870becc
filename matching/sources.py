"""Input sources: a local path, or a URL that an fsspec file system reads (s3://, gs://, memory://).

A plain path stays a plain path, and so does a `file://` URL once parsed. Any other URL is copied
to a temporary local file while it is read (`local_file`): every reader of records takes a path,
and one streamed copy costs less than a second set of readers (docs/decisions/0024). A protocol
fsspec does not know, or one whose package is not installed (s3:// needs s3fs, gs:// gcsfs), is
refused with InvalidInput naming the flag, the URL and the package.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from creatormatch.core import InvalidInput

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem

Source = Path | str  # a local path, or a URL with its protocol ("s3://bucket/creators.jsonl")
COPY_BLOCK = 8 << 20  # bytes copied at a time from a remote file


def input_source(value: str | Path, *, flag: str) -> Source:
    """`value` as a Path when it names a local file (a `file://` URL included), else the URL,
    its protocol checked."""
    if isinstance(value, Path) or "://" not in value:
        return Path(value)
    from fsspec.implementations.local import LocalFileSystem

    fs, path = _file_system(value, flag=flag)
    return Path(path) if isinstance(fs, LocalFileSystem) else value


def source_name(source: Source) -> str:
    """What names `source` wherever it is read from: the absolute path, or the URL."""
    return str(source.resolve()) if isinstance(source, Path) else source


def is_input(source: Source, *, flag: str) -> bool:
    if isinstance(source, Path):
        return source.is_file()
    fs, path = _file_system(source, flag=flag)
    return bool(fs.isfile(path))


@contextmanager
def local_file(source: Source, *, flag: str) -> Iterator[Path]:
    """`source` as a local file while the block runs: a path as itself, a URL copied to a
    temporary file of the same name, removed afterwards."""
    if isinstance(source, Path):
        yield source
        return
    fs, path = _file_system(source, flag=flag)
    if not fs.isfile(path):
        raise InvalidInput(f"{flag}: no such file: {source}")
    with tempfile.TemporaryDirectory(prefix="creatormatch-input-") as folder:
        local = Path(folder) / PurePosixPath(path).name
        with fs.open(path, "rb") as remote, local.open("wb") as copy:
            shutil.copyfileobj(remote, copy, COPY_BLOCK)
        yield local


def _file_system(url: str, *, flag: str) -> tuple[AbstractFileSystem, str]:
    from fsspec.core import url_to_fs

    try:
        return url_to_fs(url)
    except ImportError as error:  # fsspec knows the protocol; its package is missing
        raise InvalidInput(f"{flag}: cannot read {url}: {error}") from error
    except ValueError as error:
        protocol = url.split("://", 1)[0]
        raise InvalidInput(
            f"{flag}: cannot read {url}: no file system for {protocol}:// ({error}); "
            "a plain path, file://, memory:// or a protocol of an installed fsspec package "
            "(s3fs, gcsfs, adlfs) is expected"
        ) from error
