"""`creatormatch evaluate matching` runs the parts and brief sets asked for, and refuses others."""

from __future__ import annotations

from pathlib import Path

import pytest

from creatormatch.cli import main


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--on", "kim,nope"], "expected --on from kim, youtube, world, campaigns, got 'kim,nope'"),
        (["--on", ","], "expected --on from kim, youtube, world, campaigns"),
        (["--on", "kim", "--briefs", "docs/briefs/kim-none.json"], "found no docs/briefs/kim-none"),
        (["--on", "kim", "--creators", "-1"], "expected --creators >= 0"),
    ],
)
def test_a_wrong_evaluation_request_exits_2_naming_what_it_expected(
    args: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evaluate", "matching", *args]) == 2
    assert says in capsys.readouterr().err


def test_briefs_of_another_part_are_not_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Only YouTube sets are named, so the Kim part has nothing to run and reads no data.
    code = main([
        "evaluate", "matching", "--on", "kim", "--data", str(tmp_path),
        "--briefs", "docs/briefs/youtube-natural-dev.json",
    ])  # fmt: skip
    assert code == 0
    assert capsys.readouterr().out == ""
