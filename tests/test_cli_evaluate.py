"""`creatormatch evaluate matching` runs the parts and brief sets asked for, and refuses others."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from creatormatch.cli import main
from creatormatch.cli.evaluate import brief_files


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


def test_the_worlds_development_briefs_run_only_when_named() -> None:
    # By default the world part judges the held-out world, where its development set must not run.
    default = brief_files(argparse.Namespace(briefs=None), "world")
    assert Path("docs/briefs/world-natural.json") in default
    assert all(not p.stem.endswith("-dev") for p in default)
    assert brief_files(argparse.Namespace(briefs=None), "kim")[0].name == "kim-dev.json"
    named = [Path("docs/briefs/world-natural-dev.json")]
    assert brief_files(argparse.Namespace(briefs=named), "world") == named
