"""The layout contract: one import name in the wheel, and every package inside a layer."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import creatormatch

ROOT = Path(__file__).resolve().parents[1]
UNSHIPPED = (".git", ".venv", ".creatormatch", "build", "*.egg-info", "__pycache__", ".*_cache")


def _layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = config["contracts"]
    return [name for layer in contract["layers"] for name in layer.split(" | ")]


def test_wheel_installs_exactly_one_top_level_name_with_the_page_assets(tmp_path: Path) -> None:
    # Built from a copy: setuptools leaves build/ and egg-info/ beside the sources it builds.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, symlinks=True, ignore=shutil.ignore_patterns(*UNSHIPPED))
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(source)],
        check=True, capture_output=True,
    )  # fmt: skip
    (wheel,) = tmp_path.glob("creatormatch-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top == {"creatormatch"}
    assert {"features", "matching", "models", "training", "serving", "bench"} <= {
        name.split("/")[1] for name in names if name.startswith("creatormatch/")
    }
    assert "creatormatch/serving/page/index.html" in names


def test_every_subpackage_of_creatormatch_sits_in_a_layer_of_the_import_contract() -> None:
    package = Path(creatormatch.__file__).parent
    subpackages = {f"creatormatch.{path.parent.name}" for path in package.glob("*/__init__.py")}
    assert subpackages == set(_layers())
