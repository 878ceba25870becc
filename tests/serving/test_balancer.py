"""The serving parent hands each connection to the worker holding the fewest, and keeps two up.

A real parent process with two spawned workers on loopback, serving a small app that answers
with the pid of the worker that served the request.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

ROOT = Path(__file__).resolve().parents[2]
SERVER = """
from creatormatch.core import Settings
from creatormatch.serving import run
raise SystemExit(run(Settings(home="unused", workers=2), host="127.0.0.1", port={port},
                     factory="tests.serving.test_balancer:{factory}", log_level="warning"))
"""


def pid_app() -> FastAPI:
    app = FastAPI()

    @app.get("/pid")
    def pid() -> int:
        return os.getpid()

    return app


def broken_app() -> FastAPI:
    raise RuntimeError("this app cannot start")


def _start(factory: str) -> tuple[subprocess.Popen[bytes], int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    code = SERVER.format(port=port, factory=factory)
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT), port


def _pid(connection: http.client.HTTPConnection) -> int:
    connection.request("GET", "/pid")
    response = connection.getresponse()
    assert response.status == 200
    return int(response.read())


class Served:
    """The server, its port, and every connection a test opened with the pid that served it."""

    def __init__(self, server: subprocess.Popen[bytes], port: int) -> None:
        self.server, self.port = server, port
        self.held: list[tuple[http.client.HTTPConnection, int]] = []

    def open(self, count: int) -> list[int]:
        """`count` new keep-alive connections (kept open); the worker pid that served each."""
        pids = []
        for _ in range(count):
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            self.held.append((connection, 0))
            pids.append(_pid(connection))
            self.held[-1] = (connection, pids[-1])
        return pids

    def holding(self) -> Counter[int]:
        return Counter(pid for _, pid in self.held)

    def wait_until_both_serve(self) -> None:
        """Until one connection is held by each worker (the second may still be importing);
        the probes that reached a worker already holding one are closed."""
        deadline = time.monotonic() + 120
        while len(self.holding()) < 2:
            assert time.monotonic() < deadline, "two workers did not serve within 120 s"
            assert self.server.poll() is None, f"exited with code {self.server.returncode}"
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                pid = _pid(connection)
            except OSError:
                connection.close()
                time.sleep(0.2)
                continue
            if pid in self.holding():
                connection.close()
            else:
                self.held.append((connection, pid))
        time.sleep(1.0)  # the workers count the probes closed

    def close(self, pid: int | None = None) -> None:
        """Close the connections that `pid` serves (all of them if None)."""
        for connection, served_by in self.held:
            if pid in (None, served_by):
                connection.close()
        self.held = [(c, p) for c, p in self.held if pid not in (None, p)]

    def stop(self) -> None:
        self.close()
        if self.server.poll() is None:
            self.server.terminate()
        self.server.wait(timeout=60)


@pytest.fixture
def served() -> Iterator[Served]:
    served = Served(*_start("pid_app"))
    try:
        served.wait_until_both_serve()
        yield served
    finally:
        served.stop()


def test_connections_go_to_the_worker_holding_fewest(served: Served) -> None:
    served.open(8)
    held = served.holding()
    assert len(held) == 2 and max(held.values()) - min(held.values()) <= 1
    # uvicorn's own workers gave one of two 12 connections of 16

    first, second = held
    served.close(first)
    time.sleep(1.0)  # the worker sees its connections close
    assert served.open(held[second]) == [first] * held[second]  # fewest, not turn about


def test_a_killed_worker_is_replaced(served: Served) -> None:
    served.open(2)
    victim, survivor = served.holding()
    kept = next(c for c, pid in served.held if pid == survivor)
    os.kill(victim, signal.SIGKILL)
    deadline = time.monotonic() + 60
    new: list[int] = []
    while time.monotonic() < deadline and not set(new) - {victim, survivor}:
        time.sleep(0.5)
        assert _pid(kept) == survivor  # the other worker serves on (and keeps `kept` alive)
        try:
            new = served.open(1)
        except OSError:  # handed to the dead worker before the parent heard it die
            served.held.pop()[0].close()
    assert set(new) - {victim, survivor}, "no new worker within 60 s"
    assert served.server.poll() is None


def test_sigterm_stops_the_workers_and_the_parent(served: Served) -> None:
    pids = served.holding()  # idle keep-alive connections stay open: shutdown closes them
    served.server.send_signal(signal.SIGTERM)
    assert served.server.wait(timeout=60) == 0
    for pid in set(pids):
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_an_app_that_cannot_start_stops_the_server_with_code_3() -> None:
    server, _ = _start("broken_app")
    assert server.wait(timeout=120) == 3


def _running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's reaper may be slow to collect it)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def test_workers_of_a_killed_parent_stop_on_their_own(served: Served) -> None:
    pids = served.holding()
    served.server.kill()  # no SIGTERM to pass on: the workers see their channel close
    served.server.wait(timeout=10)
    deadline = time.monotonic() + 60
    while any(_running(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_running(pid) for pid in pids)
