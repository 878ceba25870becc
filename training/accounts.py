"""Account model data and its cross-data-set evaluation.

Loads the three public labelled sets (deduplicated), trains the shipped model, and measures it
leave-one-data-set-out (train on the others, test on the one left out) plus on the Kaggle test
split, next to a three-rule heuristic, with stratified bootstrap 95 % intervals; also at a
realistic 10 % fake rate, with the six core fields only (what a follower scrape has) and with
other fields missing. Nothing is tuned on a held-out set.
See docs/decisions/0003-account-model-data.md.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatormatch.core import InvalidInput, sha256_file
from creatormatch.features import (
    FEATURE_GROUPS,
    LABEL,
    SUSPICIOUS_PROBABILITY,
    account_features,
    core_fields_only,
    from_ig_pd,
    from_instafake,
    from_kaggle,
)
from creatormatch.models import DROPOUT_COPIES, AccountModel
from creatormatch.training.account_metrics import (
    METRICS,
    Estimate,
    Scores,
    account_metrics,
    bootstrap,
    heuristic_scores,
)

Progress = Callable[[str], None]
SETS = ("instafake", "kaggle", "ig_pd")
REALISTIC_RATE = 0.10
CORE = "core fields only"
# Feature groups blanked in the held-out set for the missing-field evaluation. The last is a
# follower scrape scored by the shipped model, which was trained with every field.
MISSING = {
    "no bio": ("bio",),
    "no picture": ("picture",),
    "followers+following only": tuple(g for g in FEATURE_GROUPS if "follow" not in g),
    "core fields at scoring only": ("bio", "full_name", "url"),
}


def default_data_dir() -> Path | None:
    """`../shared/data` next to the working directory or to this checkout, when it exists."""
    for base in (Path.cwd(), Path(__file__).resolve().parents[1]):
        candidate = base.parent / "shared" / "data"
        if candidate.is_dir():
            return candidate
    return None


def set_paths(data_dir: Path) -> list[Path]:
    """The files the account model learns from: instafake fake and real, kaggle train and test,
    ig_pd."""
    fake_dir = data_dir / "instafake" / "fake-v1.0"
    kaggle_dir = data_dir / "kaggle-instagram-fake-spammer-genuine"
    paths = [fake_dir / "fakeAccountData.json", fake_dir / "realAccountData.json"]
    paths += [kaggle_dir / "train.csv", kaggle_dir / "test.csv"]
    paths += [data_dir / "instagram-ig-pd" / "ig_PD.csv"]
    if missing := [str(p) for p in paths if not p.is_file()]:
        raise InvalidInput(f"expected the public account data sets under {data_dir}: no {missing}")
    return paths


def sets_hash(data_dir: Path) -> str:
    """sha256 over the sha256 of each training file: the lineage of an account model, without
    the host path it was read from."""
    digests = "".join(sha256_file(path) for path in set_paths(data_dir))
    return hashlib.sha256(digests.encode()).hexdigest()


def load_sets(data_dir: Path) -> dict[str, pd.DataFrame]:
    """Canonical frames (+ `is_fake`), exact duplicate rows dropped: instafake, kaggle (train),
    kaggle_test, ig_pd."""
    paths = set_paths(data_dir)
    instafake = [pd.DataFrame(json.loads(p.read_text())) for p in paths[:2]]
    raw = {
        "instafake": from_instafake(pd.concat(instafake, ignore_index=True).drop_duplicates()),
        "kaggle": from_kaggle(pd.read_csv(paths[2]).drop_duplicates()),
        "kaggle_test": from_kaggle(pd.read_csv(paths[3]).drop_duplicates()),
        "ig_pd": from_ig_pd(pd.read_csv(paths[4]).drop_duplicates()),
    }
    return raw


@dataclass(frozen=True)
class Row:
    test_set: str
    trained_on: str
    condition: str  # "all fields", "10 % fake", "core fields only", "no bio", …
    method: str  # "model", "model, no dropout", "heuristic"
    estimates: dict[str, Estimate]


@dataclass
class AccountReport:
    rows: list[Row] = field(default_factory=list)
    train_sizes: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict[str, float]:
        """Flat metrics for MLflow (names it accepts): `<set>.<condition>.<method>.<metric>`."""
        return {
            re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{r.test_set}.{r.condition}.{r.method}.{m}"): e.value
            for r in self.rows
            for m, e in r.estimates.items()
        }

    def markdown(self) -> str:
        head = "| test set | trained on | condition | method | " + " | ".join(METRICS) + " |"
        lines = [head, "|" + "---|" * (4 + len(METRICS))]
        for r in self.rows:
            cells = [r.test_set, r.trained_on, r.condition, r.method]
            cells += [r.estimates[m].text() if m in r.estimates else "—" for m in METRICS]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"


def features_and_labels(frame: pd.DataFrame) -> tuple[pd.DataFrame, npt.NDArray[np.bool_]]:
    return account_features(frame), frame[LABEL].to_numpy(dtype=bool)


def blank_groups(X: pd.DataFrame, groups: tuple[str, ...]) -> pd.DataFrame:
    X = X.copy()
    for group in groups:
        X.loc[:, list(FEATURE_GROUPS[group])] = np.nan
    return X


def _fit(frames: list[pd.DataFrame], *, dropout: bool = True) -> AccountModel:
    X, y = features_and_labels(pd.concat(frames, ignore_index=True))
    return AccountModel(dropout_copies=DROPOUT_COPIES if dropout else 0).fit(X, y)


def _scored(
    test: pd.DataFrame, models: dict[str, AccountModel]
) -> list[tuple[str, float | None, str, Scores, float]]:
    """(condition, fake rate or None, method, scores, cut for MCC) for every table row.

    `models`: "model" and "model, no dropout" trained with every field, CORE trained and scored
    with the six core fields only. The heuristic reads core fields only."""
    X = account_features(test)
    rules = heuristic_scores(test)
    every = models["model"].predict_proba(X)
    core = models[CORE].predict_proba(account_features(core_fields_only(test)))
    found: list[tuple[str, float | None, str, Scores, float]] = []
    for condition, rate, scores in (
        ("all fields", None, every),
        ("10 % fake", REALISTIC_RATE, every),
        (CORE, None, core),
        (f"{CORE}, 10 % fake", REALISTIC_RATE, core),
    ):
        found.append((condition, rate, "model", scores, SUSPICIOUS_PROBABILITY))
        found.append((condition, rate, "heuristic", rules, 2.0))
    for condition, groups in MISSING.items():
        for method in ("model", "model, no dropout"):
            scores = models[method].predict_proba(blank_groups(X, groups))
            found.append((condition, None, method, scores, SUSPICIOUS_PROBABILITY))
    return found


def _scored_rows(
    test: pd.DataFrame, names: tuple[str, str], models: dict[str, AccountModel], *, n_boot: int
) -> list[Row]:
    y = test[LABEL].to_numpy(dtype=bool)
    rows = []
    for condition, rate, method, scores, cut in _scored(test, models):

        def score(
            idx: npt.NDArray[np.intp], s: Scores = scores, t: float = cut, m: str = method
        ) -> Scores:
            return account_metrics(y[idx], s[idx], t, calibrated=m != "heuristic")

        found = bootstrap(y, score, rate=rate, n=n_boot, seed=0)
        rows.append(Row(*names, condition, method, dict(zip(METRICS, found, strict=True))))
    return rows


def evaluate(
    sets: dict[str, pd.DataFrame], *, n_boot: int = 1000, progress: Progress = lambda _: None
) -> AccountReport:
    """Leave-one-data-set-out over SETS (Kaggle = train + test) plus the Kaggle test split."""
    report = AccountReport()
    folds = [(name, [s for s in SETS if s != name]) for name in SETS]
    folds.append(("kaggle_test", list(SETS)))
    for test_name, train_names in folds:
        progress(f"accounts: testing on {test_name}, training on {', '.join(train_names)}")
        test = sets[test_name]
        if test_name == "kaggle":
            test = pd.concat([sets["kaggle"], sets["kaggle_test"]], ignore_index=True)
        frames = [sets[n] for n in train_names]
        models = {
            "model": _fit(frames),
            "model, no dropout": _fit(frames, dropout=False),
            CORE: _fit([core_fields_only(f) for f in frames]),
        }
        names = (test_name, " + ".join(train_names))
        report.rows += _scored_rows(test, names, models, n_boot=n_boot)
    return report


def train_account_model(
    data_dir: Path,
    *,
    train_sets: tuple[str, ...] = SETS,
    n_boot: int = 1000,
    progress: Progress = lambda _: None,
) -> tuple[AccountModel, AccountReport]:
    """The shipped model on `train_sets` (the Kaggle test split stays out) and its report.

    ig_PD states no licence; the issue trains on it. Pass ("instafake", "kaggle") to keep it
    for evaluation only (docs/decisions/0003)."""
    if unknown := set(train_sets) - set(SETS):
        raise InvalidInput(f"expected training sets among {SETS}, got {sorted(unknown)}")
    sets = load_sets(data_dir)
    report = evaluate(sets, n_boot=n_boot, progress=progress)
    progress("accounts: fitting the shipped model on " + ", ".join(train_sets))
    model = _fit([sets[n] for n in train_sets])
    report.train_sizes = {n: len(sets[n]) for n in train_sets}
    return model, report
