import math

import numpy as np
import pandas as pd

from creatormatch.features import Codes, Ragged, Shares

ALL = np.arange(4, dtype=np.intp)


def test_codes_mark_unknown_values_minus_one_and_never_match_them() -> None:
    codes = Codes.of(["a", None, "b", "a"])
    assert codes.codes.tolist() == [0, -1, 1, 0]
    assert codes.among(["a", "zzz"]).tolist() == [True, False, False, True]
    many = ["a", "b", "c", "d", "e", "f"]  # past the comparisons, through a lookup table
    assert codes.among(many).tolist() == [True, False, True, True]
    assert codes.among(["b"], np.array([2, 0], dtype=np.intp)).tolist() == [True, False]


def test_appended_codes_extend_the_vocabulary_and_keep_old_codes() -> None:
    codes = Codes.of(["a", "b"]).appended(pd.Series(["c", "a", pd.NA], dtype="string"))
    assert codes.codes.tolist() == [0, 1, 2, 0, -1]
    assert codes.vocabulary == {"a": 0, "b": 1, "c": 2}


def test_ragged_overlap_is_any_item_wanted_and_nan_for_empty_lists() -> None:
    lists = Ragged.of([["x", "y"], [], None, ["z"]])
    got = lists.overlap(ALL, ["y"])
    assert got[0] == 1.0 and math.isnan(got[1]) and math.isnan(got[2]) and got[3] == 0.0
    assert np.isnan(lists.overlap(ALL, [])).all()


def test_shares_sum_the_wanted_keys_and_stay_unknown_without_a_block() -> None:
    shares = Shares.of([{"US": 0.5, "GB": 0.25}, None, {}, {"BR": 1.0}])
    got = shares.inside(ALL, ["US", "GB", "FR"])
    assert got[0] == 0.75 and math.isnan(got[1]) and math.isnan(got[2]) and got[3] == 0.0
    assert np.isnan(shares.inside(ALL, [])).all()
