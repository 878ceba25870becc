"""`creatormatch users`: a tenant's users made from the command line sign in with their
password; bad input is one line naming the flag, exit code 2; the password is never printed."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from creatormatch.cli import main
from creatormatch.core import Home
from creatormatch.store import UserStore, Workspace

PASSWORD = "a long passphrase"


def _users(home: Path, *args: str) -> int:
    return main(["--home", str(home), "users", *args])


def _signs_in(home: Path, email: str, password: str) -> bool:
    workspace = Workspace.of(Home(home))
    try:
        return UserStore(workspace).sign_in(email, password, ttl_s=60) is not None
    finally:
        workspace.close()


def test_a_user_made_with_password_stdin_signs_in_and_is_listed_never_the_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    create = ["create", "--tenant", "acme", "--email", "ana@acme.test", "--password-stdin"]
    assert _users(tmp_path, *create) == 0
    assert _signs_in(tmp_path, "ana@acme.test", PASSWORD)
    assert not _signs_in(tmp_path, "ana@acme.test", PASSWORD + "!")
    assert _users(tmp_path, "list", "--tenant", "acme") == 0
    out = capsys.readouterr().out
    assert "ana@acme.test\tacme" in out and PASSWORD not in out
    assert _users(tmp_path, "remove", "--email", "ana@acme.test") == 0
    assert not _signs_in(tmp_path, "ana@acme.test", PASSWORD)


def test_the_password_is_asked_twice_at_the_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = iter([PASSWORD, PASSWORD + " typo"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    assert _users(tmp_path, "create", "--tenant", "acme", "--email", "ana@acme.test") == 2
    assert "--password: the two passwords typed differ" in capsys.readouterr().err
    answers = iter([PASSWORD, PASSWORD])
    assert _users(tmp_path, "create", "--tenant", "acme", "--email", "ana@acme.test") == 0
    assert _signs_in(tmp_path, "ana@acme.test", PASSWORD)


@pytest.mark.parametrize(
    "flags, stdin, message",
    [
        (["--tenant", "acme", "--email", "not-an-email"], PASSWORD, "--email: expected an email"),
        (["--tenant", "a b", "--email", "a@b.co"], PASSWORD, "--tenant: expected a tenant name"),
        (["--tenant", "acme", "--email", "a@b.co"], "short", "--password-stdin: expected a "
         "password of 8 to 1024 characters, got 5"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_naming_the_flag_and_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    flags: list[str],
    stdin: str,
    message: str,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin + "\n"))
    assert _users(tmp_path, "create", *flags, "--password-stdin") == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1 and PASSWORD not in err


def test_an_email_in_use_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for tenant, code in (("acme", 0), ("globex", 2)):
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        create = ["create", "--tenant", tenant, "--email", "ana@acme.test", "--password-stdin"]
        assert _users(tmp_path, *create) == code
