"""`creatormatch keys create|revoke|list|sign-artifacts`: API keys of the HTTP API, one tenant
and one scope per key, and the home's key that signs its artifacts."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from creatormatch.cli import home_of

if TYPE_CHECKING:
    from creatormatch.store import TenantStore


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser("keys", help="create, revoke and list API keys")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    create = verbs.add_parser("create", help="print a new key (last line); only its hash is kept")
    create.add_argument("--tenant", required=True, help="who the key acts for")
    create.add_argument(
        "--scope", choices=("read", "write"), default="read",
        help="read (default): everything for its tenant, reading the shared creator catalog; "
        "write: also create, overwrite and delete creators in it",
    )  # fmt: skip
    create.set_defaults(func=run_create)
    revoke = verbs.add_parser("revoke", help="revoke a key by its id or by the key itself")
    revoke.add_argument("key", metavar="KEY_ID_OR_KEY")
    revoke.set_defaults(func=run_revoke)
    listing = verbs.add_parser("list", help="key ids, tenants, states, scopes (never the keys)")
    listing.set_defaults(func=run_list)
    sign = verbs.add_parser(
        "sign-artifacts",
        help="sign this home's index and models with its key, after checking their files "
        "against their manifests: only for files you know are this home's own (a home "
        "published before artifacts were signed)",
    )
    sign.set_defaults(func=run_sign)


def _store(args: argparse.Namespace) -> TenantStore:
    from creatormatch.store import TenantStore

    return TenantStore.of(home_of(args))


def run_create(args: argparse.Namespace) -> int:
    store = _store(args)
    try:
        record, key = store.create_key(args.tenant, scope=args.scope)
    finally:
        store.close()
    print(
        f"key {record.key_id} for tenant {record.tenant} (scope {record.scope}); store it now, "
        "it is not shown again:"
    )
    print(key)
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    store = _store(args)
    try:
        record = store.revoke(args.key)
    finally:
        store.close()
    print(f"revoked key {record.key_id} of tenant {record.tenant} at {record.revoked_at}")
    return 0


def run_list(args: argparse.Namespace) -> int:
    store = _store(args)
    try:
        keys = store.keys()
    finally:
        store.close()
    for key in keys:
        state = f"revoked {key.revoked_at}" if key.revoked_at else "active"
        print(f"{key.key_id}\t{key.tenant}\tcreated {key.created_at}\t{state}\tscope {key.scope}")
    return 0


def run_sign(args: argparse.Namespace) -> int:
    from creatormatch.core import adopt

    signed = adopt(home_of(args))
    for directory in signed:
        print(f"signed {directory}")
    if not signed:
        print("nothing published in this home: nothing to sign")
    return 0
