"""Prometheus metrics of one app: latency per route, model versions, index size, reloads,
whether the artifacts served are the ones published (`creatormatch_reload_failing`,
`creatormatch_manifest_missing`: alert on either staying at 1), and the last drift monitor run
(`creatormatch_drift_status` 2 is drift: alert on it, or let the scheduler that ran
`creatormatch monitor` retrain). Drift gauges are read from that run's `monitor.json`, again
only when the file changed: a scrape never recomputes drift.

Each app owns its registry (no process-wide globals), so several apps in one test process do
not share counts. Latency is measured by ASGI middleware and labelled with the route *template*
(`/v1/creators/{creator_id}`), never the raw path, so the label set stays small.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Sequence
from pathlib import Path

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from creatormatch.training import STATUSES, MonitorResult, read_monitor

log = logging.getLogger("creatormatch.serving")
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

        self.drift = DriftGauges(self.registry)

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

    def monitored(self, path: Path) -> None:
        """Point the drift gauges at the monitor run in `path`, if it changed since last read."""
        self.drift.follow(path)

    def exposition(self) -> bytes:
        return generate_latest(self.registry)


class DriftGauges:
    """The last `creatormatch monitor` run, one gauge family per kind of check."""

    def __init__(self, registry: CollectorRegistry) -> None:
        def gauge(name: str, text: str, labels: Sequence[str] = ()) -> Gauge:
            return Gauge(name, text, labels, registry=registry)

        self.feature_psi = gauge(
            "creatormatch_feature_psi", "PSI of a catalog feature against the training "
            "snapshot", ["feature"],
        )  # fmt: skip
        self.feature_ks = gauge(
            "creatormatch_feature_ks", "KS statistic of a catalog feature against the training "
            "snapshot", ["feature"],
        )  # fmt: skip
        self.score_psi = gauge(
            "creatormatch_score_psi", "PSI of a model score against the training snapshot",
            ["score"],
        )  # fmt: skip
        self.missing = gauge(
            "creatormatch_missing_evidence_share", "Share of creators missing a kind of "
            "evidence (fewer comments, posts, days or sampled followers than the fraud model "
            "needs; no audience)", ["evidence"],
        )  # fmt: skip
        self.embedding_psi = gauge(
            "creatormatch_embedding_psi", "PSI of the cosines to the training centroid: "
            "catalog content vectors, recent request briefs", ["space"],
        )  # fmt: skip
        self.registry = registry
        self.overall: tuple[Gauge, Gauge] | None = None  # made by the first run read
        self.stamp: tuple[int, int] | None = None

    def _overall(self) -> tuple[Gauge, Gauge]:
        """(status, last run): unlabelled gauges always show a value, so they exist only once
        a run was read; a 0 before then would read as "no drift"."""
        if self.overall is None:
            self.overall = (
                Gauge("creatormatch_drift_status",
                      "Last monitor run: 0 ok, 1 watch, 2 drift (it exited 1)",
                      registry=self.registry),
                Gauge("creatormatch_drift_last_run_timestamp_seconds",
                      "When the last monitor run was made", registry=self.registry),
            )  # fmt: skip
        return self.overall

    def follow(self, path: Path) -> None:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            return  # never run: no drift gauges rather than made-up zeros
        stamp = (info.st_mtime_ns, info.st_size)
        if stamp == self.stamp:
            return
        self.stamp = stamp
        try:
            result = read_monitor(path)
        except (OSError, ValueError, KeyError, TypeError) as error:
            # The scrape must answer; the gauges keep the last run that could be read.
            log.error("cannot read the drift monitor's %s: %s", path.name, error)
            return
        self.show(result)

    def show(self, result: MonitorResult) -> None:
        psi = {
            "feature": self.feature_psi,
            "score": self.score_psi,
            "embedding": self.embedding_psi,
        }
        for family in (*psi.values(), self.feature_ks, self.missing):
            family.clear()  # a feature dropped since the last run leaves no stale series
        status, last_run = self._overall()
        status.set(STATUSES.index(result.status))
        last_run.set(dt.datetime.fromisoformat(result.created).timestamp())
        for check in result.checks:
            if check.kind in psi and check.psi is not None:
                psi[check.kind].labels(check.name).set(check.psi)
            if check.kind == "feature" and check.ks is not None:
                self.feature_ks.labels(check.name).set(check.ks)
            if check.kind == "evidence" and check.current is not None:
                self.missing.labels(check.name).set(check.current)


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
