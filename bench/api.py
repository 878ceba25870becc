"""`creatormatch bench api`: the real server on loopback, driven from separate processes.

Builds (or reuses) a home of synthetic creators indexed with the hashing embedder, starts the
server with its worker processes as `creatormatch serve` does, and sends a bounded number of
shortlist requests at each level of concurrency from load-generator processes (threads with
keep-alive connections). Twice: as production runs it, with trained fraud, conversion and reach
models (a copy of the home given a 2,000-creator synthetic world with labels and outcomes, and
`creatormatch train` run on it), and without models. Prints p50, p99 and throughput per home
and level, with the workers' CPU per request and the busiest worker's share of it (uvicorn's
own workers split connections unevenly; ours are handed them by a least-connections parent:
ADR 0009), then one JSON line.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing as mp
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from multiprocessing.synchronize import Barrier

    from fastapi import FastAPI

WORDS = {
    "fitness": "home workout hiit squats protein gym legs cardio yoga stretch",
    "food": "recipe pasta baking dinner vegan sourdough brunch salad spicy",
    "travel": "beach hotel flight backpacking island sunset roadtrip hiking city",
    "beauty": "skincare makeup serum glow lipstick routine spf hair nails",
    "gaming": "stream console speedrun boss loot esports controller pc indie",
}
BRIEFS = [
    "hiit squats protein for home workouts",
    "vegan pasta recipes and baking",
    "island beach hotels and backpacking",
    "skincare routine serum spf",
    "indie games speedrun streams",
]
SERVER = """
from creatormatch.core.settings import Settings
from creatormatch.serving.process import run
run(Settings(), host="127.0.0.1", port={port}, factory="creatormatch.bench.api:unlimited_app",
    log_level="info", access_log=False)
