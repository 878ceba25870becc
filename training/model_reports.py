"""The reports `creatormatch train` writes for the account, conversion and reach models (the
fraud model's are fraud_report.py's), and where they go.

Each fitted challenger's report is written into `<home>/reports/<model>/challenger/`, and its
files are handed to the registry with the version (`Training.files`, logged to MLflow under
`reports/`). `publish_reports` then copies the report of each challenger promoted to champion up
into `<home>/reports/<model>/`, so the report beside the served model describes that model; a
refused challenger's report stays in `challenger/` for comparison.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from creatormatch.core import Home
from creatormatch.features import CampaignOutcome
from creatormatch.models import AccountModel, ConversionModel, ReachModel
from creatormatch.training.account_report import write_account_report
from creatormatch.training.challenger import Decision
from creatormatch.training.conversion import ConversionData
from creatormatch.training.evalset import EvalSet
from creatormatch.training.value_reports import (
    brief_categories,
    write_conversion_report,
    write_reach_report,
)

CHALLENGER = "challenger"


def _fresh(home: Home, name: str) -> Path:
    """The (emptied) folder of the report of a new challenger of `name`."""
    folder = home.reports_dir / name / CHALLENGER
    shutil.rmtree(folder, ignore_errors=True)
    return folder


def conversion_report(
    home: Home, model: ConversionModel, evalset: EvalSet, outcomes: Sequence[CampaignOutcome]
) -> list[Path]:
    """The challenger's report on `evalset`; brief categories from `outcomes`' briefs."""
    data = ConversionData.from_tables(evalset.tables)
    return write_conversion_report(
        model, data, brief_categories(outcomes), _fresh(home, "conversion"),
        evalset=evalset.label,
    )  # fmt: skip


def reach_report(
    home: Home, model: ReachModel, evalset: EvalSet, outcomes: Sequence[CampaignOutcome]
) -> list[Path]:
    data = ConversionData.from_tables(evalset.tables)
    return write_reach_report(
        model, data, brief_categories(outcomes), _fresh(home, "reach"),
        evalset=evalset.label,
    )  # fmt: skip


def account_report(home: Home, model: AccountModel, data_dir: Path) -> list[Path]:
    return write_account_report(model, data_dir, _fresh(home, "account"))


def publish_reports(home: Home, decisions: Sequence[Decision]) -> list[Path]:
    """Copy the report of each promoted challenger into `<home>/reports/<model>/`; the folders
    written."""
    published = []
    for decision in decisions:
        staged = home.reports_dir / decision.name / CHALLENGER
        if decision.promoted and staged.is_dir():
            for path in staged.iterdir():
                shutil.copy2(path, staged.parent / path.name)
            published.append(staged.parent)
    return published
