"""Predict-side methods of an unfitted model raise NotFitted, which says to call fit first."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from creatormatch.core import NotFitted
from creatormatch.models import AccountModel, Booster, ConversionModel, FraudModel, ReachModel

X = pd.DataFrame({"followers": [1_000.0]})
CALLS: dict[str, Callable[[Path], Any]] = {
    "Booster.predict_raw": lambda _: Booster().predict_raw(X),
    "AccountModel.predict_proba": lambda _: AccountModel().predict_proba(X),
    "AccountModel.save": lambda path: AccountModel().save(path),
    "FraudModel.explain": lambda _: FraudModel().explain(X),
    "FraudModel.risk_band": lambda _: FraudModel().risk_band([0.5], X),
    "ConversionModel.rate": lambda _: ConversionModel().rate(X),
    "ConversionModel.save": lambda path: ConversionModel().save(path, metadata={}),
    "ReachModel.impressions": lambda _: ReachModel().impressions(X),
    "ReachModel.save": lambda path: ReachModel().save(path, metadata={}),
}


@pytest.mark.parametrize("call", CALLS, ids=str)
def test_an_unfitted_model_says_to_call_fit_first(call: str, tmp_path: Path) -> None:
    model = call.split(".")[0]
    with pytest.raises(NotFitted, match=rf"this {model} is not fitted: call fit\(\) or {model}"):
        CALLS[call](tmp_path / "model")
    assert not (tmp_path / "model").exists()
