"""A LightGBM booster's trees compiled to machine code (lleaves), for request-sized predictions.

A shortlist asks the conversion model about its on-topic candidates, often several hundred rows
of 300 trees. LightGBM walks them row by row through generic node records: 4.2-4.7 ms for 600
rows, about a quarter of a whole API request's instructions. The same trees compiled run in
0.45-0.7 ms and give the same raw scores to within 1e-14 (docs/decisions/0025).
"""

from __future__ import annotations

import logging
import tempfile
from functools import lru_cache
from pathlib import Path

import lightgbm as lgb
import numpy as np
import numpy.typing as npt

log = logging.getLogger("creatormatch.models")


PROBE_ROWS = 512
# Raw scores are sums of a few hundred leaf values: compiled code adds them in another order,
# which moves the last bits (5e-15 measured), never more.
TOLERANCE = 1e-9


class CompiledTrees:
    """Raw scores of one booster's trees, as `lgb.Booster.predict(raw_score=True)` gives them."""

    def __init__(self, model_text: str) -> None:
        # Imported here: lleaves and LLVM take ~120 ms to import, which every command that
        # touches a model would pay, and only a server compiles.
        import lleaves

        # lleaves reads a model file only; the text is written where nobody else looks.
        with tempfile.TemporaryDirectory(prefix="creatormatch-trees-") as folder:
            path = Path(folder) / "model.txt"
            path.write_text(model_text)
            self.model = lleaves.Model(model_file=str(path))
            self.model.compile(raw_score=True)

    def predict_raw(self, values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """(n,) raw scores of (n, features) `values`, on the calling thread."""
        return np.asarray(self.model.predict(np.ascontiguousarray(values), n_jobs=1))


def compiled_trees(booster: lgb.Booster) -> CompiledTrees | None:
    """`booster` compiled, or None (logged) where lleaves cannot compile it or its answers on
    probe rows differ from LightGBM's: LightGBM then predicts as before, slower.

    The probe is not a formality: lleaves compiles a `linear_tree` model without complaint and
    misses its raw scores by 0.45.
    """
    try:
        compiled = _compile(booster.model_to_string())
    except Exception as error:  # any compiler failure leaves LightGBM serving
        log.warning("trees not compiled, LightGBM predicts: %s", error)
        return None
    rows = probe_rows(booster)
    expected = np.asarray(booster.predict(rows, raw_score=True, num_threads=1), dtype=np.float64)
    miss = float(
        np.max(np.abs(compiled.predict_raw(rows) - expected) / np.maximum(1, abs(expected)))
    )
    if not miss <= TOLERANCE:
        log.warning("compiled trees miss LightGBM's raw scores by %.3g, LightGBM predicts", miss)
        return None
    return compiled


def probe_rows(booster: lgb.Booster, rows: int = PROBE_ROWS) -> npt.NDArray[np.float64]:
    """(rows, features) values across each feature's training range and a little beyond it, one
    in twenty missing, and the categories a categorical feature has seen."""
    rng = np.random.default_rng(0)
    infos = booster.dump_model(num_iteration=1)["feature_infos"]
    columns = []
    for name in booster.feature_name():
        info = infos.get(name, {})
        if info.get("values"):
            column = rng.choice(np.asarray(info["values"], dtype=np.float64), rows)
        else:
            low, high = float(info.get("min_value", 0.0)), float(info.get("max_value", 1.0))
            margin = 0.1 * (high - low) + 1e-3
            column = rng.uniform(low - margin, high + margin, rows)
        column[rng.random(rows) < 0.05] = np.nan
        columns.append(column)
    return np.column_stack(columns)


# A server reloads every model when another one is promoted: the same text is not compiled
# again (3-5 s each time), and the few last models are all a reload can come back to.
@lru_cache(maxsize=4)
def _compile(model_text: str) -> CompiledTrees:
    return CompiledTrees(model_text)
