"""The gates a challenger passes to become `champion`, and each model's headline metrics.

Every gate reads one metric of the challenger and of the champion, both scored on the same frozen
evaluation set (evalset.py). A gate passes when the challenger is no worse than the champion
beyond the gate's tolerance, and within its absolute floor; a first version (no champion) meets
the floors only. The tolerances are the noise of a retrain on unchanged data, measured in
docs/decisions/0018, so that an honest retrain passes and a worse model does not.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Gate:
    label: str  # "quality: nDCG@10"
    metric: str
    higher_is_better: bool
    tolerance: float  # how much worse than the champion still passes
    relative: bool = False  # tolerance as a share of the champion's value (latency)
    floor: float | None = None  # the worst value ever accepted
    floor_metric: str | None = None  # ... or another metric of the same scorecard (a baseline)
    # (count metric, minimum): below it the metric is too noisy to judge, and the gate says so
    needs: tuple[str, float] | None = None

    def allowed(self, champion: float) -> float:
        """The worst value that passes against a champion at `champion`."""
        slack = self.tolerance * abs(champion) if self.relative else self.tolerance
        return champion - slack if self.higher_is_better else champion + slack

    def worse(self, value: float, bound: float) -> bool:
        return value < bound if self.higher_is_better else value > bound


@dataclass(frozen=True)
class Verdict:
    gate: Gate
    challenger: float
    champion: float | None  # None: a first version, judged on the floor alone
    floor: float | None
    passed: bool
    unjudged: str = ""  # why the gate could not judge (too few rows): it passes, saying so

    def text(self, champion_name: str = "champion") -> str:
        """e.g. "quality: nDCG@10 0.652, vs champion 0.698 (tolerance 0.03): refused"."""
        gate, outcome = self.gate, "passed" if self.passed else "refused"
        if self.unjudged:
            return f"{gate.label}: not judged ({self.unjudged})"
        parts = [f"{gate.label} {self.challenger:.3g}"]
        if self.champion is not None:
            slack = f"{gate.tolerance:.0%}" if gate.relative else f"{gate.tolerance:g}"
            parts.append(f"vs {champion_name} {self.champion:.3g} (tolerance {slack})")
        if self.floor is not None:
            parts.append(f"floor {self.floor:.3g}")
        return f"{', '.join(parts)}: {outcome}"


GATES: dict[str, tuple[Gate, ...]] = {
    "conversion": (
        Gate("quality: nDCG@10", "ndcg10_model", True, 0.03, floor_metric="ndcg10_followers"),
        Gate("calibration: |log(predicted/observed)|", "calibration_error", False, 0.05,
             floor=math.log(1.5)),
        Gate("latency: re-rank of 1,000 (ms)", "rerank_ms", False, 0.5, relative=True,
             floor=100.0),
    ),
    "reach": (
        Gate("quality: median |log error|", "reach_log_error_model", False, 0.02,
             floor_metric="reach_log_error_organic"),
        Gate("calibration: |median log error|", "reach_log_bias", False, 0.03, floor=0.3),
    ),
    "fraud": (
        Gate("quality: PR-AUC", "pr_auc", True, 0.03, floor=0.5),
        Gate("calibration: ECE", "ece", False, 0.02, floor=0.10, needs=("eval_creators", 200)),
        Gate("look-alike FPR at high", "fpr_high_lookalikes", False, 0.03, floor=0.10,
             needs=("eval_lookalikes", 20)),
    ),
    "account": (
        Gate("quality: ROC-AUC", "roc_auc", True, 0.01, floor=0.90),
        Gate("calibration: ECE", "ece", False, 0.02, floor=0.15),
    ),
}  # fmt: skip
# What `models list` and GET /v1/models show first for each model: its own metrics, in order.
HEADLINE: dict[str, tuple[str, ...]] = {
    name: tuple(gate.metric for gate in gates) for name, gates in GATES.items()
}


def _floor(gate: Gate, metrics: Mapping[str, float]) -> float | None:
    return metrics.get(gate.floor_metric, math.nan) if gate.floor_metric else gate.floor


def judge(
    name: str, challenger: Mapping[str, float], champion: Mapping[str, float] | None
) -> list[Verdict]:
    """One verdict per gate of model `name`; a metric that is missing or not finite fails."""
    verdicts = []
    for gate in GATES[name]:
        value = challenger.get(gate.metric, math.nan)
        if gate.needs is not None and challenger.get(gate.needs[0], 0.0) < gate.needs[1]:
            have = challenger.get(gate.needs[0], 0.0)
            why = f"{have:.0f} {gate.needs[0]}, {gate.needs[1]:.0f} needed"
            verdicts.append(Verdict(gate, value, None, None, passed=True, unjudged=why))
            continue
        floor = _floor(gate, challenger)
        theirs = None if champion is None else champion.get(gate.metric, math.nan)
        passed = math.isfinite(value)
        if floor is not None and math.isfinite(floor):
            passed = passed and not gate.worse(value, floor)
        if theirs is not None and math.isfinite(theirs):
            passed = passed and not gate.worse(value, gate.allowed(theirs))
        verdicts.append(Verdict(gate, value, theirs, floor, passed))
    return verdicts


def headline(name: str, metrics: Mapping[str, float]) -> dict[str, float]:
    """The model's own metrics from `metrics`, in HEADLINE order; those it lacks are left out."""
    return {key: float(metrics[key]) for key in HEADLINE.get(name, ()) if key in metrics}
