"""Account profile fields: each data set's columns → canonical columns → model features.

Canonical columns (the contract of the account model, any subset may be present): `username`,
`followers`, `following`, `posts`, `has_profile_pic`, `is_private`, `bio_length`,
`full_name_length`, `has_external_url`, also `username_length`, `username_digits` and
`username_digit_ratio` (the Kaggle set gives only the ratio). An absent column is missing (NaN),
never zero. What is not comparable across the public sets (docs/decisions/0003):
- Kaggle gives the full name as a WORD count, not a length: only "has a full name" is shared.
- Kaggle gives username digits as a ratio of the length, without the length.
- ig_PD's `has_pic` is ~0 for both classes (0.9 % of rows): it cannot mean what the others mean,
  so it is mapped to missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter

import numpy as np
import pandas as pd

from creatormatch.features.records import SampledAccount

COUNT_FIELDS = ("followers", "following", "posts", "bio_length", "full_name_length")
FLAG_FIELDS = ("has_profile_pic", "is_private", "has_external_url")
USERNAME_FIELDS = ("username_length", "username_digits", "username_digit_ratio")
NUMERIC_FIELDS = (*COUNT_FIELDS, *FLAG_FIELDS, *USERNAME_FIELDS)
ACCOUNT_FIELDS = ("username", *NUMERIC_FIELDS)
# The six fields every follower scrape has. No labelled set gives the username's text, only what
# it determines (length, digits), so those stand for it wherever the text is absent.
CORE_FIELDS = ("username", "followers", "following", "posts", "has_profile_pic", "is_private")
LABEL = "is_fake"
FEATURES = (
    "log_followers",
    "log_following",
    "log_posts",
    "log_following_per_follower",
    "log_posts_per_follower",
    "has_profile_pic",
    "is_private",
    "has_external_url",
    "log_bio_length",
    "has_bio",
    "has_full_name",
    "username_length",
    "username_digit_ratio",
)
# Fields that a real sample lacks together; the model is trained with each group blanked out.
FEATURE_GROUPS: dict[str, tuple[str, ...]] = {
    "followers": ("log_followers", "log_following_per_follower", "log_posts_per_follower"),
    "following": ("log_following", "log_following_per_follower"),
    "posts": ("log_posts", "log_posts_per_follower"),
    "picture": ("has_profile_pic",),
    "private": ("is_private",),
    "url": ("has_external_url",),
    "bio": ("log_bio_length", "has_bio"),
    "full_name": ("has_full_name",),
    "username": ("username_length", "username_digit_ratio"),
}
_TRUE = {"1", "true", "yes", "y", "t"}
_FALSE = {"0", "false", "no", "n", "f"}


def _canonical(columns: dict[str, pd.Series], label: pd.Series) -> pd.DataFrame:
    frame = pd.DataFrame({k: v.astype("float64") for k, v in columns.items()})
    frame[LABEL] = label.astype("int64").to_numpy()
    return frame.reset_index(drop=True)


def from_instafake(raw: pd.DataFrame) -> pd.DataFrame:
    """InstaFake JSON rows → canonical columns + `is_fake` (no full name, no external URL)."""
    return _canonical(
        {
            "followers": raw["userFollowerCount"],
            "following": raw["userFollowingCount"],
            "posts": raw["userMediaCount"],
            "has_profile_pic": raw["userHasProfilPic"],
            "is_private": raw["userIsPrivate"],
            "bio_length": raw["userBiographyLength"],
            "username_length": raw["usernameLength"],
            "username_digits": raw["usernameDigitCount"],
        },
        raw["isFake"],
    )


def from_kaggle(raw: pd.DataFrame) -> pd.DataFrame:
    """Kaggle CSV → canonical columns + `is_fake`; word count → has-a-name (length stays NaN)."""
    words = raw["fullname words"].astype("float64")
    return _canonical(
        {
            "followers": raw["#followers"],
            "following": raw["#follows"],
            "posts": raw["#posts"],
            "has_profile_pic": raw["profile pic"],
            "is_private": raw["private"],
            "bio_length": raw["description length"],
            "has_external_url": raw["external URL"],
            "username_digit_ratio": raw["nums/length username"],
            "has_full_name": (words > 0).astype("float64").where(words.notna()),
        },
        raw["fake"],
    )


def from_ig_pd(raw: pd.DataFrame) -> pd.DataFrame:
    """ig_PD CSV → canonical columns + `is_fake`; `has_pic` is not comparable (see module doc)."""
    return _canonical(
        {
            "followers": raw["num_followers"],
            "following": raw["num_followings"],
            "posts": raw["num_post"],
            "is_private": raw["is_private"],
            "bio_length": raw["bio_len"],
            "full_name_length": raw["full_name_len"],
            "username_length": raw["username_len"],
            "username_digits": raw["username_digits"],
        },
        raw["isFake"],
    )


def from_sampled(accounts: Sequence[SampledAccount]) -> pd.DataFrame:
    """Validated records → canonical columns; None stays NaN."""
    # Read column by column: a `model_dump` per account was 2/3 of audience-quality scoring.
    columns = ["username", *NUMERIC_FIELDS[:8]]
    rows = list(zip(*(map(attrgetter(c), accounts) for c in columns), strict=True))
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({c: "float64" for c in frame.columns if c != "username"})


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return pd.to_numeric(frame[name], errors="coerce").astype("float64")
    return pd.Series(np.nan, index=frame.index, dtype="float64")


def _username_parts(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(length, digit ratio) from numbers where given, else from the username text."""
    length, digits = _column(frame, "username_length"), _column(frame, "username_digits")
    ratio = _column(frame, "username_digit_ratio")
    if "username" in frame.columns:
        names = frame["username"].where(frame["username"].notna())
        names = names.astype("string").str.strip()
        names = names.where(names != "")
        length = length.fillna(names.str.len().astype("float64"))
        digits = digits.fillna(names.str.count(r"\d").astype("float64"))
    ratio = ratio.fillna(digits / length.where(length > 0))
    return length, ratio


