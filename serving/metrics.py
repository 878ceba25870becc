"""Prometheus metrics of one app: latency per route, model versions, index size, reloads, and
whether the artifacts served are the ones published (`creatormatch_reload_failing`,
`creatormatch_manifest_missing`: alert on either staying at 1).

Each app owns its registry (no process-wide globals), so several apps in one test process do
not share counts. Latency is measured by ASGI middleware and labelled with the route *template*
(`/v1/creators/{creator_id}`), never the raw path, so the label set stays small.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

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
            "Reloads of models and index by outcome: swapped, refused (the previous artifacts "
            "still serve), error (the watcher's look at the home failed)",
            ["outcome"],
            registry=self.registry,
        )
        self.reload_failing = Gauge(
            "creatormatch_reload_failing",
            "1 while the artifacts served are not the ones published: a reload was refused, or "
            "the registry or the home could not be read (/health/ready has the reason)",
            registry=self.registry,
        )
        self.manifest_missing = Gauge(
            "creatormatch_manifest_missing",
            "1 for each artifact whose directory has no manifest (a publication in progress, or "
            "one interrupted): the copy loaded before keeps serving",
            ["artifact"],
            registry=self.registry,
        )

    def served(self, versions: dict[str, str], index_size: int) -> None:
        """Point the gauges at what is served now (after start-up, a reload or an upsert)."""
        self.model_version.clear()
        for artifact, version in versions.items():
            self.model_version.labels(artifact, version).set(1)
        self.index_size.set(index_size)

    def watched(self, *, failing: bool, missing: Sequence[str]) -> None:
        """Point the gauges at what the watcher last found."""
        self.reload_failing.set(int(failing))
        self.manifest_missing.clear()
        for artifact in missing:
            self.manifest_missing.labels(artifact).set(1)

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
            name = getattr(route, "path_format", "unmatched")
            self.metrics.latency.labels(name, scope["method"], str(status)).observe(
                time.perf_counter() - start
            )
