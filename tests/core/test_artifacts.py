from pathlib import Path

import pytest

from creatormatch.core import ArtifactError, IntegrityError, load_published, publish, verify


def test_published_files_verify_and_carry_metadata(tmp_path: Path) -> None:
    publish(tmp_path / "a", {"x.bin": b"abc"}, {"dimension": 3})
    manifest = verify(tmp_path / "a")
    assert manifest["dimension"] == 3 and set(manifest["files"]) == {"x.bin"}


def test_a_tampered_file_is_refused(tmp_path: Path) -> None:
    publish(tmp_path / "a", {"x.bin": b"abc"}, {})
    (tmp_path / "a" / "x.bin").write_bytes(b"abd")
    with pytest.raises(IntegrityError, match="sha256"):
        verify(tmp_path / "a")


def test_a_directory_without_manifest_was_never_published(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    with pytest.raises(ArtifactError, match=r"no manifest\.json"):
        verify(tmp_path / "a")


def _load(directory: Path) -> tuple[bytes, dict]:
    manifest = verify(directory)
    return (directory / "x.bin").read_bytes(), manifest


def test_load_published_is_none_until_something_is_published(tmp_path: Path) -> None:
    assert load_published(_load, tmp_path / "a") == (None, None)
    publish(tmp_path / "a", {"x.bin": b"abc"}, {"kind": "x"})
    data, manifest = load_published(_load, tmp_path / "a")
    assert data == b"abc" and manifest["kind"] == "x"


def test_a_published_artifact_that_cannot_be_read_is_an_error_not_absent(tmp_path: Path) -> None:
    publish(tmp_path / "a", {"x.bin": b"abc"}, {})
    (tmp_path / "a" / "x.bin").write_bytes(b"abd")
    with pytest.raises(IntegrityError, match="sha256"):
        load_published(_load, tmp_path / "a")

    def broken(directory: Path) -> tuple[bytes, dict]:
        raise KeyError("params")

    with pytest.raises(ArtifactError, match=r"cannot load the artifact in .*'params'"):
        load_published(broken, tmp_path / "a")
