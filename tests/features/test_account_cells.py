"""Account cells read the same whatever their column's type: numbers (Parquet, JSON), text (CSV)
or a mix, each read by the one yes/no rule."""

import numpy as np
import pandas as pd
import pytest

from creatormatch.features import validated_accounts

FLAG_TEXTS = ["1", " TRUE ", "no", "", "maybe", None, "0.0", "1.0", "Y", "-0.0", "nan", "f"]
FLAG_VALUES = [1.0, 1.0, 0.0, np.nan, None, np.nan, 0.0, 1.0, 1.0, None, None, 0.0]  # None: bad


def test_text_flags_follow_the_yes_no_rule_cell_by_cell() -> None:
    frame = pd.DataFrame({"is_private": np.array(FLAG_TEXTS * 3, dtype=object)})
    clean, problems = validated_accounts(frame)
    bad = [v is None for v in FLAG_VALUES] * 3
    assert (problems.str.contains("is_private: expected 0/1/true/false") == bad).all()
    expected = [np.nan if v is None else v for v in FLAG_VALUES] * 3
    np.testing.assert_array_equal(clean["is_private"].to_numpy(), expected)


@pytest.mark.parametrize(
    "cells",
    [
        np.array([1.0, 0.0, -0.0, np.nan, 2.0, np.inf, 1.0]),  # -0.0 reads "-0.0": not a flag
        np.array([1, 0, -1, 2, 0]),
        np.array([True, False, True]),
    ],
)
def test_number_columns_read_as_the_same_cells_given_one_by_one(cells: np.ndarray) -> None:
    typed = pd.DataFrame({"has_profile_pic": cells, "followers": cells})
    mixed = typed.astype(object)
    mixed.loc[len(mixed)] = ["yes", "12"]  # a text cell: the column is read cell by cell
    clean, problems = validated_accounts(typed)
    clean_mixed, problems_mixed = validated_accounts(mixed)
    pd.testing.assert_frame_equal(clean, clean_mixed.iloc[:-1])
    pd.testing.assert_series_equal(problems, problems_mixed.iloc[:-1])
    assert problems_mixed.iloc[-1] == "" and clean_mixed["has_profile_pic"].iloc[-1] == 1.0
