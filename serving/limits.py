"""What one client and the whole server may ask for: body size, rate per key, requests in flight.

The body cap and the concurrency cap are plain ASGI middleware (cheaper than Starlette's
BaseHTTPMiddleware on every request); the rate limit is a token bucket per key, checked in the
authentication dependency, so it knows which key asked. Their sizes are fields of `Settings`
(`max_body_bytes`, `rate_per_s`, `burst`, `max_in_flight`).

The buckets live in SQLite under the home (`Home.limits`), shared by the worker processes of one
server, so N workers give a key the documented rate, not N times it (docs/decisions/0012). An
address that sends bad keys has a bucket of its own, spent only by failures: past
`FAILED_AUTH_BURST` failures it gets 429 for every request, good keys included, until its
bucket refills at `FAILED_AUTH_PER_S`.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from creatormatch.core import Overloaded, PayloadTooLarge, RateLimited, Throttled
from creatormatch.serving.errors import response_of

# Paths that must answer even when the server is saturated: probes and scrapes.
UNLIMITED = ("/health/", "/metrics")
# Bad keys one address may send at once, and how fast it may send more: a client with a stale
# key sees 401 twenty times, then 429 with Retry-After; someone guessing keys, one guess in 10 s.
FAILED_AUTH_BURST = 20
FAILED_AUTH_PER_S = 0.1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS buckets (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    tokens REAL NOT NULL,
    at REAL NOT NULL,
    ok INTEGER NOT NULL,
    PRIMARY KEY (kind, key)
)
"""
# The bucket refilled up to now (clock steps backwards refill nothing).
_REFILLED = "min(:burst, tokens + max(0.0, :now - at) * :rate)"
# Spend a token if there is one, in one statement: atomic across processes. The right-hand
# sides all read the row as it was.
_SPEND = f"""
INSERT INTO buckets (kind, key, tokens, at, ok) VALUES (:kind, :key, :burst - 1.0, :now, 1)
ON CONFLICT (kind, key) DO UPDATE SET
    ok = {_REFILLED} >= 1.0,
    tokens = {_REFILLED} - ({_REFILLED} >= 1.0),
    at = max(at, :now)
RETURNING tokens, ok
"""
_PEEK = f"SELECT {_REFILLED} FROM buckets WHERE kind = :kind AND key = :key"
_PRUNE = f"DELETE FROM buckets WHERE kind = :kind AND {_REFILLED} >= :burst"
PRUNE_EVERY = 1_000


class RateLimiter:
    """A token bucket per key: `burst` requests at once, refilled at `rate_per_s`.

    `path` is the SQLite file the server's processes share; None keeps the buckets in this
    process. `kind` keeps limiters sharing a file apart and, with `unit`, words the refusal.
    """

    def __init__(
        self,
        *,
        rate_per_s: float,
        burst: int,
        path: Path | None = None,
        kind: str = "key",
        unit: str = "requests",
    ) -> None:
        if rate_per_s <= 0 or burst < 1:
            raise ValueError(f"expected rate > 0 and burst >= 1, got {rate_per_s} and {burst}")
        self.rate, self.burst, self.kind, self.unit = rate_per_s, float(burst), kind, unit
        self._db = sqlite3.connect(
            ":memory:" if path is None else path,
            check_same_thread=False, isolation_level=None, timeout=5.0,
        )  # fmt: skip
        self._lock = threading.Lock()
        self._spent = 0
        with self._lock:
            if path is not None:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")  # no fsync per request
            self._db.execute(_SCHEMA)

    def _params(self, key: str, now: float | None) -> dict[str, object]:
        now = time.time() if now is None else now  # wall clock: the processes share it
        return {"kind": self.kind, "key": key, "now": now, "rate": self.rate, "burst": self.burst}

    def _refuse(self, tokens: float) -> RateLimited:
        wait = (1.0 - tokens) / self.rate
        return RateLimited(
            f"rate limit of {self.rate:g} {self.unit}/s (burst {self.burst:g}) reached for "
            f"this {self.kind}; retry in {wait:.2f} s",
            retry_after=wait,
        )

    def take(self, key: str, *, now: float | None = None) -> None:
        """Spend one token of `key`, or raise RateLimited saying when one will be back."""
        params = self._params(key, now)
        with self._lock:
            tokens, ok = self._db.execute(_SPEND, params).fetchone()
            self._spent += 1
            if self._spent % PRUNE_EVERY == 0:  # a full bucket says nothing: forget it
                self._db.execute(_PRUNE, params)
        if not ok:
            raise self._refuse(tokens)

    def check(self, key: str, *, now: float | None = None) -> None:
        """Raise RateLimited if `key` has no token left, without spending one."""
        with self._lock:
            row = self._db.execute(_PEEK, self._params(key, now)).fetchone()
        if row is not None and row[0] < 1.0:
            raise self._refuse(row[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


async def _refuse(scope: Scope, receive: Receive, send: Send, error: Exception) -> None:
    assert isinstance(error, PayloadTooLarge | Throttled)
    await response_of(error)(scope, receive, send)


class BodyLimit:
    """413 for a body over `max_bytes`: from Content-Length at once, else while it is read."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    def _too_large(self, size: int | str) -> PayloadTooLarge:
        return PayloadTooLarge(f"expected a body of at most {self.max_bytes} bytes, got {size}")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            await _refuse(scope, receive, send, self._too_large(int(length)))
            return
        if length is not None:
            await self.app(scope, receive, send)
            return
        # Chunked: read it all (up to the cap) before the app sees any of it, then replay.
        messages: list[Message] = []
        size, more = 0, True
        while more:
            message = await receive()
            messages.append(message)
            size += len(message.get("body", b""))
            more = message.get("more_body", False) and message["type"] == "http.request"
            if size > self.max_bytes:
                await _refuse(scope, receive, send, self._too_large(f"more than {self.max_bytes}"))
                return

        async def replay() -> Message:
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


class ConcurrencyLimit:
    """503 with Retry-After once `max_in_flight` requests are being served at once."""

    def __init__(self, app: ASGIApp, *, max_in_flight: int) -> None:
        self.app, self.max_in_flight = app, max_in_flight
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(UNLIMITED):
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.max_in_flight:
            error = Overloaded(
                f"the server is serving {self.in_flight} requests, its limit; retry shortly",
                retry_after=1.0,
            )
            await _refuse(scope, receive, send, error)
            return
        self.in_flight += 1  # one event loop: no lock needed between these awaits
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1
