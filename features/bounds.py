"""The bounds every input model shares (brief, creator record, outcome, API request), in one
place so that `creatormatch ingest`, the CLI's flags and the API refuse the same things, each
refusal naming its field:

- every input model is an `InputModel`: unknown fields are refused (a flood of them in one
  error, not one per key), and floats are finite (`allow_inf_nan=False`), so `NaN` and
  `Infinity` (which Python's JSON parser accepts) never reach SQLite JSON or a model;
- integers fit SQLite's signed 64 bits (`Count`: 0 ≤ x ≤ 2**63 − 1), money stays below
  `MAX_MONEY`, so sums of prices or spends stay finite;
- lists and maps are capped far above what a real creator or brief has (the `MAX_*` below and
  the literal choices: at most one of each age bucket, gender, platform and tier). A map's size
  is checked before its entries are (`at_most`), so an oversized one costs one error, not one
  per entry.
"""

from __future__ import annotations

from typing import Annotated, Any, Final, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

Platform = Literal["instagram", "tiktok", "youtube"]
AgeBucket = Literal["13-17", "18-24", "25-34", "35-44", "45-54", "55+"]
Gender = Literal["female", "male", "other"]
Tier = Literal["nano", "micro", "macro", "mega"]

MAX_INTEGER: Final = 2**63 - 1  # SQLite INTEGER, numpy int64
MAX_MONEY: Final = 1e12  # a price, budget or spend; 10,000 of them still sum to a finite float
MAX_COUNTRIES: Final = 300  # ISO 3166-1 has 249 codes
MAX_INTERESTS: Final = 200  # audience interest shares (the taxonomy has 16)
MAX_CATEGORIES: Final = 50
MAX_HASHTAGS: Final = 100  # per post; Instagram allows 30
MAX_POSTS: Final = 1_000  # recent posts of one creator
MAX_SERIES_DAYS: Final = 3_660  # ten years of the daily follower series
MAX_COMMENTS: Final = 20_000  # sampled comments of one creator
MAX_SAMPLE: Final = 10_000  # sampled follower or commenter accounts of one creator
MAX_UNKNOWN_FIELDS: Final = 20  # more than this many unknown keys are refused in one error
MAX_LANGUAGES: Final = 20
MAX_EXCLUDED: Final = 10_000

Count = Annotated[int, Field(ge=0, le=MAX_INTEGER)]
Money = Annotated[float, Field(ge=0.0, le=MAX_MONEY)]
PositiveMoney = Annotated[float, Field(gt=0.0, le=MAX_MONEY)]
Weight = Annotated[float, Field(ge=0.0, le=1.0)]


def at_most(cap: int) -> BeforeValidator:
    """A map of more than `cap` entries is refused before any entry is validated."""

    def check(value: Any) -> Any:
        if isinstance(value, dict) and len(value) > cap:
            raise PydanticCustomError(
                "too_long",
                "expected at most {cap} entries, got {got}",
                {"cap": cap, "got": len(value)},
            )
        return value

    return BeforeValidator(check)


def one_each(choices: Any) -> Any:
    """A list of literal choices: at most one of each."""
    return Field(default_factory=list, max_length=len(get_args(choices)))


CountryCode = Annotated[str, Field(min_length=2, max_length=8)]


class InputModel(BaseModel):
    """What every input model shares: frozen, finite floats, no unknown fields."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _not_a_flood_of_keys(cls, data: Any) -> Any:
        """330,000 unknown keys were 330,000 errors: 1.4 s to build, on the event loop."""
        # Runs for every nested object (~200 per creator record): the cheap test first, as
        # reading `model_fields` costs more than the rest of the check.
        if (
            isinstance(data, dict)
            and len(data) > MAX_UNKNOWN_FIELDS
            and len(data) > len(cls.model_fields) + MAX_UNKNOWN_FIELDS
        ):
            raise PydanticCustomError(
                "too_many_fields",
                "expected at most the {known} fields of {model}, got {got} keys",
                {"known": len(cls.model_fields), "model": cls.__name__, "got": len(data)},
            )
        return data
