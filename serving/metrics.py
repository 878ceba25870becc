"""Prometheus metrics of one app: latency per route, model versions, index size, reloads.

Each app owns its registry (no process-wide globals), so several apps in one test process do
not share counts. Latency is measured by ASGI middleware and labelled with the route *template*
(`/v1/creators/{creator_id}`), never the raw path, so the label set stays small.
"""

from __future__ import annotations

import time

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.latency = Histogram(
            "creatormatch_request_seconds",
            "Request latency by route template, method and status",
            ["route", "method", "status"],
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.model_version = Gauge(
            "creatormatch_model_info",
            "1 for each artifact served, labelled with its version (sha256 of its first file)",
            ["artifact", "version"],
            registry=self.registry,
        )
        self.index_size = Gauge(
            "creatormatch_index_size", "Creators in the served index", registry=self.registry
        )
        self.reloads = Counter(
            "creatormatch_reloads",
            "Reload attempts of models and index, by outcome",
            ["outcome"],
            registry=self.registry,
        )

    def served(self, versions: dict[str, str], index_size: int) -> None:
        """Point the gauges at what is served now (after start-up, a reload or an upsert)."""
        self.model_version.clear()
        for artifact, version in versions.items():
            self.model_version.labels(artifact, version).set(1)
        self.index_size.set(index_size)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class LatencyMiddleware:
    def __init__(self, app: ASGIApp, *, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start, status = time.perf_counter(), 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            route = scope.get("route")
            name = getattr(route, "path", "unmatched")
            self.metrics.latency.labels(name, scope["method"], str(status)).observe(
                time.perf_counter() - start
            )