"""
# What uvicorn logs once per worker process when its lifespan (loading the bundle) is done.
STARTED = "Application startup complete"


def unlimited_app() -> FastAPI:
    """The app the bench serves: settings from the environment, no rate or in-flight limit."""
    from creatormatch.core import Settings
    from creatormatch.serving import create_app

    settings = Settings(rate_per_s=1e9, burst=10**9, max_in_flight=4096, reload_interval_s=0)
    return create_app(settings)


def synthetic_records(n: int, *, seed: int) -> list:
    from creatormatch.features import CreatorRecord

    rng = random.Random(seed)
    niches = list(WORDS)
    records = []
    for i in range(n):
        niche = niches[i % len(niches)]
        words = WORDS[niche].split()
        records.append(
            CreatorRecord.model_validate({
                "creator_id": f"b{i:07d}", "handle": f"{niche}_{i}",
                "platform": ("instagram", "tiktok", "youtube")[i % 3],
                "bio": f"{niche} creator", "country": rng.choice(["US", "GB", "DE", "BR"]),
                "language": "en", "followers": rng.randint(1_000, 2_000_000),
                "price_per_post": float(rng.randint(50, 5_000)),
                "posts": [{"post_id": f"p{i}-{j}", "caption": " ".join(rng.sample(words, 4)),
                           "likes": rng.randint(10, 5_000), "comments": rng.randint(0, 200)}
                          for j in range(3)],
                "audience": {"interests": {niche: 0.7}, "countries": {"US": 0.5}},
            })
        )  # fmt: skip
    return records


def build_home(root: Path, n: int, *, seed: int) -> None:
    """A home of `n` creators with a published index, unless `root` already has one that size."""
    from creatormatch.core import Home
    from creatormatch.features import load_embedder
    from creatormatch.matching import build_index, ingest_records
    from creatormatch.store import Catalog

    home = Home(root).ensure()
    catalog = Catalog(home.catalog)
    try:
        if catalog.count() != n or not (home.index_dir / "manifest.json").is_file():
            embedder = load_embedder("hashing")
            for start in range(0, n, 10_000):
                chunk = synthetic_records(min(10_000, n - start), seed=seed + start)
                chunk = [r.model_copy(update={"creator_id": f"b{start + k:07d}"})
                         for k, r in enumerate(chunk)]  # fmt: skip
                ingest_records(catalog, chunk, embedder=embedder)
                print(f"  ingested {start + len(chunk):,}/{n:,} creators", flush=True)
            build_index(home, catalog, embedder)
    finally:
        catalog.close()


MODEL_WORLD = 2_000  # creators of the world the models learn from (the demo's size)


def add_models(plain: Path, root: Path, *, seed: int) -> None:
    """`root`: a copy of the home at `plain` plus a synthetic world's creators, labels and
    outcomes, trained (fraud, conversion, reach; account too when ../shared/data is there),
    unless `root` already has a conversion model."""
    from creatormatch.core import Home
    from creatormatch.features import load_embedder
    from creatormatch.matching import ingest_file, ingest_labels, ingest_outcomes
    from creatormatch.training import train_all
    from creatormatch.world import WorldParams, generate_world, write_world

    home = Home(root)
    if (home.model_dir("conversion") / "manifest.json").is_file():
        return
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(plain, root)
    world = write_world(
        generate_world(WorldParams(n_creators=MODEL_WORLD, seed=seed)), root / "world",
        progress=False,
    )  # fmt: skip
    embedder = load_embedder("hashing")
    ingest_file(home, world / "creators.jsonl", embedder=embedder, progress=False)
    ingest_labels(home, world / "fraud_labels.csv")
    ingest_outcomes(home, world / "outcomes.jsonl")
    for line in train_all(home, embedder=embedder).lines():
        print(f"  {line}", flush=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _watch_startups(log: IO[str], workers: int, started: threading.Event) -> None:
    """Set `started` once every worker has loaded; pass on what is not routine INFO."""
    count = 0
    for line in log:
        count += STARTED in line
        if count >= workers:
            started.set()
        if not line.startswith("INFO:"):
            sys.stderr.write(line)


def start_server(root: Path, port: int, workers: int) -> tuple[subprocess.Popen, threading.Event]:
    """The server with `workers` processes; the event is set when all of them serve."""
    env = {**os.environ, "CREATORMATCH_HOME": str(root), "CREATORMATCH_EMBEDDER": "hashing",
           "CREATORMATCH_WORKERS": str(workers)}  # fmt: skip
    code = SERVER.format(port=port)
    server = subprocess.Popen(
        [sys.executable, "-c", code], env=env, stderr=subprocess.PIPE, text=True
    )
    started = threading.Event()
    assert server.stderr is not None
    threading.Thread(
        target=_watch_startups, args=(server.stderr, workers, started), daemon=True
    ).start()
    return server, started


def _wait_ready(
    port: int, process: subprocess.Popen, started: threading.Event, *, timeout_s: float = 300
) -> None:
    """Until every worker has started (a loading one would eat the cores) and /health/ready."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health/ready")
            if connection.getresponse().status == 200 and started.is_set():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server was not ready within {timeout_s:.0f} s")


