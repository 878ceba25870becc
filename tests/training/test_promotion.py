"""Moving the champion alias publishes that version in the home; the CLI lists and promotes."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from creatormatch.cli import main
from creatormatch.core import Home, IntegrityError, verify
from creatormatch.models import ConversionModel
from creatormatch.training import (
    champion,
    log_and_register,
    mark_published,
    published_version,
    sync_champions,
)


def _fit(seed: int) -> ConversionModel:
    rng = np.random.default_rng(seed)
    X = pd.DataFrame({"fit": rng.random(300), "log_followers": rng.normal(9, 1, 300)})
    impressions = rng.integers(1_000, 5_000, 300).astype(float)
    conversions = rng.poisson(impressions * 0.002 * X["fit"].to_numpy())
    return ConversionModel().fit(X, conversions, impressions)


def _train(home: Home, seed: int) -> str:
    """What `creatormatch train` does for one model: publish in the home, register, mark."""
    model = _fit(seed)
    model.save(home.model_dir("conversion"), metadata={"seed": seed})
    version = log_and_register(
        home, name="conversion", model_dir=home.model_dir("conversion"), params={"seed": seed},
        metrics={"ndcg10_model": 0.5 + seed / 100},
    )  # fmt: skip
    mark_published(home, "conversion", version.version)
    return verify(home.model_dir("conversion"))["files"]["model.txt"]


def test_promoting_an_older_version_publishes_its_files_in_the_home(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = Home(tmp_path / "home").ensure()
    first = _train(home, 1)
    second = _train(home, 2)
    assert first != second and published_version(home, "conversion") == 2
    assert sync_champions(home) == []  # the home already serves the champion

    assert main(["--home", str(home.root), "models", "promote", "conversion", "1"]) == 0
    assert "conversion v1 is champion; published in the home: conversion v1" in (
        capsys.readouterr().out
    )
    assert champion(home, "conversion").version == 1
    manifest = verify(home.model_dir("conversion"))
    assert manifest["files"]["model.txt"] == first and manifest["seed"] == 1
    assert published_version(home, "conversion") == 1
    model, _ = ConversionModel.load(home.model_dir("conversion"))
    assert model.rate(pd.DataFrame({"fit": [0.9], "log_followers": [9.0]}))[0] > 0

    assert main(["--home", str(home.root), "models", "list", "--name", "conversion"]) == 0
    listing = capsys.readouterr().out
    assert "conversion: 2 versions; the home serves v1" in listing
    assert "  * v1 " in listing and "    v2 " in listing


def test_promoting_a_version_that_does_not_exist_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = Home(tmp_path / "home").ensure()
    _train(home, 1)
    assert main(["--home", str(home.root), "models", "promote", "conversion", "7"]) == 2
    assert "no version 7 of model 'conversion' in the registry" in capsys.readouterr().err
    assert champion(home, "conversion").version == 1


def test_a_home_without_a_registry_has_nothing_to_sync(tmp_path: Path) -> None:
    home = Home(tmp_path / "home").ensure()
    assert sync_champions(home) == []
    assert not (home.root / "mlflow.db").exists()


def test_a_champion_from_a_shared_registry_is_signed_for_the_home_it_lands_in(
    tmp_path: Path,
) -> None:
    trained, serving = Home(tmp_path / "trained").ensure(), Home(tmp_path / "serving").ensure()
    _train(trained, 1)
    assert sync_champions(serving, tracking_uri=trained.tracking_uri()) == ["conversion v1"]
    assert serving.signing_key.read_bytes() != trained.signing_key.read_bytes()
    _, manifest = ConversionModel.load(serving.model_dir("conversion"))  # this home's key
    assert manifest["seed"] == 1
    shutil.copytree(trained.model_dir("conversion"), serving.model_dir("copied"))
    with pytest.raises(IntegrityError, match="signature does not match"):
        verify(serving.model_dir("copied"))  # a plain copy is not this home's
