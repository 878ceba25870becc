"""`creatormatch users create|list|remove`: the people of a tenant who sign in to the page.

A password is asked for twice at the terminal, or read from the first line of standard input
with `--password-stdin` (for scripts); it is never echoed, printed or logged, and only its
scrypt hash is kept.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from creatormatch.cli import home_of

if TYPE_CHECKING:
    from creatormatch.store import UserStore, Workspace


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("users", help="create, list and remove users who sign in to the page")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    create = verbs.add_parser("create", help="a user of a tenant, with a password")
    create.add_argument("--tenant", required=True, help="whose shortlists and campaigns they see")
    create.add_argument("--email", required=True, help="what they sign in with")
    create.add_argument(
        "--password-stdin", action="store_true",
        help="read the password from the first line of standard input instead of asking",
    )  # fmt: skip
    create.set_defaults(func=run_create)
    listing = verbs.add_parser("list", help="users (emails, tenants; never passwords)")
    listing.add_argument("--tenant", default=None, help="only this tenant's")
    listing.set_defaults(func=run_list)
    remove = verbs.add_parser("remove", help="delete a user and end their sessions")
    remove.add_argument("--email", required=True)
    remove.set_defaults(func=run_remove)


def _open(args: argparse.Namespace) -> tuple[Workspace, UserStore]:
    from creatormatch.store import UserStore, Workspace

    workspace = Workspace.of(home_of(args))
    return workspace, UserStore(workspace)


def _flagged(flag: str, check: Callable[[str], str], value: str) -> str:
    """`check(value)`, its error prefixed with the flag that gave the value."""
    from creatormatch.core import InvalidInput

    try:
        return check(value)
    except InvalidInput as error:
        raise InvalidInput(f"{flag}: {error}") from None


def _password(args: argparse.Namespace) -> str:
    from creatormatch.core import InvalidInput

    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    if getpass.getpass("again: ") != first:
        raise InvalidInput("--password: the two passwords typed differ")
    return first


def run_create(args: argparse.Namespace) -> int:
    from creatormatch.store import check_email, check_password, check_tenant

    flag = "--password-stdin" if args.password_stdin else "--password"
    tenant = _flagged("--tenant", check_tenant, args.tenant)
    email = _flagged("--email", check_email, args.email)
    password = _flagged(flag, check_password, _password(args))
    workspace, users = _open(args)
    try:
        user = users.create(tenant, email, password)
    finally:
        workspace.close()
    print(f"user {user.email} of tenant {user.tenant} created; they sign in on the page")
    return 0


def run_list(args: argparse.Namespace) -> int:
    workspace, users = _open(args)
    try:
        found = users.users(args.tenant)
    finally:
        workspace.close()
    for user in found:
        print(f"{user.email}\t{user.tenant}\tcreated {user.created_at}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    workspace, users = _open(args)
    try:
        user = users.remove(args.email)
    finally:
        workspace.close()
    print(f"removed user {user.email} of tenant {user.tenant}; their sessions have ended")
    return 0
