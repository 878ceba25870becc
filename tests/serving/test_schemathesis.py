"""Property-based requests from the OpenAPI schema: ≥ 1,000 of them, not one server error.

Schemathesis generates valid and invalid requests for every operation; each is sent through the
real app (lifespan run, snapshot loaded) with a valid key, and checked for server errors, for
status codes the schema documents and for responses that match their schema.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import hypothesis.strategies as st
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from creatormatch.core import Home, Settings
from creatormatch.serving import create_app
from tests.serving.conftest import copy_home, make_keys, settings_of, train_small_models

pytestmark = pytest.mark.slow

EXAMPLES = 120  # per operation and mode; hypothesis drops duplicates, so aim above 1,000
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
SENT: list[str] = []


def _operations() -> list[str]:
    app = create_app(Settings(home=Path("unused"), embedder="hashing"))
    spec = schemathesis.openapi.from_dict(app.openapi())
    return sorted(op.ok().label for op in spec.get_all_operations())


@pytest.fixture(scope="module")
def served(hashing_home: Home, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    home = copy_home(hashing_home, Path(tmp_path_factory.mktemp("fuzz")) / "home")
    train_small_models(home)  # every route can answer 200: the fraud and account models exist
    app = create_app(settings_of(home, rate_per_s=1e6, burst=1_000_000))
    key = make_keys(home).acme
    with TestClient(app):  # runs the lifespan once; every generated call reuses the snapshot
        yield app, schemathesis.openapi.from_asgi("/openapi.json", app), key


@pytest.mark.parametrize("label", _operations())
def test_no_generated_request_gets_a_server_error(served: tuple, label: str) -> None:
    app, spec, key = served
    assert isinstance(app, FastAPI)
    operation = next(op.ok() for op in spec.get_all_operations() if op.ok().label == label)
    strategy = st.one_of(*(operation.as_strategy(generation_mode=mode) for mode in MODES))

    @given(case=strategy)
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
              database=None)  # fmt: skip
    def check(case: schemathesis.Case) -> None:
        SENT.append(label)
        case.call_and_validate(headers={"Authorization": f"Bearer {key}"}, checks=CHECKS)

    check()


def test_at_least_1000_requests_were_generated() -> None:
    # The summary a CI log shows with `pytest -rA`: requests sent per operation.
    for label, count in sorted(Counter(SENT).items()):
        print(f"{count:>5}  {label}")
    print(f"{len(SENT):>5}  requests in all")
    assert len(SENT) >= 1_000, f"expected at least 1,000 generated requests, got {len(SENT)}"
