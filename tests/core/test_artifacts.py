import hashlib
import json
import shutil
import stat
from pathlib import Path

import pytest

from creatormatch.core import (
    ArtifactError,
    Home,
    IntegrityError,
    adopt,
    load_published,
    publish,
    verify,
)


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


def test_the_home_key_is_created_once_private_and_signs_every_manifest(tmp_path: Path) -> None:
    home = Home(tmp_path)
    publish(home.model_dir("a"), {"x.bin": b"abc"}, {})
    key = home.signing_key.read_bytes()
    assert len(key) == 32 and stat.S_IMODE(home.signing_key.stat().st_mode) == 0o600
    publish(home.index_dir, {"y.bin": b"def"}, {})
    assert home.signing_key.read_bytes() == key
    written = json.loads((home.index_dir / "manifest.json").read_text())
    assert len(written["signature"]) == 64
    assert "signature" not in verify(home.index_dir)  # loaders see the manifest, not the seal


def _rewrite_checksum(directory: Path, name: str) -> None:
    """What someone who can write the files does: change one, and its sha256 to match."""
    path = directory / name
    path.write_bytes(path.read_bytes()[::-1])
    manifest_path = directory / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["files"][name] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest))


def test_a_file_changed_with_its_checksum_rewritten_is_refused_by_the_signature(
    tmp_path: Path,
) -> None:
    publish(tmp_path / "a", {"x.bin": b"abc"}, {})
    _rewrite_checksum(tmp_path / "a", "x.bin")
    with pytest.raises(IntegrityError, match="signature does not match this home's key"):
        verify(tmp_path / "a")


def test_an_unsigned_manifest_is_refused_with_how_to_publish_it_again(tmp_path: Path) -> None:
    publish(tmp_path / "a", {"x.bin": b"abc"}, {})
    manifest_path = tmp_path / "a" / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    del manifest["signature"]  # what every manifest published before signing looks like
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(IntegrityError, match=r"not signed .*creatormatch train.*sign-artifacts"):
        verify(tmp_path / "a")
    assert verify(tmp_path / "a", signed=False)["files"] == manifest["files"]


def test_an_artifact_copied_from_another_home_is_refused_until_adopted(tmp_path: Path) -> None:
    trained, other = Home(tmp_path / "trained"), Home(tmp_path / "other")
    publish(trained.model_dir("fraud"), {"model.txt": b"trees"}, {"model": "fraud"})
    shutil.copytree(trained.root / "models", other.root / "models")
    with pytest.raises(IntegrityError, match=r"has no signing key"):
        verify(other.model_dir("fraud"))
    publish(other.index_dir, {"i.bin": b"x"}, {})  # the other home has a key of its own now
    with pytest.raises(IntegrityError, match="signature does not match"):
        verify(other.model_dir("fraud"))
    assert adopt(other) == [other.index_dir, other.model_dir("fraud")]
    assert verify(other.model_dir("fraud"))["model"] == "fraud"


def test_adopting_checks_the_files_first(tmp_path: Path) -> None:
    home = Home(tmp_path)
    publish(home.model_dir("fraud"), {"model.txt": b"trees"}, {})
    (home.model_dir("fraud") / "model.txt").write_bytes(b"other trees")
    with pytest.raises(IntegrityError, match="sha256"):
        adopt(home)
