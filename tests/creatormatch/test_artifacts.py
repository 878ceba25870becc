from pathlib import Path

import pytest

from creatormatch.core.artifacts import publish, verify
from creatormatch.core.errors import ArtifactError, IntegrityError


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