def _client(port: int, key: str, n: int, seed: int, out: list[float], errors: list[int]) -> None:
    """One keep-alive connection sending `n` shortlist requests; latencies in seconds."""
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    for _ in range(n):
        body = json.dumps({"brief": rng.choice(BRIEFS), "k": 20})
        start = time.perf_counter()
        connection.request("POST", "/v1/shortlists", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        out.append(time.perf_counter() - start)
        if response.status != 200:
            errors.append(response.status)


def _generator(
    port: int, key: str, clients: int, per_client: int, seed: int, go: Barrier, queue: mp.Queue
) -> None:
    latencies: list[float] = []
    errors: list[int] = []
    threads = [
        threading.Thread(target=_client, args=(port, key, per_client, seed + i, latencies, errors))
        for i in range(clients)
    ]
    go.wait()  # every generator process is up: the clock starts now
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put((latencies, errors))


def drive(port: int, key: str, clients: int, requests: int, *, seed: int) -> dict[str, float]:
    """`requests` shortlists from `clients` connections spread over up to 4 processes.

    The clock starts once every load-generator process has started (a Python interpreter
    starting is not the server's time), and stops when the last answer is in.
    """
    processes = min(clients, 4)
    per_process = [clients // processes + (i < clients % processes) for i in range(processes)]
    per_client = max(1, requests // clients)
    context = mp.get_context("spawn")
    queue: mp.Queue = context.Queue()
    go = context.Barrier(processes + 1)
    workers = [
        context.Process(
            target=_generator, args=(port, key, c, per_client, seed + 1_000 * i, go, queue)
        )
        for i, c in enumerate(per_process)
    ]
    for worker in workers:
        worker.start()
    go.wait()
    start = time.perf_counter()
    results = [queue.get() for _ in workers]
    elapsed = time.perf_counter() - start
    for worker in workers:
        worker.join()
    latencies = np.array([x for lat, _ in results for x in lat]) * 1_000.0
    errors = sum(len(err) for _, err in results)
    return {
        "clients": clients, "requests": len(latencies), "errors": errors,
        "p50_ms": float(np.percentile(latencies, 50)),
        "p99_ms": float(np.percentile(latencies, 99)),
        "throughput_rps": len(latencies) / elapsed,
    }  # fmt: skip


def children_cpu(parent: int) -> dict[int, float]:
    """CPU seconds (user + system) of each child process of `parent`: the server's workers.
    Empty where there is no /proc to read them from."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    cpu: dict[int, float] = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The command name may hold spaces and parentheses: the fields start after the last ")".
            fields = entry.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone since the listing, or not a process
        if int(fields[1]) == parent:
            cpu[int(entry.parent.name)] = (int(fields[11]) + int(fields[12])) / tick
    return cpu


def cpu_split(
    before: dict[int, float], after: dict[int, float], requests: int
) -> dict[str, float | None]:
    """The workers' CPU per request (ms) and the busiest worker's share of it, between two
    `children_cpu` readings; None when nothing was read."""
    spent = [after[pid] - before.get(pid, 0.0) for pid in after]
    total = sum(spent)
    if not requests or total <= 0:
        return {"cpu_ms_per_request": None, "busiest_worker_share": None}
    return {"cpu_ms_per_request": 1_000.0 * total / requests,
            "busiest_worker_share": max(spent) / total}  # fmt: skip


def _shown(value: object, spec: str) -> str:
    return format(value, spec) if isinstance(value, float) else "–"


def _key(home: Path) -> str:
    from creatormatch.core import Home
    from creatormatch.store import TenantStore

    store = TenantStore.of(Home(home))
    try:
        return store.create_key("bench")[1]
    finally:
        store.close()


def serve_and_drive(
    root: Path, levels: tuple[int, ...], requests: int, *, workers: int, seed: int
) -> list[dict[str, float | None]]:
    """Start the server on the home at `root`, warm it up, and drive it at each level."""
    key, port = _key(root), _free_port()
    server, started = start_server(root, port, workers)
    try:
        _wait_ready(port, server, started)
        drive(port, key, 4, 40, seed=seed)  # warm-up, not reported
        rows: list[dict[str, float | None]] = []
        for clients in levels:
            before = children_cpu(server.pid)
            row = drive(port, key, clients, requests, seed=seed)
            split = cpu_split(before, children_cpu(server.pid), int(row["requests"]))
            rows.append({**row, **split})
        return rows
    finally:
        server.terminate()
        server.wait(timeout=30)


def main(
    *,
    creators: int,
    requests: int,
    levels: tuple[int, ...],
    home: Path | None,
    workers: int,
    seed: int,
) -> int:
    root = home or Path(tempfile.mkdtemp(prefix="creatormatch-bench-api-"))
    plain, trained = root / "plain", root / "models"
    print(
        f"homes in {root}: {creators:,} creators (hashing embedder), {workers} workers", flush=True
    )
    build_home(plain, creators, seed=seed)
    add_models(plain, trained, seed=seed)
    rows = [
        {"models": name, **row}
        for name, path in (("fraud, conversion, reach", trained), ("none", plain))
        for row in serve_and_drive(path, levels, requests, workers=workers, seed=seed)
    ]
    print(
        f"\n{'models':<24} {'clients':>7} {'requests':>8} {'errors':>6} {'p50 ms':>8} "
        f"{'p99 ms':>8} {'req/s':>7} {'cpu ms/req':>10} {'busiest':>7}"
    )
    for r in rows:
        print(f"{r['models']:<24} {r['clients']:>7} {r['requests']:>8} {r['errors']:>6} "
              f"{r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} {r['throughput_rps']:>7.1f} "
              f"{_shown(r['cpu_ms_per_request'], '.1f'):>10} "
              f"{_shown(r['busiest_worker_share'], '.0%'):>7}")  # fmt: skip
    print(json.dumps({"bench": "api", "creators": creators, "workers": workers, "levels": rows}))
    return 0 if all(r["errors"] == 0 for r in rows) else 1
