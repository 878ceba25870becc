"""The command line refuses a brief the API would refuse: exit code 2 and one line that names the
flag (`--countries`, `--brief`, `--k` …), never the Brief's internal field name."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from creatormatch.cli import main
from creatormatch.core import get_settings


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A home with nothing in it: a refused brief is refused before any home is read."""
    monkeypatch.setenv("CREATORMATCH_EMBEDDER", "hashing")
    get_settings.cache_clear()
    yield tmp_path / "home"
    get_settings.cache_clear()
    gc.unfreeze()  # a one-shot command freezes what it loaded


@pytest.mark.parametrize(
    ("countries", "says"),
    [
        ("XX:2", "--countries: weight 2 of XX must be between 0 and 1"),
        ("US:0.5,gb:1.5", "--countries: weight 1.5 of GB must be between 0 and 1"),
        ("US:-0.1", "--countries: weight -0.1 of US must be between 0 and 1"),
        ("US:abc", "--countries: expected COUNTRY:WEIGHT, got 'US:abc' (the weight is not a"),
        ("US:", "--countries: expected COUNTRY:WEIGHT, got 'US:' (the weight is not a number)"),
        (":0.5", "--countries: expected COUNTRY:WEIGHT, got ':0.5' (no country)"),
        ("US,GB:0.5", "--countries: expected a weight for every country or none, got 'US,GB:0.5'"),
        ("US:0.5,us:0.5", "--countries: expected each country once, got US twice"),
        ("US:inf", "--countries: expected finite weights, got inf for US"),
    ],
)
@pytest.mark.parametrize("command", [["shortlist", "--brief", "yoga"], ["similar", "c001"]])
def test_a_malformed_or_out_of_range_country_weight_exits_2_naming_code_and_weight(
    home: Path, capsys: pytest.CaptureFixture[str], command: list[str], countries: str, says: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--home", str(home), *command, "--countries", countries])
    assert exit_.value.code == 2
    assert says in capsys.readouterr().err


@pytest.mark.parametrize(
    ("flags", "says"),
    [
        (("--brief", ""), "--brief: String should have at least 1 character (got '')"),
        (("--brief", "x" * 4_001), "--brief: String should have at most 4000 characters"),
        (("--k", "0"), "--k: Input should be greater than or equal to 1 (got 0)"),
        (("--k", "201"), "--k: Input should be less than or equal to 200 (got 201)"),
        (("--budget", "0"), "--budget: Input should be greater than 0 (got 0.0)"),
        (("--price-cap", "-5"), "--price-cap: Input should be greater than 0 (got -5.0)"),
        (("--min-er", "1.5"), "--min-er: Input should be less than or equal to 1 (got 1.5)"),
        (("--max-fraud=-0.1",), "--max-fraud: Input should be greater than or equal to 0"),
        (("--ages", "18-24,99-100"), "--ages: Input should be '13-17', '18-24'"),
        (("--genders", "f,x"), "--genders: Input should be 'female', 'male' or 'other'"),
        (("--platforms", "myspace"), "--platforms: Input should be 'instagram', 'tiktok'"),
        (("--tiers", "giant"), "--tiers: Input should be 'nano', 'micro', 'macro' or 'mega'"),
        (("--countries", "X:0.5"), "--countries X: String should have at least 2 characters"),
        (("--languages", ",".join(f"l{i}" for i in range(21))), "--languages: List should have"),
        (("--interests", ",".join(f"i{i}" for i in range(17))), "--interests: List should have"),
    ],
)
def test_a_value_the_brief_refuses_exits_2_with_one_line_naming_the_flag(
    home: Path, capsys: pytest.CaptureFixture[str], flags: tuple[str, ...], says: str
) -> None:
    assert main(["--home", str(home), "shortlist", "--brief", "yoga", *flags]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"creatormatch: error: {says}") and err.count("\n") == 1, err
    internal = ("text:", "min_engagement", "max_fraud", "price_cap")
    assert not any(name in err for name in internal), err


def test_an_empty_creator_id_of_similar_is_named_as_the_argument(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--home", str(home), "similar", ""]) == 2
    assert capsys.readouterr().err.startswith("creatormatch: error: creator_id: String should")


def test_many_refused_values_are_one_line_of_at_most_ten_and_a_count(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    countries = ",".join(f"{chr(65 + i)}:0.1" for i in range(12))  # twelve one-letter codes
    assert main(["--home", str(home), "shortlist", "--brief", "", "--countries", countries]) == 2
    err = capsys.readouterr().err
    assert err.startswith("creatormatch: error: --brief: ") and err.count("\n") == 1
    assert err.count("--countries ") == 9 and err.rstrip().endswith("… and 3 more")


def test_a_valid_brief_gets_past_its_checks_to_the_home(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flags = ["--countries", "us:0.6,GB:0.4", "--ages", "18-24", "--genders", "f", "--k", "5"]
    assert main(["--home", str(home), "shortlist", "--brief", "yoga mats", *flags]) == 2
    assert capsys.readouterr().err.startswith(f"creatormatch: error: no catalog in {home}")
