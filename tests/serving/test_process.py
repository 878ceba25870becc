"""`creatormatch serve` runs workers with one thread per numeric library and no Nagle."""

from __future__ import annotations

import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from creatormatch.core import Home, Settings
from creatormatch.serving import process
from creatormatch.serving.routes import shortlists
from tests.serving.conftest import Keys, bearer, open_client


def test_run_starts_settings_workers_with_library_threads_capped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in process.THREAD_VARIABLES:
        monkeypatch.setenv(name, "8")
    calls: list[tuple[Any, int]] = []
    monkeypatch.setattr(
        "creatormatch.serving.balancer.serve",
        lambda config, workers: calls.append((config, workers)) or 0,
    )

    settings = Settings(home="unused", workers=3, library_threads=1)
    before = threadpool_limits(limits=None)  # remembers this process's limits, changes none
    try:
        process.run(settings, host="127.0.0.1", port=8123)
        loaded = threadpool_info()
    finally:
        before.restore_original_limits()

    assert [os.environ[name] for name in process.THREAD_VARIABLES] == ["1", "1", "1"]
    assert {pool["user_api"] for pool in loaded} >= {"blas", "openmp"}
    assert all(pool["num_threads"] == 1 for pool in loaded)
    [(config, workers)] = calls
    assert config.app == process.APP_FACTORY
    assert config.factory is True and workers == 3
    assert config.http is process.NoDelayH11Protocol


def test_one_worker_is_served_by_uvicorn_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    ran: list[Any] = []
    monkeypatch.setattr("uvicorn.Server.run", lambda server: ran.append(server.config))
    monkeypatch.setattr(
        "creatormatch.serving.balancer.serve", lambda config, workers: pytest.fail("balanced")
    )
    before = threadpool_limits(limits=None)
    try:
        code = process.run(Settings(home="unused", workers=1), host="127.0.0.1", port=8123)
    finally:
        before.restore_original_limits()
    [config] = ran
    assert code == 0 and config.http is process.NoDelayH11Protocol and config.port == 8123


def test_settings_read_workers_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREATORMATCH_WORKERS", "2")
    assert Settings().workers == 2
    monkeypatch.setenv("CREATORMATCH_WORKERS", "0")
    with pytest.raises(ValueError, match="greater than or equal to 1"):
        Settings()


class _Transport:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"socket": self.sock}.get(name, default)


def test_every_accepted_connection_has_nagle_off(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[object] = []
    monkeypatch.setattr(
        process.H11Protocol, "connection_made", lambda self, transport: made.append(transport)
    )
    protocol = object.__new__(process.NoDelayH11Protocol)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        transport = _Transport(sock)
        protocol.connection_made(transport)  # type: ignore[arg-type]
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    assert made == [transport]


@pytest.mark.parametrize("threads", [1, 3])
def test_a_process_runs_request_threads_synchronous_routes_at_once(
    home: Home, keys: Keys, monkeypatch: pytest.MonkeyPatch, threads: int
) -> None:
    running, most = 0, 0
    lock = threading.Lock()
    make_shortlist = shortlists.make_shortlist

    def slow_shortlist(*args: Any) -> Any:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return make_shortlist(*args)

    monkeypatch.setattr(shortlists, "make_shortlist", slow_shortlist)
    with open_client(home, request_threads=threads) as client, ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(
            lambda _: client.post("/v1/shortlists", json={"brief": "yoga", "k": 3},
                                  headers=bearer(keys.acme)),
            range(6),
        ))  # fmt: skip
    assert [a.status_code for a in answers] == [200] * 6
    assert most == threads
