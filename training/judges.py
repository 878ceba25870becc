"""How each model is judged on its evaluation set, and two registry versions compared there
(`creatormatch models compare`, and what `models promote` overrides)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from creatormatch.core import Home, NotReady, sha256_file
from creatormatch.models import AccountModel, ConversionModel, FraudModel, ReachModel
from creatormatch.training.accounts import default_data_dir, set_paths
from creatormatch.training.challenger import Judge, load_version, scorecards
from creatormatch.training.conversion import (
    ConversionData,
    conversion_scorecard,
    reach_scorecard,
    rerank_batch,
    rerank_ms,
)
from creatormatch.training.datasets import FRAUD, OUTCOMES
from creatormatch.training.evalset import EvalSet, latest_evalset
from creatormatch.training.gates import Verdict, judge
from creatormatch.training.scorecards import account_scorecard, fraud_scorecard


def conversion_judge(evalset: EvalSet) -> Judge[ConversionModel]:
    rows = ConversionData.from_tables(evalset.tables)
    batch = rerank_batch(rows.X)
    return Judge(
        lambda d: ConversionModel.load(d)[0],
        lambda m: conversion_scorecard(m, rows),
        evalset.label,
        timing=lambda m: rerank_ms(m, batch),
    )


def reach_judge(evalset: EvalSet) -> Judge[ReachModel]:
    rows = ConversionData.from_tables(evalset.tables)
    return Judge(lambda d: ReachModel.load(d)[0], lambda m: reach_scorecard(m, rows), evalset.label)


def fraud_judge(evalset: EvalSet) -> Judge[FraudModel]:
    return Judge(
        lambda d: FraudModel.load(d)[0], lambda m: fraud_scorecard(m, evalset.tables), evalset.label
    )


def account_judge(data_dir: Path) -> Judge[AccountModel]:
    """The public Kaggle test split is the account model's frozen set: its sha256 is its version."""
    label = f"account-eval kaggle test split (sha256 {sha256_file(set_paths(data_dir)[3])[:12]})"
    return Judge(lambda d: AccountModel.load(d)[0], lambda m: account_scorecard(m, data_dir), label)


def judge_for(home: Home, name: str, *, data_dir: Path | None = None) -> Judge[Any]:
    """The judge of model `name` on the home's latest evaluation set."""
    if name == "account":
        found = data_dir or default_data_dir()
        if found is None:
            raise NotReady("no account data sets to judge on: pass --data DIR")
        return account_judge(found)
    kind = FRAUD if name == "fraud" else OUTCOMES
    evalset = latest_evalset(home, kind)
    if evalset is None:
        raise NotReady(f"no {kind} evaluation set in {home.root}: run `creatormatch train` first")
    if name == "fraud":
        return fraud_judge(evalset)
    return conversion_judge(evalset) if name == "conversion" else reach_judge(evalset)


@dataclass(frozen=True)
class Comparison:
    name: str
    eval_set: str
    versions: tuple[int, int]
    metrics: tuple[dict[str, float], dict[str, float]]
    verdicts: list[Verdict]  # the second version's gates against the first


def compare_versions(
    home: Home,
    name: str,
    first: int,
    second: int,
    *,
    tracking_uri: str | None = None,
    data_dir: Path | None = None,
) -> Comparison:
    """Score registry versions `first` and `second` of `name` on the same evaluation set."""
    judge_ = judge_for(home, name, data_dir=data_dir)
    models = [
        load_version(home, name, number, judge_, tracking_uri=tracking_uri)
        for number in (first, second)
    ]
    a, b = scorecards(judge_, models)
    return Comparison(name, judge_.eval_set, (first, second), (a, b), judge(name, b, a))
