"""Body cap → 413, per-key rate → 429 with Retry-After, requests in flight → 503."""

import asyncio
from pathlib import Path

import pytest
from pydantic import ValidationError

from creatormatch.core import Home, RateLimited, Settings
from creatormatch.serving import ConcurrencyLimit, RateLimiter
from tests.serving.conftest import Keys, bearer, error_of, open_client


def test_a_body_over_the_cap_is_413(home: Home, keys: Keys) -> None:
    with open_client(home, max_body_bytes=1_000) as client:
        big = {"brief": "x" * 2_000}
        response = client.post("/v1/shortlists", json=big, headers=bearer(keys.acme))
        assert "at most 1000 bytes" in error_of(response, 413, "PayloadTooLarge")["message"]


def test_a_chunked_body_over_the_cap_is_413(home: Home, keys: Keys) -> None:
    chunks = (b'{"brief": "' + b"x" * 600, b"x" * 600 + b'"}')
    with open_client(home, max_body_bytes=1_000) as client:
        response = client.post(
            "/v1/shortlists", content=iter(chunks),
            headers={**bearer(keys.acme), "Content-Type": "application/json"},
        )  # fmt: skip
        error_of(response, 413, "PayloadTooLarge")


def test_a_chunked_body_under_the_cap_is_served(home: Home, keys: Keys) -> None:
    chunks = (b'{"brief": "pasta', b' recipes", "k": 2}')
    with open_client(home) as client:
        response = client.post(
            "/v1/shortlists", content=iter(chunks),
            headers={**bearer(keys.acme), "Content-Type": "application/json"},
        )  # fmt: skip
        assert response.status_code == 200 and len(response.json()["items"]) == 2


def test_a_key_over_its_rate_gets_429_with_retry_after_and_others_do_not(
    home: Home, keys: Keys
) -> None:
    with open_client(home, rate_per_s=0.5, burst=2) as client:
        codes = [client.get("/v1/models", headers=bearer(keys.acme)).status_code for _ in range(2)]
        assert codes == [200, 200]
        response = client.get("/v1/models", headers=bearer(keys.acme))
        assert "rate limit" in error_of(response, 429, "RateLimited")["message"]
        assert response.headers["Retry-After"] == "2"
        assert client.get("/v1/models", headers=bearer(keys.globex)).status_code == 200


def test_the_token_bucket_refills_at_its_rate() -> None:
    limiter = RateLimiter(rate_per_s=2.0, burst=1)
    limiter.take("k", now=0.0)
    with pytest.raises(RateLimited, match=r"retry in 0\.50 s"):
        limiter.take("k", now=0.0)
    limiter.take("k", now=0.5)


def test_requests_past_the_concurrency_cap_get_503_with_retry_after() -> None:
    release = asyncio.Event()
    sent: list[dict] = []

    async def slow_app(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        await release.wait()

    async def send(message: dict) -> None:
        sent.append(message)

    async def scenario() -> None:
        limit = ConcurrencyLimit(slow_app, max_in_flight=1)
        scope = {"type": "http", "path": "/v1/shortlists", "method": "POST", "headers": []}
        first = asyncio.create_task(limit(scope, None, send))  # type: ignore[arg-type]
        await asyncio.sleep(0)
        await limit(scope, None, send)  # type: ignore[arg-type]
        release.set()
        await first
        assert limit.in_flight == 0

    asyncio.run(scenario())
    start = sent[0]
    assert start["status"] == 503
    assert (b"retry-after", b"1") in start["headers"]
    assert b'"type":"Overloaded"' in sent[1]["body"]


def test_the_limits_are_settings_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    values = {"MAX_BODY_BYTES": "1000", "RATE_PER_S": "0.5", "BURST": "2", "MAX_IN_FLIGHT": "8",
              "RELOAD_INTERVAL_S": "0"}  # fmt: skip
    for name, value in values.items():
        monkeypatch.setenv(f"CREATORMATCH_{name}", value)
    got = Settings()
    limits = (got.max_body_bytes, got.rate_per_s, got.burst, got.max_in_flight)
    assert limits == (1000, 0.5, 2, 8) and got.reload_interval_s == 0


def test_the_limits_keep_their_defaults() -> None:
    got = Settings()
    limits = (got.max_body_bytes, got.rate_per_s, got.burst, got.max_in_flight)
    assert limits == (5_000_000, 50.0, 100, 128) and got.reload_interval_s == 10.0


def test_a_rate_of_zero_is_refused_when_the_settings_are_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CREATORMATCH_RATE_PER_S", "0")
    with pytest.raises(ValidationError, match="rate_per_s"):
        Settings()


def test_worker_processes_of_one_home_share_each_keys_bucket(tmp_path: Path) -> None:
    workers = [RateLimiter(rate_per_s=1.0, burst=2, path=tmp_path / "limits.db") for _ in "ab"]
    workers[0].take("k", now=0.0)
    workers[1].take("k", now=0.0)
    with pytest.raises(RateLimited, match=r"retry in 1\.00 s"):
        workers[0].take("k", now=0.0)  # two workers, still the documented rate
    workers[1].take("k", now=1.0)
    for limiter in workers:
        limiter.close()
