"""The drift monitor's report: `monitor.json` (what /metrics exposes), `monitor.md` and the plots,
written together into `<home>/reports/monitor/`."""

from __future__ import annotations

import json
from pathlib import Path

from creatormatch.core import write_atomic
from creatormatch.training.markdown import pipe_table
from creatormatch.training.monitor import KINDS, RESULT, Check, MonitorResult
from creatormatch.training.monitor_plots import write_monitor_plots

TITLES = {
    "feature": "Features (catalog)",
    "score": "Model scores",
    "evidence": "Creators missing evidence",
    "embedding": "Embeddings (cosine to the training centroid)",
}
NEXT_STEP = {
    "ok": "Nothing moved past the thresholds.",
    "watch": "Something moved; not enough to retrain for. Look again at the next run.",
    "drift": "Exit code 1: retrain with `creatormatch train` (its gates still decide whether "
    "the new models serve), or find what changed upstream first (a scraper, a new market).",
}


def _value(value: float | None, digits: str = ".3g") -> str:
    return "–" if value is None or value != value else format(value, digits)


def _rows(kind: str, checks: list[Check]) -> list[list[str]]:
    if kind == "evidence":
        return [
            [c.name, c.status, _value(c.reference, ".3f"), _value(c.current, ".3f"), c.note]
            for c in checks
        ]
    return [
        [c.name, c.status, _value(c.psi, ".3f"), _value(c.ks, ".3f"),
         _value(c.reference), _value(c.current), c.note]
        for c in checks
    ]  # fmt: skip


def _table(kind: str, checks: list[Check]) -> str:
    header = (
        ["evidence", "status", "share at training", "share today", "note"]
        if kind == "evidence"
        else [kind, "status", "PSI", "KS", "median at training", "median today", "note"]
    )
    return "\n".join(pipe_table(header, _rows(kind, checks)))


def monitor_page(result: MonitorResult, plots: list[Path]) -> str:
    t = result.thresholds
    counts = ", ".join(f"{len(result.failing(s))} {s}" for s in ("drift", "watch", "ok"))
    sections = [
        f"# Drift monitor: {result.status}",
        f"Run {result.created} on {result.creators} creators, against the training snapshot of "
        f"{result.snapshot['created']} ({result.snapshot['creators']} creators). {counts}.",
        NEXT_STEP[result.status],
        f"Thresholds: PSI > {t.psi_drift} is drift, > {t.psi_watch} watch; a share of creators "
        f"missing evidence that rose by more than {t.missing_drift} is drift, by more than half "
        "of that watch. KS is reported, not judged (docs/decisions/0017).",
        *(f"Note: {note}." for note in result.notes),
    ]
    for kind in KINDS:
        checks = [c for c in result.checks if c.kind == kind]
        if checks:
            sections += [f"## {TITLES[kind]}", _table(kind, checks)]
    sections += ["## Plots", "\n".join(f"![{p.stem}]({p.name})" for p in plots)]
    return "\n\n".join(sections) + "\n"


def write_monitor_report(result: MonitorResult, out_dir: Path) -> list[Path]:
    """monitor.json, the plots and monitor.md in `out_dir`; their paths (the JSON first). The
    JSON is written last, atomically: /metrics never reads a half-written run."""
    out_dir.mkdir(parents=True, exist_ok=True)
    plots = write_monitor_plots(result.checks, result.thresholds, out_dir)
    page = out_dir / "monitor.md"
    page.write_text(monitor_page(result, plots), encoding="utf-8")
    data = json.dumps(result.to_json(), indent=2, allow_nan=False).encode()
    write_atomic(out_dir / RESULT, data)
    return [out_dir / RESULT, *plots, page]