def account_features(frame: pd.DataFrame) -> pd.DataFrame:
    """(n, len(FEATURES)) float64 from whatever canonical columns `frame` has; absent → NaN."""
    followers, following = _column(frame, "followers"), _column(frame, "following")
    posts, bio = _column(frame, "posts"), _column(frame, "bio_length")
    name_length = _column(frame, "full_name_length")
    has_name = _column(frame, "has_full_name").fillna((name_length > 0).where(name_length.notna()))
    length, ratio = _username_parts(frame)
    out = pd.DataFrame(
        {
            "log_followers": np.log1p(followers),
            "log_following": np.log1p(following),
            "log_posts": np.log1p(posts),
            "log_following_per_follower": np.log1p(following) - np.log1p(followers),
            "log_posts_per_follower": np.log1p(posts) - np.log1p(followers),
            "has_profile_pic": _column(frame, "has_profile_pic"),
            "is_private": _column(frame, "is_private"),
            "has_external_url": _column(frame, "has_external_url"),
            "log_bio_length": np.log1p(bio),
            "has_bio": (bio > 0).astype("float64").where(bio.notna()),
            "has_full_name": has_name.astype("float64"),
            "username_length": length,
            "username_digit_ratio": ratio,
        },
        index=frame.index,
    )
    return out.loc[:, list(FEATURES)]


