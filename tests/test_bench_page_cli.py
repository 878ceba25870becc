"""`creatormatch bench page` refuses what it cannot measure before it builds anything: one line
naming the flag, exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from creatormatch.cli import main


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--creators", "10"], "expected --creators >= the largest --k (200), got 10"),
        (["--creators", "40", "--k", "20", "50"], "the largest --k (50), got 40"),
        (["--chromium", "/nonexistent/chromium"], "expected --chromium PATH naming an executable"),
        (["--chromedriver", "/nonexistent/driver"], "expected --chromedriver PATH"),
    ],
)
def test_bench_page_names_the_flag_it_cannot_use_and_exits_2(
    flags: list[str], message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "bench-home"
    assert main(["bench", "page", "--bench-home", str(home), *flags]) == 2
    assert message in capsys.readouterr().err
    assert not home.exists()  # nothing built
