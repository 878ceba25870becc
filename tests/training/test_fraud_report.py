"""The fraud report: four valid PNGs and a model card with the intended use and real metrics."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread
from sklearn.metrics import average_precision_score

from creatormatch.core import InvalidInput
from creatormatch.features import (
    EngagementBenchmark,
    benchmark_frame,
    fraud_context,
    fraud_signal_frame,
)
from creatormatch.models import BoosterParams, precision_threshold
from creatormatch.training import (
    INTENDED_USE,
    MIN_SEGMENT,
    aligned_labels,
    train_fraud,
    validation_rows,
    write_fraud_report,
)
from creatormatch.world import synthetic_fraud_data

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SMALL = BoosterParams(n_estimators=60, learning_rate=0.1, num_leaves=15, min_child_samples=10)


@pytest.fixture(scope="module")
def fitted():
    records, labels = synthetic_fraud_data(seed=21, n_creators=800, intensities=(1.0,))
    benchmark = EngagementBenchmark().fit(benchmark_frame(records))
    frame = fraud_signal_frame(records, benchmark=benchmark)
    model, _ = train_fraud(frame, labels, params=SMALL, benchmark=benchmark)
    return model, frame, labels, fraud_context(records)


@pytest.fixture(scope="module")
def written(fitted, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    model, frame, labels, context = fitted
    out = tmp_path_factory.mktemp("report")
    return write_fraud_report(model, frame, labels, out, context=context)


def test_the_report_writes_four_plots_and_a_model_card(written: list[Path]) -> None:
    names = sorted(path.name for path in written)
    assert names == [
        "fraud_calibration.png",
        "fraud_model_card.md",
        "fraud_pr.png",
        "fraud_reasons.png",
        "fraud_roc.png",
    ]
    assert all(path.is_file() and path.stat().st_size > 0 for path in written)


def test_every_plot_is_a_readable_png_image(written: list[Path]) -> None:
    for path in (p for p in written if p.suffix == ".png"):
        assert path.read_bytes()[:8] == PNG_MAGIC
        height, width, channels = imread(path).shape
        assert height > 200 and width > 200 and channels in (3, 4)


def test_the_card_states_the_intended_use_and_the_known_limits(written: list[Path]) -> None:
    card = next(p for p in written if p.suffix == ".md").read_text(encoding="utf-8")
    assert INTENDED_USE in card
    assert "not a verdict" in card
    for section in (
        "## Data",
        "## Metrics (validation split)",
        "## Known limits",
        "### By language",
        "### By country",
        "`insufficient_evidence`",
    ):
        assert section in card


def test_the_card_reports_the_pr_auc_of_the_validation_split(fitted, written) -> None:
    model, frame, labels, _ = fitted
    y = aligned_labels(frame, labels)["is_fraud"].to_numpy()
    val = validation_rows(model, y)
    expected = average_precision_score(y[val], model.predict_proba(frame.iloc[val]))
    card = next(p for p in written if p.suffix == ".md").read_text(encoding="utf-8")
    assert f"| pr_auc | {expected:.3f} |" in card
    for archetype in ("bought_followers", "viral_spike", "fast_growth"):
        assert f"| {archetype} |" in card


def test_validation_rows_are_the_split_the_thresholds_were_chosen_on(fitted) -> None:
    model, frame, labels, _ = fitted
    y = aligned_labels(frame, labels)["is_fraud"].to_numpy()
    val = validation_rows(model, y)
    assert val.size == pytest.approx(model.validation_share * y.size, abs=1)
    p = model.predict_proba(frame.iloc[val])
    assert precision_threshold(p, y[val], 0.9) == model.thresholds_["high"]


def test_labels_of_one_class_are_refused(fitted, tmp_path: Path) -> None:
    model, frame, labels, context = fitted
    clean = labels.assign(is_fraud=np.zeros(len(labels), dtype=int))
    with pytest.raises(InvalidInput, match="both classes"):
        write_fraud_report(model, frame, clean, tmp_path, context=context)


def _card(written: list[Path]) -> str:
    return next(p for p in written if p.suffix == ".md").read_text(encoding="utf-8")


def test_a_rate_over_too_few_creators_is_a_dash_in_the_metrics_and_the_segment_table(
    fitted, written
) -> None:
    """The card's look-alike FPR and its archetype table come from the same numbers: with fewer
    than MIN_SEGMENT viral-spike creators in the validation split both say "–", never 0.000."""
    model, frame, labels, _ = fitted
    y = aligned_labels(frame, labels)["is_fraud"].to_numpy()
    val = validation_rows(model, y)
    spikes = int(
        (labels.set_index("creator_id").loc[frame.index[val], "archetype"] == "viral_spike").sum()
    )
    assert 0 < spikes < MIN_SEGMENT
    card = _card(written)
    assert "| fpr_high_viral_spike | – |" in card and "| fpr_medium_viral_spike | – |" in card
    row = next(line for line in card.splitlines() if line.startswith("| viral_spike |"))
    assert row.split(" | ")[3:] == ["–", "–", "–", "– |"]  # recall and FPR at both bands
