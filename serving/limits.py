"""What one client and the whole server may ask for: body size, rate per key, requests in flight.

The body cap and the concurrency cap are plain ASGI middleware (cheaper than Starlette's
BaseHTTPMiddleware on every request); the rate limit is a token bucket per key, checked in the
authentication dependency, so it knows which key asked. Their sizes are fields of `Settings`
(`max_body_bytes`, `rate_per_s`, `burst`, `max_in_flight`).
"""

from __future__ import annotations

import threading
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from creatormatch.core import Overloaded, PayloadTooLarge, RateLimited, Throttled
from creatormatch.serving.errors import response_of

# Paths that must answer even when the server is saturated: probes and scrapes.
UNLIMITED = ("/health/", "/metrics")


class RateLimiter:
    """A token bucket per key: `burst` requests at once, refilled at `rate_per_s`."""

    def __init__(self, *, rate_per_s: float, burst: int) -> None:
        if rate_per_s <= 0 or burst < 1:
            raise ValueError(f"expected rate > 0 and burst >= 1, got {rate_per_s} and {burst}")
        self.rate, self.burst = rate_per_s, float(burst)
        self._buckets: dict[str, tuple[float, float]] = {}  # key → (tokens, last refill)
        self._lock = threading.Lock()

    def take(self, key: str, *, now: float | None = None) -> None:
        """Spend one token of `key`, or raise RateLimited saying when one will be back."""
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                wait = (1.0 - tokens) / self.rate
                raise RateLimited(
                    f"rate limit of {self.rate:g} requests/s (burst {self.burst:g}) reached for "
                    f"this key; retry in {wait:.2f} s",
                    retry_after=wait,
                )
            self._buckets[key] = (tokens - 1.0, now)


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
