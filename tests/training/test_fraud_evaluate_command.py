"""`creatormatch evaluate fraud` on a home with a real (small) fraud model: the whole report on
stdout, the report and its plots in the report folder, one JSON line last; bad flags exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from creatormatch.cli import main
from creatormatch.core import Home
from creatormatch.features import EngagementBenchmark, benchmark_frame, fraud_signal_frame
from creatormatch.models import BoosterParams
from creatormatch.training import train_fraud
from creatormatch.world import synthetic_fraud_data

SMALL = BoosterParams(n_estimators=60, learning_rate=0.1, num_leaves=15, min_child_samples=10)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    records, labels = synthetic_fraud_data(seed=51, n_creators=900, intensities=(1.0,))
    benchmark = EngagementBenchmark().fit(benchmark_frame(records))
    frame = fraud_signal_frame(records, benchmark=benchmark)
    model, _ = train_fraud(frame, labels, params=SMALL, benchmark=benchmark)
    home = Home(tmp_path_factory.mktemp("home"))
    model.save(home.model_dir("fraud"))
    return home


def _evaluate(home: Home, *flags: str) -> int:
    return main(["--home", str(home.root), "evaluate", "fraud", "--seed", "5", *flags])


ACCOUNT_REPORT = """# Account model

| test set | trained on | condition | method | roc_auc |
|---|---|---|---|---|
| instafake | kaggle + ig_pd | all fields | model | 0.990 [0.984, 0.994] |
| instafake | kaggle + ig_pd | core fields only | model | 0.980 [0.971, 0.986] |
| instafake | kaggle + ig_pd | core fields only | heuristic | 0.958 [0.944, 0.972] |
"""


def test_evaluate_fraud_prints_the_whole_table_and_writes_it_with_plots(
    home: Home, capsys: pytest.CaptureFixture[str]
) -> None:
    home.reports_dir.mkdir(parents=True, exist_ok=True)
    (home.reports_dir / "accounts.md").write_text(ACCOUNT_REPORT, encoding="utf-8")
    assert _evaluate(home, "--creators", "400", "--subtle-creators", "150") == 0
    out = capsys.readouterr().out.strip().splitlines()
    summary = json.loads(out[-1])
    report = "\n".join(out[:-1])
    assert report.startswith("# Fraud model on held-out worlds (seed 5; 400 at intensity 1.0")
    for section in (
        "## Evidence-size curve",
        "## FPR by creator language",
        "## FPR by creator country",
        "## Recall at 90% precision per archetype",
        "## FPR on legitimate look-alikes",
        "## Account model, core fields only",
        "- `fraud_evidence_curve.png`",
    ):
        assert section in report
    transfer = report[report.index("## Account model, core fields only") :].splitlines()
    assert transfer[2:6] == ACCOUNT_REPORT.splitlines()[2:4] + ACCOUNT_REPORT.splitlines()[5:7]
    folder = home.root / "reports" / "fraud_heldout"
    assert (folder / "fraud.md").read_text(encoding="utf-8").strip() == report
    assert sorted(p.name for p in folder.glob("*.png")) == [
        "fraud_evidence_curve.png",
        "fraud_fpr_by_country.png",
        "fraud_fpr_by_language.png",
    ]
    assert summary["seed"] == 5 and set(summary["metrics"]) == {"1.0", "0.5", "0.25"}


def test_pool_seeds_add_a_fairness_section_over_every_world_and_its_p_values(
    home: Home, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        _evaluate(home, "--creators", "400", "--subtle-creators", "100", "--pool-seeds", "6") == 0
    )
    out = capsys.readouterr().out.strip().splitlines()
    summary = json.loads(out[-1])
    assert summary["pooled_seeds"] == [5, 6]
    assert set(summary["pooled_fairness_p"]) == set(summary["fairness_p"])
    assert all(0.0 < p <= 1.0 for p in summary["pooled_fairness_p"].values())
    report = "\n".join(out[:-1])
    one = report.index("## FPR by creator language (")
    both = report.index("## FPR by creator language, pooled over seeds 5, 6 (")
    english = [
        next(
            int(row.split("|")[2])
            for row in report[start:].splitlines()
            if row.startswith("| en |")
        )
        for start in (one, both)
    ]
    # The pooled table counts the clean creators of both worlds.
    assert english[-1] > english[0] > 0
    assert "shuffles, within each world)" in report


@pytest.mark.parametrize(
    ("value", "message"), [("5", "other than --seed and each once, got [5]"), ("6,6", "got [6]")]
)
def test_pool_seeds_that_repeat_are_exit_2(
    home: Home, value: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _evaluate(home, "--creators", "100", "--pool-seeds", value) == 2
    assert message in capsys.readouterr().err


def test_pool_seeds_that_are_no_numbers_are_a_usage_error(
    home: Home, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        _evaluate(home, "--pool-seeds", "2000,x")
    assert stop.value.code == 2
    assert "expected comma-separated integer seeds, got '2000,x'" in capsys.readouterr().err


@pytest.mark.parametrize("flag", ["--creators", "--subtle-creators"])
def test_too_few_creators_is_exit_2_naming_the_flag(
    home: Home, flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _evaluate(home, flag, "50") == 2
    assert f"expected {flag} >= 100, got 50" in capsys.readouterr().err


def test_without_an_account_report_the_transfer_section_says_how_to_get_one(
    home: Home, capsys: pytest.CaptureFixture[str]
) -> None:
    (home.reports_dir / "accounts.md").unlink(missing_ok=True)
    assert _evaluate(home, "--creators", "100", "--subtle-creators", "100") == 0
    assert "run `creatormatch accounts train`" in capsys.readouterr().out


def test_a_home_without_a_fraud_model_says_to_train_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _evaluate(Home(tmp_path)) == 2
    assert "no fraud model" in capsys.readouterr().err
