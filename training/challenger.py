"""Champion / challenger: what `creatormatch train` does with each model it fits.

The model is registered as `challenger`. It becomes `champion`, and is published in the home the
server follows, only when it passes its gates (gates.py): the challenger and the current champion
are scored by one function on one frozen evaluation set, so the numbers compare. A champion that
cannot be scored there (an older model reading other columns) is said so, and the challenger is
judged on the floors alone.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

import numpy as np

from creatormatch.core import CreatorMatchError, Home, NotFound
from creatormatch.training.gates import Verdict, headline, judge
from creatormatch.training.lineage import Lineage, code_version
from creatormatch.training.promotion import artifact_id, copy_verified, publish_version
from creatormatch.training.registry import (
    CHALLENGER,
    champion,
    download,
    log_and_register,
    promote,
)


class Publishable(Protocol):
    def save(self, directory: Path, *, metadata: dict[str, Any]) -> dict[str, Any]: ...


M = TypeVar("M", bound=Publishable)


@dataclass(frozen=True)
class Judge(Generic[M]):
    """How one kind of model is scored: read from its directory, scored on the evaluation set
    named `eval_set` (the same rows for every version); with `timing`, also timed (one run, in
    ms), as TIMED_METRIC."""

    load: Callable[[Path], M]
    score: Callable[[M], dict[str, float]]
    eval_set: str
    timing: Callable[[M], float] | None = None


TIMED_METRIC = "rerank_ms"
TIMING_ROUNDS = 15


def race(timing: Callable[[M], float], models: Sequence[M]) -> list[float]:
    """Each model's best time over TIMING_ROUNDS rounds in which they take turns: a busy moment
    of a shared machine slows every contender alike, and the best run is the least disturbed."""
    for model in models:
        timing(model)  # the first call pays for lazy set-up
    best = [float("inf")] * len(models)
    for _ in range(TIMING_ROUNDS):
        for i, model in enumerate(models):
            best[i] = min(best[i], timing(model))
    return best


def scorecards(judge_: Judge[M], models: Sequence[M]) -> list[dict[str, float]]:
    """The scorecard of each model on the judge's evaluation set, timed side by side."""
    cards = [judge_.score(model) for model in models]
    if judge_.timing is not None:
        for card, best in zip(cards, race(judge_.timing, models), strict=True):
            card[TIMED_METRIC] = best
    return cards


@dataclass(frozen=True)
class Decision:
    name: str
    version: int
    promoted: bool
    verdicts: list[Verdict]
    parent: int | None  # the champion it was compared with
    metrics: dict[str, float]
    note: str = ""  # why the champion was not compared, when it was not

    def failed(self) -> list[Verdict]:
        return [v for v in self.verdicts if not v.passed]

    def summary(self) -> str:
        """e.g. "refused (quality: nDCG@10 0.61, vs v1 0.7 (tolerance 0.03), floor 0.32:
        refused); v1 stays champion"."""
        against = f"v{self.parent}" if self.parent else "champion"
        if self.promoted:
            how = f"against v{self.parent}" if self.parent else "first version, on the floors"
            unjudged = "".join(f"; {v.text()}" for v in self.verdicts if v.unjudged)
            return (
                f"promoted (all {len(self.verdicts)} gates passed, {how}{unjudged}{self._note()})"
            )
        failed = "; ".join(v.text(against) for v in self.failed())
        stays = f"; v{self.parent} stays champion" if self.parent else "; no champion"
        return f"refused ({failed}{self._note()}){stays}"

    def _note(self) -> str:
        return f"; {self.note}" if self.note else ""

    def line(self) -> str:
        role = "champion" if self.promoted else "challenger"
        return f"{self.name} v{self.version} ({role}): {self.summary()}"


@dataclass(frozen=True)
class Training:
    """What a training step hands over besides the model."""

    params: dict[str, Any]
    data_hash: str  # content hash of the rows it learned from (lineage.rows_hash)
    world_seed: int | None = None  # the synthetic world they came from, if any
    metrics: dict[str, float] = field(default_factory=dict)  # training-side (counts, report)
    notes: dict[str, str] = field(default_factory=dict)  # e.g. the outcome screening report
    files: Sequence[Path] = ()


def load_version(
    home: Home, name: str, number: int, judge_: Judge[M], *, tracking_uri: str | None
) -> M:
    """Registry version `number` of `name`, read as `judge_` reads models."""
    with tempfile.TemporaryDirectory(dir=home.ensure().root) as tmp:
        source = download(home, name, number, Path(tmp) / "download", tracking_uri=tracking_uri)
        local = Path(tmp) / "model"  # signed for the staging folder, so its loader verifies it
        copy_verified(source, local)
        return judge_.load(local)


def _champion(
    home: Home, name: str, judge_: Judge[M], *, tracking_uri: str | None
) -> tuple[int | None, M | None, str]:
    """(champion version, its model or None when it cannot be scored, why not)."""
    try:
        current = champion(home, name, tracking_uri=tracking_uri).version
    except NotFound:
        return None, None, ""
    try:
        model = load_version(home, name, current, judge_, tracking_uri=tracking_uri)
        judge_.score(model)  # can it read the evaluation rows at all (an older feature set)?
    except (CreatorMatchError, KeyError, ValueError) as error:
        note = (
            f"champion v{current} could not be scored on {judge_.eval_set} ({error}): floors only"
        )
        return current, None, note
    return current, model, ""


def _finite(metrics: Mapping[str, float]) -> dict[str, float]:
    return {key: float(value) for key, value in metrics.items() if np.isfinite(value)}


def challenge(
    home: Home,
    name: str,
    model: M,
    judge_: Judge[M],
    training: Training,
    *,
    tracking_uri: str | None,
) -> Decision:
    """Score `model` and the champion, register `model` as challenger, promote it if it passes."""
    parent, rival, note = _champion(home, name, judge_, tracking_uri=tracking_uri)
    cards = scorecards(judge_, [model] if rival is None else [model, rival])
    scored, theirs = cards[0], (cards[1] if rival is not None else None)
    verdicts = judge(name, scored, theirs)
    promoted = all(v.passed for v in verdicts)
    metrics = _finite(training.metrics | scored)
    draft = Decision(name, 0, promoted, verdicts, parent, metrics, note)  # numbered below
    lineage = Lineage(
        training.data_hash, code_version(), training.world_seed, parent, judge_.eval_set
    )
    tags = lineage.tags() | training.notes | {"decision": draft.summary()}
    metadata = {
        "data_hash": training.data_hash,
        "metrics": metrics,
        "headline": list(headline(name, metrics)),
        "lineage": lineage.as_dict(),
        **training.notes,
    }
    with tempfile.TemporaryDirectory(dir=home.ensure().root) as tmp:
        staged = Path(tmp) / "challenger"
        manifest = model.save(staged, metadata=metadata)
        tags["artifact"] = artifact_id(manifest)
        registered = log_and_register(
            home, name=name, model_dir=staged, params=training.params, metrics=metrics,
            files=training.files, tracking_uri=tracking_uri, alias=CHALLENGER, tags=tags,
        )  # fmt: skip
        if promoted:
            promote(home, name, registered.version, tracking_uri=tracking_uri)
            publish_version(home, name, staged, registered.version)
    return replace(draft, version=registered.version)