def core_fields_only(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` without any profile field beyond CORE_FIELDS (and what the username determines);
    other columns, such as the label, are kept."""
    # `has_full_name` is the only name field the Kaggle set gives (`from_kaggle`).
    beyond = {*ACCOUNT_FIELDS, "has_full_name"} - {*CORE_FIELDS, *USERNAME_FIELDS}
    return frame.drop(columns=[c for c in frame.columns if c in beyond])


def fields_used(clean: pd.DataFrame) -> list[str]:
    """Canonical fields with a value in at least one row of `clean` (from `validated_accounts`),
    in canonical order: what the model could read of this sample."""
    present = []
    for name in ACCOUNT_FIELDS:
        if name not in clean.columns:
            continue
        values = clean[name]
        if name == "username":
            values = values.where(values.astype("string").str.strip() != "")
        if values.notna().any():
            present.append(name)
    return present


def _parse_flag(value: object) -> float | None:
    """1.0 / 0.0, NaN when blank, None when it is not a yes/no value."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    text = str(value).strip().lower()
    if text == "":
        return np.nan
    if text in _TRUE or text == "1.0":
        return 1.0
    return 0.0 if text in _FALSE or text == "0.0" else None


def _is_number_column(raw: pd.Series) -> bool:
    """A numpy bool, integer or float column (Parquet, JSON): no cell of it is text."""
    return isinstance(raw.dtype, np.dtype) and raw.dtype.kind in "biuf"


def _check_counts(frame: pd.DataFrame, name: str, problems: pd.Series) -> pd.Series:
    raw = frame[name]
    blank = raw.isna()
    if not _is_number_column(raw):
        blank |= raw.astype("string").str.strip() == ""
    values = pd.to_numeric(raw.where(~blank), errors="coerce").astype("float64")
    ratio = name == "username_digit_ratio"
    bad = ~blank & (values.isna() | ~np.isfinite(values) | (values < 0) | (ratio & (values > 1)))
    expected = "a number in [0, 1]" if ratio else "a non-negative number"
    problems[bad] += f"{name}: expected {expected}; "
    return values.where(~bad)


def _flags(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(`_parse_flag` of each cell as float, whether the cell is not a yes/no value).

    Batch scoring reads millions of rows: a number column is read as numbers (1 and 0 are flags;
    -0.0 is not, as its text "-0.0" is not), a text column parses each distinct text once, and
    only a column of mixed kinds goes cell by cell.
    """
    if _is_number_column(raw):
        values = raw.astype("float64")
        ok = values.isna() | (values == 1) | ((values == 0) & ~np.signbit(values))
        return values.where(ok), ~ok
    if pd.api.types.infer_dtype(raw, skipna=True) == "string":
        codes, texts = pd.factorize(raw)  # a missing cell gets code -1: the appended NaN
        flags = [_parse_flag(text) for text in texts]
        not_flag = np.array([f is None for f in flags] + [False])[codes]
        read = np.array([np.nan if f is None else f for f in flags] + [np.nan])[codes]
        return pd.Series(read, index=raw.index), pd.Series(not_flag, index=raw.index)
    parsed = raw.map(_parse_flag)
    bad = parsed.isna() & raw.map(lambda v: _parse_flag(v) is None)
    return parsed.where(~bad).astype("float64"), bad


def _check_flags(frame: pd.DataFrame, name: str, problems: pd.Series) -> pd.Series:
    parsed, bad = _flags(frame[name])
    problems[bad] += f"{name}: expected 0/1/true/false; "
    return parsed.where(~bad).astype("float64")


def validated_accounts(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """(canonical columns as float, with `username` kept; per-row problem text, "" when valid).

    Accepts text (e.g. a CSV read with dtype=str): blanks are missing, a value that is not a
    number, a negative count or a flag that is not yes/no is a problem for that row only.
    """
    problems = pd.Series("", index=frame.index, dtype="object")
    clean = pd.DataFrame(index=frame.index)
    if "username" in frame.columns:
        clean["username"] = frame["username"]
    for name in NUMERIC_FIELDS:
        if name in frame.columns:
            check = _check_flags if name in FLAG_FIELDS else _check_counts
            clean[name] = check(frame, name, problems)
    empty = account_features(clean).isna().all(axis=1) & (problems == "")
    problems[empty] = f"no profile field: expected at least one of {', '.join(ACCOUNT_FIELDS)}"
    return clean, problems.str.rstrip("; ")
